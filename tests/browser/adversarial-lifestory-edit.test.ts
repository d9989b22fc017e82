// Editing life-story items when others act at the same time, and the controls each role is
// offered: a relative's edit survives someone else deleting the item, and a relative is not
// offered "hide" on their own item, which the database refuses them.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql,
  type CareHome, type Person,
} from './fixtures'
import { launchBrowser, openPage, screenshot, signIn, visit } from './support'

let browser: Browser
let home: CareHome
let staff: Person, daughter: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Samtidig')
  ;[staff, daughter] = await Promise.all(['Sara Skift', 'Dagny Datter'].map(name => createPerson(name)))
  await Promise.all([staff, daughter].map(acceptTerms))
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(daughter, home.residentId, 'relative')
})
afterAll(() => browser?.close())

const patience = { timeout: 15_000 }
const base = () => `/residents/${home.residentId}`
const items = (page: Page) => page.getByTestId('life-story-item')

async function signedIn(person: Person) {
  const opened = await openPage(browser, { viewport: { width: 390, height: 844 } })
  await signIn(opened.page, person.email, fixturePassword)
  await opened.page.waitForURL(url => !url.pathname.startsWith('/sign-in'))
  return opened
}

describe('a relative editing their own items', { timeout: 120_000 }, () => {
  test('is offered edit and delete on their own item, but no "hide" the database would refuse', async () => {
    await sql(`insert into public.interests (resident_id, title, created_by) values ($1, 'Hagearbeid', $2)`,
      [home.residentId, daughter.id])
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/interests`)
    const item = items(page).filter({ hasText: 'Hagearbeid' })
    await expect.poll(() => item.getByTestId('life-story-edit').count(), patience).toBe(1)
    expect(await item.getByTestId('life-story-hide').count()).toBe(0)
    await context.close()
  })

  test('keeps what they typed when someone else deletes the item meanwhile, and can save it again', async () => {
    const [row] = await sql<{ id: string }>(`insert into public.interests (resident_id, title, created_by)
      values ($1, 'Strikking', $2) returning id`, [home.residentId, daughter.id])
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/interests`)
    const item = items(page).filter({ hasText: 'Strikking' })
    await expect.poll(() => item.getByTestId('life-story-edit').count(), patience).toBe(1)
    // Give the live channel a moment to join before the delete comes.
    await page.waitForTimeout(1_000)
    await item.getByTestId('life-story-edit').click()
    const form = page.getByTestId('life-story-form-interests')
    await form.getByTestId('field-title').fill('Strikking av lusekofter til barnebarna')

    await sql(`delete from public.interests where id = $1`, [row!.id])
    await expect.poll(() => page.getByTestId('life-story-deleted-while-editing').count(), patience).toBe(1)
    expect(await form.getByTestId('field-title').inputValue()).toBe('Strikking av lusekofter til barnebarna')
    await screenshot(page, 'adversarial-lifestory-deleted-while-editing')

    await form.getByTestId('life-story-save').click()
    await expect.poll(() => items(page).filter({ hasText: 'Strikking av lusekofter til barnebarna' }).count(), patience).toBe(1)
    expect(await sql(`select title from public.interests where resident_id = $1 and title like 'Strikking%'`,
      [home.residentId])).toEqual([{ title: 'Strikking av lusekofter til barnebarna' }])
    await context.close()
  })
})

describe('staff', { timeout: 120_000 }, () => {
  test('still hide any item, and the resident\'s rule holds for the relative', async () => {
    await sql(`insert into public.interests (resident_id, title, created_by) values ($1, 'Trekkspill', $2)`,
      [home.residentId, daughter.id])
    const { page, context } = await signedIn(staff)
    await visit(page, `${base()}/interests`)
    const item = items(page).filter({ hasText: 'Trekkspill' })
    await expect.poll(() => item.getByTestId('life-story-hide').count(), patience).toBe(1)
    await item.getByTestId('life-story-hide').click()
    await expect.poll(() => item.getByTestId('life-story-hidden-badge').count(), patience).toBe(1)
    await context.close()
  })
})
