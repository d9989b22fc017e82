// The demo as a newcomer sees it after `npm run dev`: the seeded care home with its
// drawn pictures. Also takes the README's screenshot (test-artifacts/readme-screenshot.png).
import { execFile } from 'node:child_process'
import { mkdirSync } from 'node:fs'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { expectAccessible, launchBrowser, openPage, screenshot, signIn, stack, waitForApp } from './support'

const root = resolve(import.meta.dirname, '../..')
let browser: Browser

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed-media.ts'], {
    cwd: root,
    env: { ...process.env, SUPABASE_URL: stack.apiUrl, SUPABASE_SECRET_KEY: stack.serviceRoleKey },
  })
  browser = await launchBrowser()
}, 120_000)
afterAll(() => browser?.close())

describe('the demo care home', { timeout: 60_000 }, () => {
  test.each([
    { who: 'care staff', email: 'kari.nordmann@demo.minnespor.no', lands: /\/units\//, shows: 'Ingrid' },
    { who: 'an org admin', email: 'hege.solberg@demo.minnespor.no', lands: /\/overview/, shows: 'Avdeling Solsiden' },
    { who: 'a primary contact', email: 'anne.bakken@demo.minnespor.no', lands: /\/residents\//, shows: 'Ingrid' },
  ])('greets $who on their own start page', async ({ email, lands, shows }) => {
    const { page, context, foreignRequests } = await openPage(browser, { viewport: { width: 1024, height: 768 } })
    await signIn(page, email, 'minnespor-demo')
    await page.waitForURL(lands)
    await waitForApp(page)
    await expect.poll(() => page.locator('main').innerText()).toContain(shows)
    await expectAccessible(page, `start page of ${email}`)
    await screenshot(page, `demo-${email.split('@')[0]}`)
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  test('fits a phone at 200 % text size without sideways scrolling', async () => {
    const { page, context } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await signIn(page, 'kari.nordmann@demo.minnespor.no', 'minnespor-demo')
    await page.waitForURL(/\/units\//)
    await page.getByTestId('unit-page').waitFor()
    await page.addStyleTag({ content: 'html { font-size: 225% !important }' })
    await screenshot(page, 'demo-phone-200')
    const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
      .map(el => `${el.tagName}.${el.className}`.slice(0, 120)).slice(0, 5))
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)
    expect(overflow, wide.join('\n')).toBeLessThanOrEqual(0)
    const small = await page.evaluate(() => [...document.querySelectorAll('button, a[href], input, select, [role="combobox"]')]
      .filter(el => (el as HTMLElement).offsetParent !== null && !el.closest('p'))
      .map(el => ({ text: (el as HTMLElement).innerText || el.getAttribute('aria-label') || el.tagName, height: el.getBoundingClientRect().height }))
      .filter(target => target.height < 44))
    expect(small).toEqual([])
    await context.close()
  })

  test('the README\'s view of a resident front page shows her name and every picture on it', async () => {
    const { page, context } = await openPage(browser, { viewport: { width: 1200, height: 900 } })
    await signIn(page, 'anne.bakken@demo.minnespor.no', 'minnespor-demo')
    await page.waitForURL(/\/residents\//)
    await page.waitForLoadState('networkidle')
    expect(await page.locator('h1').innerText()).toBe('Ingrid Marie Bakken')
    // Pictures further down load as they come into view: bring each there, then all have loaded.
    const images = page.locator('main img')
    expect(await images.count()).toBeGreaterThan(0)
    for (const image of await images.all()) await image.scrollIntoViewIfNeeded()
    await expect.poll(() => images.evaluateAll(all => all
      .filter(image => !(image as HTMLImageElement).complete || (image as HTMLImageElement).naturalWidth === 0)
      .map(image => image.getAttribute('alt')))).toEqual([])
    await page.evaluate(() => window.scrollTo(0, 0))
    // Kept with the other artefacts; copied to docs/screenshot.png by hand when the look changes.
    mkdirSync(resolve(root, 'test-artifacts'), { recursive: true })
    await page.screenshot({ path: resolve(root, 'test-artifacts/readme-screenshot.png') })
    await context.close()
  })
})
