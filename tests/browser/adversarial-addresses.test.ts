// Addresses typed or mangled by hand: a resident or unit that is not a uuid must give the
// 404 page in words, not a blank page with only the header.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { app, launchBrowser, openPage, signIn } from './support'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

describe('a hand-typed address that cannot exist', { timeout: 60_000 }, () => {
  test.each(['/residents/not-a-uuid', '/residents/123/albums', '/units/solsiden', '/residents/91a8c0f4-acd3-5ca6-8dc3-a6ef6a46b0e6/stories/1'])('%s shows the 404 page', async (path) => {
    const { page, context } = await openPage(browser)
    await signIn(page, 'per.bakken@demo.minnespor.no', 'minnespor-demo')
    await page.waitForURL(/\/residents\/[0-9a-f-]{36}$/)
    await page.goto(`${app.url}${path}`)
    await expect.poll(() => page.locator('body').innerText()).toContain('Siden finnes ikke')
    await context.close()
  })
})
