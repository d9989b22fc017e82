// Explore mode attacked where its own test does not look: conversation mode (whose joy taps
// and "include sensitive" choice are staff actions that write or reveal), a story's live text
// and an album's page, on a ward tablet in the hands of whoever holds it.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToUnit, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql,
  type CareHome, type Person,
} from './fixtures'
import { launchBrowser, openPage, screenshot, signIn, visit, waitForHome } from './support'
import { fillProfile, type Profile } from '../conversation/profile'

const tablet = { width: 820, height: 1180 }
let browser: Browser
let home: CareHome
let profile: Profile
let staff: Person
let storyId: string

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Utforsk samtale')
  staff = await createPerson('Stian Pleier')
  await acceptTerms(staff)
  await addToUnit(staff, home.unitId, 'staff')
  profile = await fillProfile(home.residentId, staff)
  ;[{ id: storyId }] = await sql<{ id: string }>(`select id from public.stories where resident_id = $1`, [home.residentId]) as [{ id: string }]
})
afterAll(() => browser?.close())

/** Staff signed in on a tablet, switched to explore mode as they would: with the switch. */
async function exploringStaff() {
  const opened = await openPage(browser, { viewport: tablet })
  await signIn(opened.page, staff.email, fixturePassword)
  await waitForHome(opened.page)
  await visit(opened.page, `/residents/${home.residentId}`)
  await opened.page.getByTestId('explore-enter').click()
  await opened.page.getByTestId('explore-active').waitFor()
  return opened
}

async function settled(page: Page) {
  await page.waitForLoadState('networkidle').catch(() => {})
}

describe('explore mode in conversation mode and on story and album pages', { timeout: 300_000 }, () => {
  test('staff exploring are not offered sensitive items, and a link asking for them shows none', async () => {
    const { page, context } = await exploringStaff()
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('conversation-theme-people').waitFor()
    await page.getByTestId('explore-active').waitFor()
    expect(await page.getByTestId('conversation-include-sensitive').count()).toBe(0)
    // The sensitive relation (see fillProfile) would make four slides and a care note first.
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people&sensitive=1`)
    await page.getByTestId('conversation-walk').waitFor()
    expect(await page.getByTestId('conversation-position').innerText()).toMatch(/ av 2$/)
    await context.close()
  })

  test('staff exploring end a session without joy taps, and nothing is written', async () => {
    const { page, context } = await exploringStaff()
    await visit(page, `/residents/${home.residentId}/conversation/session?theme=people`)
    await page.getByTestId('conversation-walk').waitFor()
    await page.getByTestId('conversation-end').click()
    await page.getByTestId('conversation-after').waitFor()
    expect(await page.getByTestId('conversation-joy').count()).toBe(0)
    await screenshot(page, 'adversarial-explore-conversation-after-tablet')
    const rows = await sql(`select 1 from public.conversation_reactions where resident_id = $1`, [home.residentId])
    expect(rows).toEqual([])
    await context.close()
  })

  test('a story\'s text cannot be typed into, and an album offers no upload, caption or delete', async () => {
    const { page, context } = await exploringStaff()
    await visit(page, `/residents/${home.residentId}/stories/${storyId}`)
    await page.getByTestId('story-text').waitFor()
    await settled(page)
    expect(await page.locator('[contenteditable="true"]').count()).toBe(0)
    expect(await page.getByTestId('story-editor').count()).toBe(0)
    expect(await page.getByTestId('story-version-restore').count()).toBe(0)
    await page.getByTestId('story-versions-toggle').click()
    await settled(page)
    expect(await page.getByTestId('story-version-restore').count()).toBe(0)

    await visit(page, `/residents/${home.residentId}/albums/${profile.albumId}`)
    await page.getByTestId('explore-active').waitFor()
    await settled(page)
    expect(await page.locator('input[type="file"]').count()).toBe(0)
    expect(await page.locator('[contenteditable="true"]').count()).toBe(0)
    const names = await page.locator('button, a').evaluateAll(els => els.map(el =>
      (el.getAttribute('aria-label') || el.textContent || '').trim().replace(/\s+/g, ' ')))
    expect(names.filter(name => /^(slett|fjern|endre|rediger|last opp|legg til|flytt|skjul)/i.test(name))).toEqual([])
    await screenshot(page, 'adversarial-explore-album-tablet')
    await context.close()
  })
})
