// The app header (issue #5): on a phone one short row with the home link and a "Menu" button
// whose panel holds the rest; on a PC one row with everything in it. People made for this
// file only, since the menu signs them out and switches their language.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToUnit, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql,
  type CareHome, type Person,
} from './fixtures'
import { expectAccessible, launchBrowser, openPage, screenshot, signIn, visit } from './support'

const phone = { width: 390, height: 844 }
const pc = { width: 1280, height: 900 }
let browser: Browser
let home: CareHome
let staff: Person
let leader: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Toppfelt')
  staff = await createPerson('Sara Pleier')
  leader = await createPerson('Lise Leder')
  for (const [person, role] of [[staff, 'staff'], [leader, 'leader']] as const) {
    await acceptTerms(person)
    await addToUnit(person, home.unitId, role)
  }
})
afterAll(() => browser?.close())

/** A page signed in as the person, on their start page (the unit). */
async function signedIn(person: Person, viewport: { width: number, height: number }) {
  const opened = await openPage(browser, { viewport })
  await signIn(opened.page, person.email, fixturePassword)
  await opened.page.waitForURL(url => url.pathname === `/units/${home.unitId}`)
  await opened.page.getByTestId('nav-home').waitFor()
  return opened
}

const toggle = (page: Page) => page.getByTestId('menu-toggle')
const panel = (page: Page) => page.getByTestId('menu-panel')
const header = (page: Page) => page.getByTestId('app-header')
const headerHeight = async (page: Page) => (await header(page).boundingBox())!.height

// Polls allow for a busy two-core CI machine, where a click can take seconds to be handled.
const patiently = { timeout: 10_000 }

async function expectClosed(page: Page) {
  await expect.poll(() => toggle(page).getAttribute('aria-expanded'), patiently).toBe('false')
  expect(await panel(page).isVisible()).toBe(false)
  expect(await page.getByTestId('sign-out').isVisible()).toBe(false)
}

async function openMenu(page: Page) {
  await toggle(page).click()
  await panel(page).waitFor()
  await expect.poll(() => toggle(page).getAttribute('aria-expanded'), patiently).toBe('true')
}

/** Whether the page scrolls sideways. */
const overflow = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)

describe('the header on a phone', { timeout: 120_000 }, () => {
  test('is one short row; the menu button opens and closes a panel under it', async () => {
    const { page, context } = await signedIn(staff, phone)
    expect(await headerHeight(page)).toBeLessThanOrEqual(80)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    // The button names the panel it controls, and is a large target.
    const controls = await toggle(page).getAttribute('aria-controls')
    expect(await panel(page).getAttribute('id')).toBe(controls)
    expect((await toggle(page).boundingBox())!.height).toBeGreaterThanOrEqual(44)
    expect(await toggle(page).innerText()).toBe('Meny')
    await expectClosed(page)
    await expectAccessible(page, 'phone header, menu closed')
    await screenshot(page, 'header-phone-closed')

    await openMenu(page)
    for (const id of ['sign-out', 'explore-enter', 'language-switch']) expect(await page.getByTestId(id).isVisible(), id).toBe(true)
    // Stacked and full width: every control in the panel is as wide as the panel's content.
    const panelBox = (await panel(page).boundingBox())!
    for (const control of await panel(page).locator('a, button, select').all()) {
      const box = (await control.boundingBox())!
      expect(box.height).toBeGreaterThanOrEqual(44)
      expect(box.width).toBeGreaterThan(panelBox.width - 60)
    }
    // A disclosure, not a modal: the header above it stays as it was.
    expect(await headerHeight(page)).toBeLessThanOrEqual(80)
    await expectAccessible(page, 'phone header, menu open')
    await screenshot(page, 'header-phone-open')

    // A second tap closes it.
    await toggle(page).click()
    await expectClosed(page)

    // Escape closes it, and focus goes back to the button rather than to nowhere.
    await openMenu(page)
    await page.getByRole('link', { name: 'Min konto' }).focus()
    await page.keyboard.press('Escape')
    await expectClosed(page)
    expect(await toggle(page).evaluate(el => el === document.activeElement)).toBe(true)

    // Tabbing on past its last control closes it, so it never covers what has the focus.
    await openMenu(page)
    await page.getByTestId('language-switch').focus()
    await page.keyboard.press('Tab')
    await expectClosed(page)

    // A tap outside (below the panel) closes it too.
    await openMenu(page)
    await page.mouse.click(phone.width / 2, phone.height - 20)
    await expectClosed(page)

    // Focus is plain to see on the button when reached with the keyboard.
    await page.getByTestId('nav-home').focus()
    await page.keyboard.press('Tab')
    expect(await toggle(page).evaluate(el => el === document.activeElement && el.matches(':focus-visible')
      && getComputedStyle(el).outlineWidth === '3px')).toBe(true)
    await context.close()
  })

  test('the narrowest phones in use (320 px) keep the one row: the logo\'s name goes to screen readers', async () => {
    const { page, context } = await signedIn(staff, { width: 320, height: 640 })
    expect(await headerHeight(page)).toBeLessThanOrEqual(80)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    expect(await page.getByRole('banner').getByRole('link', { name: 'Minnespor Forsiden' }).count()).toBe(1)
    await context.close()
  })

  test('every link in the menu leads where it should, and the menu is closed on arrival', async () => {
    const { page, context } = await signedIn(leader, phone)
    for (const [name, path] of [['Min konto', '/account'], ['Administrasjon', '/admin'], ['Hjelp', '/help']]) {
      await openMenu(page)
      await panel(page).getByRole('link', { name }).click()
      await page.waitForURL(url => url.pathname === path)
      await expectClosed(page)
    }
    // Home is in the row itself, with its name for screen readers even where only the icon shows.
    // The logo, also called "Forsiden" for screen readers, leads to the same place.
    const homeLinks = page.getByRole('banner').getByRole('link', { name: 'Forsiden' })
    expect(await homeLinks.count()).toBe(2)
    expect(new Set(await homeLinks.evaluateAll(links => links.map(link => link.getAttribute('href'))))).toEqual(new Set([`/units/${home.unitId}`]))
    await page.getByRole('navigation', { name: 'Hovedmeny' }).getByRole('link', { name: 'Forsiden' }).click()
    await page.waitForURL(url => url.pathname === `/units/${home.unitId}`)
    await expectClosed(page)
    await context.close()
  })

  test('the language can be switched from the menu', async () => {
    const { page, context } = await signedIn(staff, phone)
    await openMenu(page)
    await page.getByTestId('language-switch').selectOption('en')
    await expect.poll(() => toggle(page).innerText(), patiently).toBe('Menu')
    expect(await panel(page).getByRole('link', { name: 'My account' }).isVisible()).toBe(true)
    expect(await page.getByRole('navigation', { name: 'Main menu' }).count()).toBe(1)
    await page.getByTestId('language-switch').selectOption('nb')
    await expect.poll(() => toggle(page).innerText(), patiently).toBe('Meny')
    // The choice is also saved on the account; closing before that would leave it English for
    // the tests after this one, which read Norwegian.
    await expect.poll(async () => (await sql<{ locale: string | null }>(
      `select raw_user_meta_data->>'locale' as locale from auth.users where id = $1`, [staff.id]))[0]?.locale, patiently).toBe('nb')
    await context.close()
  })

  test('explore mode is switched on from the menu, and the header says so while it is closed', async () => {
    const { page, context } = await signedIn(staff, phone)
    await openMenu(page)
    await page.getByTestId('explore-enter').click()
    await expectClosed(page)
    await expect.poll(() => header(page).innerText(), patiently).toContain('Utforskmodus er på')
    // The control that was pressed is gone with the closed panel; focus is back on the menu button.
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('menu-toggle')
    await openMenu(page)
    await page.getByTestId('explore-active').waitFor()
    await page.getByTestId('explore-leave-link').click()
    await page.waitForURL(url => url.pathname === '/explore/leave')
    await expectClosed(page)
    await context.close()
  })

  test('signs out from the menu', async () => {
    const { page, context } = await signedIn(staff, phone)
    await openMenu(page)
    await page.getByTestId('sign-out').click()
    await page.waitForURL(url => url.pathname === '/sign-in')
    await visit(page, '/account')
    expect(new URL(page.url()).pathname).toBe('/sign-in')
    await context.close()
  })

  test('at 200 % text size nothing scrolls sideways and every control stays large', async () => {
    const { page, context } = await signedIn(staff, phone)
    await page.addStyleTag({ content: 'html { font-size: 225% !important }' })
    await openMenu(page)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    const small = await header(page).evaluate(header => [...header.querySelectorAll('a, button, select')]
      .filter(el => (el as HTMLElement).offsetParent !== null && el.getBoundingClientRect().height < 44)
      .map(el => (el as HTMLElement).innerText || el.tagName))
    expect(small).toEqual([])
    await screenshot(page, 'header-phone-200')
    await context.close()
  })
})

describe('the header on a tablet and a PC', { timeout: 120_000 }, () => {
  test.each([
    { who: 'care staff', person: () => staff, links: { nb: ['Forsiden', 'Min konto', 'Hjelp'], en: ['Home', 'My account', 'Help'] } },
    { who: 'a leader', person: () => leader,
      links: { nb: ['Forsiden', 'Min konto', 'Administrasjon', 'Hjelp'], en: ['Home', 'My account', 'Administration', 'Help'] } },
  ])('is one row on a PC with everything in it, for $who, in both languages', async ({ person, links, who }) => {
    const { page, context } = await signedIn(person(), pc)
    for (const [language, nav] of [['nb', 'Hovedmeny'], ['en', 'Main menu']] as const) {
      if (language === 'en') await page.getByTestId('language-switch').selectOption('en')
      const menu = page.getByRole('navigation', { name: nav })
      await menu.waitFor()
      expect(await headerHeight(page)).toBeLessThanOrEqual(80)
      expect(await toggle(page).isVisible()).toBe(false)
      const controls = [...links[language].map(name => menu.getByRole('link', { name, exact: true })),
        page.getByTestId('explore-enter'), page.getByTestId('sign-out'), page.getByTestId('language-switch')]
      const middles: number[] = []
      for (const control of controls) {
        expect(await control.isVisible()).toBe(true)
        const box = (await control.boundingBox())!
        middles.push(box.y + box.height / 2)
      }
      // One row: every control's middle on the same line.
      expect(Math.max(...middles) - Math.min(...middles), language).toBeLessThanOrEqual(4)
      await expectAccessible(page, `PC header for ${who} (${language})`)
      if (who === 'a leader') await screenshot(page, `header-pc-${language}`)
    }
    await context.close()
  })

  test('a tablet shows every control without a menu', async () => {
    const { page, context } = await signedIn(staff, { width: 820, height: 1180 })
    expect(await toggle(page).isVisible()).toBe(false)
    for (const id of ['explore-enter', 'sign-out', 'language-switch']) expect(await page.getByTestId(id).isVisible(), id).toBe(true)
    expect(await headerHeight(page)).toBeLessThanOrEqual(130)
    await screenshot(page, 'header-tablet')
    await context.close()
  })

  test('a PC zoomed to 200 % gets the phone\'s short header', async () => {
    // 1280 × 900 at 200 % zoom lays out like a 640 × 450 window.
    const { page, context } = await signedIn(leader, { width: 640, height: 450 })
    expect(await headerHeight(page)).toBeLessThanOrEqual(80)
    expect(await overflow(page)).toBeLessThanOrEqual(0)
    await openMenu(page)
    expect(await page.getByTestId('sign-out').isVisible()).toBe(true)
    await page.keyboard.press('Escape')
    await expectClosed(page)
    await context.close()
  })
})
