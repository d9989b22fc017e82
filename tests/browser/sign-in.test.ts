// Signing in by e-mail and by phone, the messages for wrong credentials, and the
// language switch, in Chromium against the production build and the local stack.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { adminClient, app, expectAccessible, launchBrowser, openPage, screenshot, signIn, uniqueEmail, uniquePhone, visit } from './support'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
})
afterAll(() => browser?.close())

async function createPerson(contact: { email?: string, phone?: string }, password: string) {
  const { data, error } = await adminClient().auth.admin.createUser({
    ...contact, password, email_confirm: Boolean(contact.email), phone_confirm: Boolean(contact.phone),
    user_metadata: { full_name: 'Kari Nordmann' },
  })
  if (error) throw error
  return data.user
}

describe('the sign-in page', () => {
  test('is in Norwegian even for an English browser, accessible, and asks nothing of other hosts', async () => {
    const { page, context, foreignRequests } = await openPage(browser, { locale: 'en-US' })
    await visit(page, '/sign-in')
    await expect.poll(() => page.locator('h1').innerText()).toBe('Logg inn')
    expect(await page.getAttribute('html', 'lang')).toBe('nb')
    await expectAccessible(page, 'sign-in')
    await screenshot(page, 'sign-in')
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  test('says so in words when the password is wrong', async () => {
    const email = uniqueEmail('feil')
    await createPerson({ email }, 'riktig passord 1')
    const { page, context } = await openPage(browser)
    await signIn(page, email, 'galt passord')
    await expect.poll(() => page.getByTestId('sign-in-error').innerText()).toContain('E-post, mobilnummer eller passord er feil')
    await context.close()
  })

  test('switches to English and back, and remembers it', async () => {
    const { page, context } = await openPage(browser)
    await visit(page, '/sign-in')
    await page.getByTestId('language-switch').selectOption('en')
    await expect.poll(() => page.locator('h1').innerText()).toBe('Sign in')
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await page.reload()
    await expect.poll(() => page.locator('h1').innerText()).toBe('Sign in')
    await expectAccessible(page, 'sign-in (English)')
    await context.close()
  })
})

describe('when something is wrong', () => {
  test('a dead network is explained as such', async () => {
    const { page, context } = await openPage(browser)
    await visit(page, '/sign-in')
    await context.setOffline(true)
    await page.getByTestId('identifier').fill('kari@eksempel.no')
    await page.getByTestId('password').fill('et langt passord')
    await page.getByTestId('sign-in-submit').click()
    await expect.poll(() => page.getByTestId('sign-in-error').innerText(), { timeout: 15_000 })
      .toContain('Vi får ikke kontakt med serveren')
    await context.close()
  })

  test('an expired session sends you to sign in again, and says why', async () => {
    const { page, context } = await openPage(browser)
    const host = new URL(app.url).hostname
    await context.addCookies([{ name: 'sb-127-auth-token', value: 'base64-eyJleHBpcmVkIjp0cnVlfQ', domain: host, path: '/' }])
    await visit(page, '/account')
    await page.waitForURL(/\/sign-in\?/)
    expect(new URL(page.url()).searchParams.get('next')).toBe('/account')
    await expect.poll(() => page.getByTestId('sign-in-notice').innerText()).toContain('Økten din er utløpt')
    await context.close()
  })
})

describe('signing in', () => {
  test.each([
    ['an e-mail address', () => ({ email: uniqueEmail('epost') }), (c: { email?: string, phone?: string }) => c.email!],
    ['a Norwegian mobile number', () => ({ phone: `+47${uniquePhone()}` }), (c: { email?: string, phone?: string }) => c.phone!.slice(3)],
  ])('works with %s and lands on the welcome page when nothing is shared yet', async (_label, contact, typed) => {
    const details = contact()
    await createPerson(details, 'et langt passord')
    const { page, context } = await openPage(browser)
    await signIn(page, typed(details), 'et langt passord')
    await page.waitForURL(/\/(welcome|terms)/)
    if (page.url().includes('/terms')) {
      await page.getByTestId('terms-agree').click()
      await page.getByTestId('terms-accept').click()
      await page.waitForURL(/\/welcome/)
    }
    await expect.poll(() => page.locator('h1').innerText()).toBe('Velkommen til Minnespor')
    await expectAccessible(page, 'welcome')
    await context.close()
  })
})
