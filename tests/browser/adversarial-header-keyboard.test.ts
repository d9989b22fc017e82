// The header tried keyboard only, as a screen reader names it, at 200 % zoom and in English:
// switching explore mode on (from the phone's menu and from the PC's row) must leave focus on
// a control rather than at the start of the document, and the logo and the house button lead
// to the same place under the same name.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToUnit, createCareHome, createPerson, ensureLegalDocuments, fixturePassword,
  type CareHome, type Person,
} from './fixtures'
import { launchBrowser, openPage, screenshot, signIn } from './support'

const phone = { width: 390, height: 844 }
const zoomed = { width: 640, height: 450 }
const pc = { width: 1280, height: 900 }
let browser: Browser
let home: CareHome
let staff: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Tastatur')
  staff = await createPerson('Tor Tastatur')
  await acceptTerms(staff)
  await addToUnit(staff, home.unitId, 'staff')
})
afterAll(() => browser?.close())

async function signedIn(viewport: { width: number, height: number }, locale?: string) {
  const opened = await openPage(browser, { viewport, locale })
  await signIn(opened.page, staff.email, fixturePassword)
  await opened.page.waitForURL(url => url.pathname === `/units/${home.unitId}`)
  await opened.page.getByTestId('nav-home').waitFor()
  return opened
}

const focused = (page: Page) => page.evaluate(() => {
  const element = document.activeElement
  return element && element !== document.body ? (element.getAttribute('data-testid') ?? element.tagName.toLowerCase()) : 'body'
})
const patiently = { timeout: 10_000 }

/** Tabs forward from the current focus until the control with the test id has it. */
async function tabTo(page: Page, testId: string) {
  for (let i = 0; i < 30; i++) {
    if (await focused(page) === testId) return
    await page.keyboard.press('Tab')
  }
  throw new Error(`Tab never reached ${testId}`)
}

describe('the header with the keyboard only', { timeout: 120_000 }, () => {
  for (const [name, viewport] of [['phone', phone], ['PC at 200 %', zoomed]] as const) {
    test(`${name}: Space on explore mode in the menu puts focus back on the menu button`, async () => {
      const { page, context } = await signedIn(viewport)
      await page.getByTestId('nav-home').focus()
      await tabTo(page, 'menu-toggle')
      await page.keyboard.press('Enter')
      await expect.poll(() => page.getByTestId('menu-toggle').getAttribute('aria-expanded'), patiently).toBe('true')
      await tabTo(page, 'explore-enter')
      await page.keyboard.press('Space')
      await page.getByTestId('explore-enter').waitFor({ state: 'detached' })
      await expect.poll(() => focused(page), patiently).toBe('menu-toggle')
      expect(await page.getByTestId('menu-toggle').getAttribute('aria-expanded')).toBe('false')
      await context.close()
    })
  }

  test('PC: Enter on explore mode in the row leaves focus on a control, not the page\'s start', async () => {
    const { page, context } = await signedIn(pc)
    await page.getByTestId('nav-home').focus()
    await tabTo(page, 'explore-enter')
    await page.keyboard.press('Enter')
    await page.getByTestId('explore-active').waitFor()
    await screenshot(page, 'adversarial-header-explore-pc')
    await expect.poll(() => focused(page), patiently).not.toBe('body')
    await context.close()
  })
})

describe('the logo and the house button', { timeout: 120_000 }, () => {
  for (const [name, viewport, locale, homeName] of [
    ['phone, Bokmål', phone, 'nb-NO', 'Forsiden'], ['PC at 200 %, English', zoomed, 'en-GB', 'Home'], ['PC, English', pc, 'en-GB', 'Home'],
  ] as const) {
    test(`${name}: lead to the same place and both carry its name`, async () => {
      const { page, context } = await signedIn(viewport, locale)
      if (locale === 'en-GB') {
        if (await page.getByTestId('menu-toggle').isVisible()) await page.getByTestId('menu-toggle').click()
        await page.getByTestId('language-switch').selectOption('en')
        await page.getByRole('navigation', { name: 'Main menu' }).waitFor()
        if (await page.getByTestId('menu-toggle').getAttribute('aria-expanded') === 'true') await page.keyboard.press('Escape')
      }
      const header = page.getByTestId('app-header')
      const logo = header.getByRole('link', { name: `Minnespor ${homeName}`, exact: true })
      const house = page.getByTestId('nav-home')
      expect(await logo.getAttribute('href')).toBe(`/units/${home.unitId}`)
      expect(await house.getAttribute('href')).toBe(`/units/${home.unitId}`)
      expect(await house.evaluate(el => el.textContent?.trim())).toBe(homeName)
      // From elsewhere, the logo takes the person home, like the house.
      await page.goto(`${new URL(page.url()).origin}/account`)
      await page.getByTestId('nav-home').waitFor()
      await header.getByRole('link', { name: `Minnespor ${homeName}`, exact: true }).click()
      await page.waitForURL(url => url.pathname === `/units/${home.unitId}`)
      await context.close()
    })
  }
})
