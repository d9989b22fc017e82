// Every role sees only the controls it can use, and a direct address to a page it cannot
// use gives the access-denied page. Demo people from supabase/seed.sql, each signed in
// once; nothing is changed, so the demo data stays as it was.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { sql } from './fixtures'
import { expectAccessible, launchBrowser, openPage, screenshot, signIn, visit, waitForHome } from './support'

let browser: Browser
const ids = { ingrid: '', johannes: '', solsiden: '' }

beforeAll(async () => {
  browser = await launchBrowser()
  const residents = await sql<{ id: string, display_name: string }>(
    `select id, display_name from public.residents where display_name in ('Ingrid Marie Bakken', 'Johannes Nilsen')`)
  ids.ingrid = residents.find(r => r.display_name.startsWith('Ingrid'))!.id
  ids.johannes = residents.find(r => r.display_name.startsWith('Johannes'))!.id
  const [unit] = await sql<{ id: string }>(`select id from public.units where name = 'Avdeling Solsiden'`)
  ids.solsiden = unit!.id
})
afterAll(() => browser?.close())

interface Expectation {
  role: string
  email: string
  /** The profile this person belongs to (Johannes for himself, Ingrid for everyone else). */
  profile: 'ingrid' | 'johannes'
  /** May invite family to the profile: the button shows and the page opens with these roles. */
  profileRoles: string[]
  /** May invite staff to the unit, with these roles. */
  unitRoles: string[]
  /** May upload to the album. */
  upload: boolean
}

const demo = (name: string) => `${name}@demo.minnespor.no`
const allProfileRoles = ['Pårørende', 'Leser', 'Hovedkontakt', 'Beboeren selv']
const roles: Expectation[] = [
  { role: 'viewer', email: demo('emma.lund'), profile: 'ingrid', profileRoles: [], unitRoles: [], upload: false },
  { role: 'relative', email: demo('per.bakken'), profile: 'ingrid', profileRoles: [], unitRoles: [], upload: true },
  { role: 'primary contact', email: demo('anne.bakken'), profile: 'ingrid', profileRoles: ['Pårørende', 'Leser'], unitRoles: [], upload: true },
  { role: 'resident', email: demo('johannes.nilsen'), profile: 'johannes', profileRoles: [], unitRoles: [], upload: true },
  { role: 'staff', email: demo('kari.nordmann'), profile: 'ingrid', profileRoles: allProfileRoles, unitRoles: [], upload: true },
  { role: 'superuser', email: demo('mona.haugen'), profile: 'ingrid', profileRoles: allProfileRoles, unitRoles: ['Helsepersonell', 'Superbruker'], upload: true },
  { role: 'leader', email: demo('tor.eriksen'), profile: 'ingrid', profileRoles: allProfileRoles, unitRoles: ['Helsepersonell', 'Superbruker', 'Enhetsleder'], upload: true },
  { role: 'org admin', email: demo('hege.solberg'), profile: 'ingrid', profileRoles: allProfileRoles, unitRoles: ['Helsepersonell', 'Superbruker', 'Enhetsleder'], upload: true },
]

/** The role options the invite form offers. */
async function offeredRoles(page: Page) {
  await page.getByTestId('invitation-role').click()
  const options = await page.getByRole('option').allInnerTexts()
  await page.keyboard.press('Escape')
  return options.map(option => option.trim())
}

/** Opens a path and expects either the access-denied page or the invite form with these roles. */
async function expectInvitePage(page: Page, path: string, expected: string[]) {
  await visit(page, path)
  if (!expected.length) {
    // Viewers are always in explore mode, whose middleware sends pages made for changing
    // things to the page that explains that this person can only look.
    await page.waitForURL(url => ['/access-denied', '/explore/leave'].includes(url.pathname), { timeout: 20_000 })
    const explained = new URL(page.url()).pathname === '/access-denied'
      ? page.getByTestId('access-denied')
      : page.getByTestId('explore-forced')
    await expect.poll(() => explained.innerText()).not.toBe('')
    expect(await page.getByTestId('invitation-form').count()).toBe(0)
    return
  }
  await page.getByTestId('invitation-form').waitFor()
  expect(await offeredRoles(page)).toEqual(expected)
}

describe('what each role is offered', { timeout: 90_000 }, () => {
  test.each(roles)('$role', async (expectation) => {
    const { page, context } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await signIn(page, expectation.email, 'minnespor-demo')
    await waitForHome(page)
    const residentId = ids[expectation.profile]

    await visit(page, `/residents/${residentId}`)
    await page.locator('h1').waitFor()
    const inviteLinks = page.locator(`a[href="/residents/${residentId}/invitations"]`)
    expect(await inviteLinks.count() > 0, 'invite button on the front page').toBe(expectation.profileRoles.length > 0)

    await expectInvitePage(page, `/residents/${residentId}/invitations`, expectation.profileRoles)
    await expectInvitePage(page, `/units/${ids.solsiden}/invitations`, expectation.unitRoles)
    if (expectation.role === 'relative') {
      await expectAccessible(page, 'access denied')
      await screenshot(page, 'access-denied-phone')
    }

    await visit(page, `/residents/${residentId}/albums`)
    await page.waitForLoadState('networkidle')
    if (expectation.upload) await page.getByTestId('album-file-input').waitFor({ state: 'attached' })
    expect(await page.getByTestId('album-file-input').count(), 'album upload').toBe(expectation.upload ? 1 : 0)
    await context.close()
  })
})
