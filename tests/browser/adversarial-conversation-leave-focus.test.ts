// The "Vis vanlig" button of conversation mode's joy and afterwards steps, tried with the
// keyboard only: it is reached by Tab, and pressing it (which takes the button away with the
// filled screen) must not drop the keyboard user's place to the start of the document, nor
// may ending the walk or skipping the joy step, which take the pressed button away too.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addToUnit, createCareHome, createPerson, ensureLegalDocuments, fixturePassword,
  type CareHome, type Person,
} from './fixtures'
import { launchBrowser, openPage, screenshot, signIn, visit, waitForHome } from './support'
import { fillProfile } from '../conversation/profile'

let browser: Browser
let home: CareHome
let staff: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Vis vanlig')
  staff = await createPerson('Frode Fokus')
  await acceptTerms(staff)
  await addToUnit(staff, home.unitId, 'staff')
  await fillProfile(home.residentId, staff)
})
afterAll(() => browser?.close())

const filling = (page: Page) => page.evaluate(() => document.fullscreenElement !== null)
const focused = (page: Page) => page.evaluate(() => {
  const element = document.activeElement
  return element && element !== document.body ? (element.getAttribute('data-testid') ?? element.tagName.toLowerCase()) : 'body'
})

/** Keyboard only, from the start page into a filled session and on to its joy step. */
async function toJoy(page: Page) {
  await visit(page, `/residents/${home.residentId}/conversation`)
  const theme = page.getByTestId('conversation-theme-people')
  await theme.waitFor()
  await theme.focus()
  await page.keyboard.press('Enter')
  await page.getByTestId('conversation-walk').waitFor()
  await expect.poll(() => filling(page)).toBe(true)
  await page.getByTestId('conversation-end').focus()
  await page.keyboard.press('Enter')
  await page.getByTestId('conversation-joy').waitFor()
  // The end button went with the walk; the keyboard user is not sent back to the top.
  await expect.poll(() => focused(page)).not.toBe('body')
}

describe('giving the filled screen back with the keyboard', { timeout: 180_000 }, () => {
  for (const [name, viewport] of [['tablet', { width: 820, height: 1180 }], ['phone', { width: 390, height: 844 }]] as const) {
    test(`on a ${name}, Enter on "Vis vanlig" keeps focus in the step`, async () => {
      const opened = await openPage(browser, { viewport })
      const { page, context } = opened
      await signIn(page, staff.email, fixturePassword)
      await waitForHome(page)
      await toJoy(page)
      const leave = page.getByTestId('conversation-leave-fullscreen')
      await leave.waitFor()
      expect(await leave.innerText()).toBe('Vis vanlig')
      await leave.focus()
      await page.keyboard.press('Enter')
      await expect.poll(() => filling(page)).toBe(false)
      await leave.waitFor({ state: 'detached' })
      await screenshot(page, `conversation-leave-focus-${name}`)
      // The button is gone; focus must stay in the step, not fall back to the page's start.
      await expect.poll(() => focused(page)).not.toBe('body')
      // On to the afterwards step with the keyboard: the skip button goes with the joy step.
      await page.getByTestId('conversation-joy-skip').focus()
      await page.keyboard.press('Enter')
      await page.getByTestId('conversation-after').waitFor()
      await expect.poll(() => focused(page)).not.toBe('body')
      await context.close()
    })
  }
})
