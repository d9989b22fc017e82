// A guestbook post of one unbroken 3,000-character word (a pasted link, a held key) must
// wrap inside its card: the unit page and the resident's front page may not scroll sideways.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { acceptTerms, addGuestbookPost, addToResident, addToUnit, createCareHome, createPerson, fixturePassword } from './fixtures'
import { app, launchBrowser, openPage, signIn, waitForApp } from './support'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

describe('an unbroken long word in the guestbook', { timeout: 60_000 }, () => {
  test('keeps the unit page and the front page within a phone\'s width', async () => {
    const home = await createCareHome('Lange ord')
    const staff = await createPerson('Kari Lang')
    const daughter = await createPerson('Anne Lang')
    await addToUnit(staff, home.unitId, 'staff')
    await addToResident(daughter, home.residentId, 'primary_contact')
    await Promise.all([acceptTerms(staff), acceptTerms(daughter)])
    await addGuestbookPost(daughter, home.residentId, 'ø'.repeat(3000))

    const { page, context } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await signIn(page, staff.email, fixturePassword)
    for (const path of [null, `/residents/${home.residentId}`]) {
      if (path) await page.goto(`${app.url}${path}`)
      else await page.waitForURL(/\/units\//)
      await waitForApp(page)
      await expect.poll(() => page.locator('main').innerText()).toContain('øøøøøøøøøø')
      const sideways = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
      expect(sideways, `sideways scroll on ${page.url()}`).toBeLessThanOrEqual(0)
    }
    await context.close()
  })
})
