// Sign-in as a newcomer types it: every way supabase/demo-logins.md writes a phone number
// must work, and bad input must give a translated message on the same page.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, openPage, signIn } from './support'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

describe('signing in to the demo with a phone number', { timeout: 60_000 }, () => {
  test.each(['+47 900 00 004', '4790000004', '0047 900 00 004', '900 00 004'])('%s lands Kari on her unit', async (typed) => {
    const { page, context, foreignRequests } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await signIn(page, typed, 'minnespor-demo')
    await page.waitForURL(/\/units\//)
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  test.each([
    ['', 'gyldig e-postadresse'],
    ['<script>alert(1)</script>', 'gyldig e-postadresse'],
    ['٣٣٣٣٣٣٣٣', 'gyldig e-postadresse'],
    ['æøå@ø.no', 'passord er feil'],
  ])('%j is refused with a message', async (typed, message) => {
    const { page, context } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await signIn(page, typed, 'galt')
    await expect.poll(() => page.locator('main').innerText()).toContain(message)
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await context.close()
  })
})
