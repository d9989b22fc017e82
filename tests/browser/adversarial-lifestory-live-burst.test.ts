// A life-story section kept live while others change it fast or while this tab is away: a
// burst of 20 changes shows every item once and does not answer each change with its own
// reads; changes made while the tab was offline, or before its channel joined, appear when it
// is back; an item deleted while it is being edited is said so, and nothing is doubled.
import type { Browser, Page, Request } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql,
  type CareHome, type Person,
} from './fixtures'
import { launchBrowser, openPage, screenshot, signIn, visit, waitForHome } from './support'

let browser: Browser
let home: CareHome
let staff: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Strøm')
  staff = await createPerson('Stine Skift')
  await acceptTerms(staff)
  await addToUnit(staff, home.unitId, 'staff')
})
afterAll(() => browser?.close())

const patience = { timeout: 25_000 }
// Text content, not inner text: items far below the fold are not rendered (content-visibility).
const titles = (page: Page) => page.getByTestId('life-story-item').locator('h3').allTextContents()
  .then(texts => texts.map(text => text.trim()))

async function openSection(path: string) {
  const opened = await openPage(browser, { viewport: { width: 820, height: 1180 } })
  await signIn(opened.page, staff.email, fixturePassword)
  await waitForHome(opened.page)
  const reads: string[] = []
  opened.page.on('request', (request: Request) => {
    const url = new URL(request.url())
    if (request.method() === 'GET' && url.pathname.startsWith('/rest/v1/')) reads.push(url.pathname)
  })
  await visit(opened.page, `/residents/${home.residentId}/${path}`)
  return { ...opened, reads }
}

async function addInterest(title: string) {
  const [row] = await sql<{ id: string }>(`insert into public.interests (resident_id, title, created_by)
    values ($1, $2, $3) returning id`, [home.residentId, title, staff.id])
  return row!.id
}

/** Waits until the page's channel has joined: a change made now is announced to it. */
async function joined(page: Page, probe: string) {
  await addInterest(probe)
  await expect.poll(() => titles(page), patience).toContain(probe)
}

describe('a section while others change it', { timeout: 180_000 }, () => {
  test('20 changes in one go (as a move renumbering a section): every item once, and not one read each', async () => {
    await sql('delete from public.interests where resident_id = $1', [home.residentId])
    const { page, context, reads } = await openSection('interests')
    await joined(page, 'Prøve')
    // Let the reads of opening and joining finish before counting.
    await page.waitForTimeout(1_500)
    reads.length = 0
    // One statement, twenty rows: twenty "change" messages arrive together.
    await sql(`insert into public.interests (resident_id, title, created_by, position)
      select $1, 'Samlet ' || n, $2, n from generate_series(1, 20) n`, [home.residentId, staff.id])
    await expect.poll(async () => (await titles(page)).filter(t => t.startsWith('Samlet ')).length, patience).toBe(20)
    await page.waitForTimeout(2_000)
    const shown = await titles(page)
    for (let n = 1; n <= 20; n++) expect(shown.filter(t => t === `Samlet ${n}`)).toHaveLength(1)
    const sectionReads = reads.filter(path => path === '/rest/v1/interests').length
    console.log(`tester7: reads of /rest/v1/interests for 20 changes in one statement: ${sectionReads}`)
    // Was 20: one read per message, for every open tab of the section.
    expect(sectionReads).toBeLessThanOrEqual(3)
    await context.close()
  })

  test('20 separate changes in quick succession: every item once, nothing missed, reads counted', async () => {
    await sql('delete from public.interests where resident_id = $1', [home.residentId])
    const { page, context, reads } = await openSection('interests')
    await joined(page, 'Prøve')
    await page.waitForTimeout(1_500)
    reads.length = 0
    const made: string[] = []
    for (let n = 1; n <= 20; n++) made.push(`Hobby nummer ${n}`)
    const started = Date.now()
    for (const title of made) await addInterest(title)
    const took = Date.now() - started
    await expect.poll(async () => (await titles(page)).filter(t => t.startsWith('Hobby nummer')).length, patience).toBe(20)
    await page.waitForTimeout(2_000)
    const shown = await titles(page)
    for (const title of made) expect(shown.filter(t => t === title)).toHaveLength(1)
    expect(shown).toHaveLength(21)
    const sectionReads = reads.filter(path => path === '/rest/v1/interests').length
    console.log(`tester7: reads of /rest/v1/interests for 20 separate inserts over ${took} ms: ${sectionReads}`)
    expect(sectionReads).toBeGreaterThan(0)
    expect(sectionReads).toBeLessThanOrEqual(20)
    await context.close()
  })

  test('changes made while the tab was offline appear once it is back, nothing doubled', async () => {
    await sql('delete from public.interests where resident_id = $1', [home.residentId])
    const { page, context } = await openSection('interests')
    await joined(page, 'Før nettbruddet')
    await context.setOffline(true)
    await addInterest('Lagt til uten nett')
    const gone = await addInterest('Borte igjen')
    await sql('delete from public.interests where id = $1', [gone])
    await sql(`update public.interests set title = 'Før nettbruddet (endret)' where resident_id = $1 and title = 'Før nettbruddet'`, [home.residentId])
    await page.waitForTimeout(1_000)
    await context.setOffline(false)
    await expect.poll(async () => (await titles(page)).sort(), patience)
      .toEqual(['Før nettbruddet (endret)', 'Lagt til uten nett'])
    await screenshot(page, 'adversarial-lifestory-back-online')
    await context.close()
  })

  test('on and off the network quickly while changes arrive: the list ends as the database has it', async () => {
    await sql('delete from public.interests where resident_id = $1', [home.residentId])
    const { page, context } = await openSection('interests')
    await joined(page, 'Grunnlag')
    for (let round = 1; round <= 4; round++) {
      await context.setOffline(true)
      await addInterest(`Runde ${round} av`)
      await context.setOffline(false)
      await addInterest(`Runde ${round} på`)
    }
    const stored = await sql<{ title: string }>('select title from public.interests where resident_id = $1', [home.residentId])
    await expect.poll(async () => (await titles(page)).sort(), patience).toEqual(stored.map(row => row.title).sort())
    await context.close()
  })

  test('two people removed at once (two rekeys together): the list stays live, nothing doubled, no page error', async () => {
    await sql('delete from public.interests where resident_id = $1', [home.residentId])
    const leavers = await Promise.all(['Rolf Borte', 'Rut Borte'].map(name => createPerson(name)))
    for (const leaver of leavers) {
      await acceptTerms(leaver)
      await addToResident(leaver, home.residentId, 'relative')
    }
    const { page, context, reads } = await openSection('interests')
    const errors: string[] = []
    page.on('pageerror', error => void errors.push(error.message))
    await joined(page, 'Før fjerningene')
    await Promise.all(leavers.map(leaver =>
      sql('delete from public.resident_members where resident_id = $1 and user_id = $2', [home.residentId, leaver.id])))
    // The list follows the moved topic: a change made now arrives.
    await expect.poll(async () => {
      await addInterest(`Etter fjerningene ${Date.now()}`)
      return (await titles(page)).filter(t => t.startsWith('Etter fjerningene')).length
    }, { ...patience, intervals: [3_000] }).toBeGreaterThan(0)
    await page.waitForTimeout(2_000)
    reads.length = 0
    await addInterest('Siste')
    await expect.poll(() => titles(page), patience).toContain('Siste')
    await page.waitForTimeout(1_500)
    const stored = await sql<{ title: string }>('select title from public.interests where resident_id = $1', [home.residentId])
    expect((await titles(page)).sort()).toEqual(stored.map(row => row.title).sort())
    // One change, one read: not one per doubled listener.
    expect(reads.filter(path => path === '/rest/v1/interests').length).toBe(1)
    expect(errors).toEqual([])
    await context.close()
  })
})
