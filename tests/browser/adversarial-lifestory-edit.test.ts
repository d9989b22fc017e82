// Editing life-story items when others act at the same time, and the controls each role is
// offered: a relative's edit survives someone else deleting the item, and a relative is not
// offered "hide" on their own item, which the database refuses them.
import type { Browser, Page } from 'playwright-core'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, type Person, signedInPage, sql,
} from './fixtures'
import { launchBrowser, screenshot, visit } from './support'

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

const signedIn = (person: Person) => signedInPage(browser, person, { viewport: { width: 390, height: 844 } })

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
    // No wait for the live channel: a delete made before it joined is read on joining.
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

describe('deleting and leaving at once', { timeout: 120_000 }, () => {
  test('an item deleted just before the tab is closed stays deleted', async () => {
    await sql(`insert into public.interests (resident_id, title, created_by) values ($1, 'Lotto på lørdag', $2)`,
      [home.residentId, daughter.id])
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/interests`)
    const item = items(page).filter({ hasText: 'Lotto på lørdag' })
    await expect.poll(() => item.getByTestId('life-story-delete').count(), patience).toBe(1)
    await item.getByTestId('life-story-delete').click()
    await expect.poll(() => item.count(), patience).toBe(0)
    // Closed well within the undo time, as someone would who thinks it is done: nobody is asked
    // to stay, and the deletion (a keepalive request sent as the page goes) still arrives.
    const asked: string[] = []
    page.on('dialog', (dialog) => {
      asked.push(dialog.type())
      void dialog.accept()
    })
    await page.close({ runBeforeUnload: true })
    const left = () => sql(`select 1 from public.interests where resident_id = $1 and title = 'Lotto på lørdag'`, [home.residentId])
    await expect.poll(async () => (await left()).length, patience).toBe(0)
    expect(asked).toEqual([])
    await context.close()
  })
})

describe('a photo for an item that is never saved', { timeout: 120_000 }, () => {
  test('uploaded in the form and then cancelled, it does not stay behind in the albums', async () => {
    const shown = () => sql(`select id from public.media_items where resident_id = $1 and deleted_at is null`, [home.residentId])
    const before = (await shown()).length
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/interests`)
    await page.getByTestId('life-story-add').click()
    const form = page.getByTestId('life-story-form-interests')
    await form.getByTestId('field-title').fill('Fuglekassa i hagen')
    const photo = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#3a6' } }).jpeg().toBuffer()
    await form.getByTestId('photo-upload').setInputFiles({ name: 'fugl.jpg', mimeType: 'image/jpeg', buffer: photo })
    await expect.poll(() => page.getByTestId('photo-chosen').count(), { timeout: 30_000 }).toBe(1)
    expect((await shown()).length).toBe(before + 1)
    await form.getByRole('button', { name: 'Avbryt' }).click()
    await expect.poll(async () => (await shown()).length, patience).toBe(before)
    await context.close()
  })
})

describe('a relative answering the prompts as people do', { timeout: 120_000 }, () => {
  test('a whole paragraph as the answer to "Hva jobbet du med?" is saved, its first words as the title', async () => {
    const answer = 'Mamma jobbet som lærer på Lena skole i over tretti år, først i småskolen og siden med håndarbeid '
      + 'og norsk for de eldste. Hun syklet hver dag, sommer som vinter, og elevene husker henne fortsatt når vi treffer '
      + 'dem på butikken. Etter at hun ble pensjonist, vikarierte hun av og til.'
    expect(answer.length).toBeGreaterThan(200)
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/life`)
    const prompt = page.getByTestId('prompt-work')
    await prompt.getByTestId('prompt-answer').fill(answer)
    await prompt.getByTestId('prompt-save').click()
    const item = items(page).filter({ hasText: 'Mamma jobbet som lærer' })
    await expect.poll(() => item.count(), patience).toBe(1)
    const [row] = await sql<{ title: string, description: string }>(
      `select title, description from public.life_events where resident_id = $1 and title like 'Mamma jobbet%'`, [home.residentId])
    expect(row!.description).toBe(answer)
    expect(row!.title.length).toBeLessThanOrEqual(81)
    expect(row!.title.endsWith('…')).toBe(true)
    expect(await prompt.getByTestId('prompt-answer').inputValue()).toBe('')
    await context.close()
  })

  test('the book does not say "Vokste opp i På Toten" when that is how the question was answered', async () => {
    await sql(`update public.residents set grew_up_in = 'På Toten' where id = $1`, [home.residentId])
    const { page, context } = await signedIn(daughter)
    await visit(page, `${base()}/book`)
    const book = page.getByTestId('life-story-book')
    await expect.poll(() => book.innerText(), patience).toContain('På Toten')
    expect(await book.innerText()).not.toMatch(/opp i På Toten/i)
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
