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

describe('an invitation address that was never sent', { timeout: 60_000 }, () => {
  test.each([
    ['a well-formed token nobody issued', '/invitation/0123456789abcdef0123456789abcdef'],
    ['a token cut short', '/invitation/0123'],
  ])('%s says the invitation cannot be found, and whom to ask', async (_label, path) => {
    const { page, context } = await openPage(browser, { viewport: { width: 390, height: 844 } })
    await page.goto(`${app.url}${path}?token_hash=abc&type=invite`)
    await expect.poll(() => page.getByTestId('empty-state').innerText())
      .toContain('Vi finner ikke denne invitasjonen')
    expect(await page.getByTestId('invitation-accept').count()).toBe(0)
    await context.close()
  })
})

describe('a page whose data cannot be loaded', { timeout: 60_000 }, () => {
  test('shows the error state in words, with a way to try again', async () => {
    const { page, context } = await openPage(browser, { serviceWorkers: 'block' })
    // The invitation preview's request fails as on a dead mobile connection.
    await page.route('**/rest/v1/rpc/invitation_preview', route => route.abort('internetdisconnected'))
    await page.goto(`${app.url}/sign-in`)
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
    await page.evaluate(() => {
      const app = (document.querySelector('#__nuxt') as unknown as { __vue_app__: { config: { globalProperties: { $router: { push: (path: string) => Promise<void> } } } } }).__vue_app__
      return app.config.globalProperties.$router.push('/invitation/0123456789abcdef0123456789abcdef')
    })
    const alert = page.getByRole('alert')
    await expect.poll(() => alert.innerText()).toContain('Vi får ikke kontakt med serveren')
    expect(await page.getByRole('button', { name: 'Prøv igjen' }).count()).toBe(1)
    await context.close()
  })
})
