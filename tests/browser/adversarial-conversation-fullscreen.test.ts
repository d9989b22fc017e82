// Conversation mode filling the screen, tried the ways its own test does not: keyboard only,
// leaving full screen the browser's way (Escape / the system) and whether the button follows,
// the joy and afterwards steps, a phone, English, and a click that opens the session in a
// new tab (which must not leave the start page stuck in full screen behind it).
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, type Person, signedInPage,
} from './fixtures'
import { expectAccessible, launchBrowser, screenshot, visit } from './support'
import { fillProfile } from '../conversation/profile'

const tablet = { width: 820, height: 1180 }
const phone = { width: 390, height: 844 }

let browser: Browser
let home: CareHome
let staff: Person, viewer: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Fullskjerm')
  ;[staff, viewer] = await Promise.all([createPerson('Fride Pleier'), createPerson('Vera Ser')])
  await Promise.all([staff, viewer].map(acceptTerms))
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(viewer, home.residentId, 'viewer')
  await fillProfile(home.residentId, staff)
})
afterAll(() => browser?.close())

const signedIn = (person: Person, viewport = tablet) => signedInPage(browser, person, { viewport })

const filling = (page: Page) => page.evaluate(() => document.fullscreenElement !== null)
const toggle = (page: Page) => page.getByTestId('conversation-fullscreen')

describe('conversation mode and the full screen', { timeout: 180_000 }, () => {
  test('keyboard only: Enter on a theme fills the screen; leaving it the browser\'s way, the button follows', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation`)
    const theme = page.getByTestId('conversation-theme-people')
    await theme.waitFor()
    await theme.focus()
    await page.keyboard.press('Enter')
    await page.getByTestId('conversation-walk').waitFor()
    await expect.poll(() => filling(page)).toBe(true)
    await expect.poll(() => toggle(page).getAttribute('data-state')).toBe('on')
    // The browser (Escape, a swipe, the system) ends full screen without the button.
    await page.evaluate(() => document.exitFullscreen())
    await expect.poll(() => filling(page)).toBe(false)
    await expect.poll(() => toggle(page).getAttribute('data-state')).toBe('off')
    expect(await toggle(page).innerText()).toBe('Fyll skjermen')
    // The button reached by Tab and pressed with Enter fills it again.
    await toggle(page).focus()
    await page.keyboard.press('Enter')
    await expect.poll(() => filling(page)).toBe(true)
    await expect.poll(() => toggle(page).getAttribute('data-state')).toBe('on')
    expect(await toggle(page).evaluate(element => element === document.activeElement)).toBe(true)
    await context.close()
  })

  test('through the joy and afterwards steps the screen stays filled, with a button to give it back', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('conversation-theme-people').click()
    await page.getByTestId('conversation-walk').waitFor()
    await expect.poll(() => filling(page)).toBe(true)
    await page.getByTestId('conversation-end').click()
    await page.getByTestId('conversation-joy').waitFor()
    expect(await filling(page)).toBe(true)
    expect(await page.getByTestId('conversation-leave-fullscreen').isVisible()).toBe(true)
    await page.getByTestId('conversation-joy-skip').click()
    await page.getByTestId('conversation-after').waitFor()
    expect(await filling(page)).toBe(true)
    // Both steps offer the way out; pressed, the screen is given back and the button goes.
    await page.getByTestId('conversation-leave-fullscreen').click()
    await expect.poll(() => filling(page)).toBe(false)
    await page.getByTestId('conversation-leave-fullscreen').waitFor({ state: 'detached' })
    await page.getByTestId('conversation-after-again').click()
    await page.getByTestId('conversation-start').waitFor()
    await expect.poll(() => filling(page)).toBe(false)
    await context.close()
  })

  test('the browser\'s back button from a filled session gives the screen back', async () => {
    const { page, context } = await signedIn(staff)
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('conversation-theme-people').click()
    await page.getByTestId('conversation-walk').waitFor()
    await expect.poll(() => filling(page)).toBe(true)
    await page.goBack()
    await page.getByTestId('conversation-start').waitFor()
    await expect.poll(() => filling(page)).toBe(false)
    // Forward again (the browser may or may not allow full screen without a new tap):
    // the button says what the screen really does.
    await page.goForward()
    await page.getByTestId('conversation-walk').waitFor()
    await page.waitForTimeout(500)
    expect(await toggle(page).getAttribute('data-state')).toBe(await filling(page) ? 'on' : 'off')
    await context.close()
  })

  test('a theme opened in a new tab (Ctrl+click) does not leave the start page filling the screen', async () => {
    const { page, context } = await signedIn(staff, { width: 1280, height: 900 })
    await visit(page, `/residents/${home.residentId}/conversation`)
    const theme = page.getByTestId('conversation-theme-people')
    await theme.waitFor()
    const opened = context.waitForEvent('page')
    await theme.click({ modifiers: ['Control'] })
    const tab = await opened
    await tab.waitForLoadState()
    await page.waitForTimeout(500)
    // The start page has no button to leave full screen: it must not have entered it.
    expect(await filling(page)).toBe(false)
    await context.close()
  })

  test('on a phone, in English: the button is large, labelled, and fits beside the others', async () => {
    // English chosen where the switch is in sight (a PC's header), then held as a phone.
    const { page, context } = await signedIn(staff, { width: 1280, height: 900 })
    await visit(page, `/residents/${home.residentId}/conversation`)
    await page.getByTestId('language-switch').filter({ visible: true }).first().selectOption('en')
    await expect.poll(() => page.getAttribute('html', 'lang')).toBe('en')
    await page.setViewportSize(phone)
    await page.getByTestId('conversation-theme-people').click()
    await page.getByTestId('conversation-walk').waitFor()
    await expect.poll(() => filling(page)).toBe(true)
    await expect.poll(() => toggle(page).innerText()).toBe('Leave full screen')
    const box = (await toggle(page).boundingBox())!
    expect(box.height).toBeGreaterThanOrEqual(44)
    expect(box.x).toBeGreaterThanOrEqual(0)
    expect(box.x + box.width).toBeLessThanOrEqual(phone.width)
    await toggle(page).click()
    await expect.poll(() => filling(page)).toBe(false)
    expect(await toggle(page).innerText()).toBe('Fill the screen')
    await expectAccessible(page, 'conversation walk on a phone in English')
    await screenshot(page, 'adversarial-conversation-fullscreen-phone-en')
    await context.close()
  })

  test('a viewer gets the same full screen and button, and the afterwards step without joy', async () => {
    const { page, context } = await signedIn(viewer, tablet)
    await visit(page, `/residents/${home.residentId}/conversation`)
    const theme = page.getByTestId('conversation-theme-people')
    await theme.waitFor()
    await theme.click()
    await page.getByTestId('conversation-walk').waitFor()
    await expect.poll(() => filling(page)).toBe(true)
    await screenshot(page, 'adversarial-conversation-fullscreen-viewer-tablet')
    await page.getByTestId('conversation-end').click()
    await page.getByTestId('conversation-after').waitFor()
    expect(await page.getByTestId('conversation-joy').count()).toBe(0)
    await context.close()
  })
})
