// A dead network and an expired session, met in the middle of using the app: each is
// said in words, in the person's language, and what they typed stays where it was.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { acceptTerms, addToResident, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, type CareHome, type Person } from './fixtures'
import { adminClient, launchBrowser, openPage, signIn, visit } from './support'

let browser: Browser
let home: CareHome
let relative: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Nettverk')
  relative = await createPerson('Nina Nettløs')
  await addToResident(relative, home.residentId, 'relative')
  await acceptTerms(relative)
})
afterAll(() => browser?.close())

async function signedIn() {
  const opened = await openPage(browser, { viewport: { width: 390, height: 844 } })
  await signIn(opened.page, relative.email, fixturePassword)
  await opened.page.waitForURL(url => url.pathname === `/residents/${home.residentId}`)
  return opened
}

describe('a dead network', { timeout: 60_000 }, () => {
  test('on the account page: the name is kept and the message says the network is down', async () => {
    const { page, context } = await signedIn()
    await visit(page, '/account')
    await page.getByTestId('account-name').fill('Nina Nettløs Nordmann')
    await context.setOffline(true)
    await page.getByTestId('account-save').click()
    await expect.poll(() => page.getByTestId('account-details-message').innerText(), { timeout: 15_000 })
      .toContain('Vi får ikke kontakt med serveren')
    expect(await page.getByTestId('account-name').inputValue()).toBe('Nina Nettløs Nordmann')
    await context.close()
  })

  test('in the guestbook composer: the text is kept and the message says the network is down', async () => {
    const { page, context } = await signedIn()
    await page.getByTestId('guestbook-text').fill('Hilsen fra hytta')
    await context.setOffline(true)
    await page.getByTestId('guestbook-submit').click()
    await expect.poll(() => page.getByTestId('guestbook-composer-problem').innerText(), { timeout: 15_000 })
      .toContain('Nettverket er nede')
    expect(await page.getByTestId('guestbook-text').inputValue()).toBe('Hilsen fra hytta')
    await context.close()
  })
})

describe('a session ended elsewhere', { timeout: 60_000 }, () => {
  test('on the account page: saving says the session ran out, in Norwegian', async () => {
    const { page, context } = await signedIn()
    await visit(page, '/account')
    await page.getByTestId('account-name').fill('Nina Utløpt')
    // "Sign out everywhere" from another device ends this browser's session too.
    const other = adminClient()
    const { error } = await other.auth.signInWithPassword({ email: relative.email, password: fixturePassword })
    expect(error).toBeNull()
    expect((await other.auth.signOut({ scope: 'global' })).error).toBeNull()
    await page.getByTestId('account-save').click()
    await expect.poll(() => page.getByTestId('account-details-message').innerText(), { timeout: 15_000 })
      .toContain('Økten din er utløpt')
    await context.close()
  })
})
