// Password reset through the local mailbox, the lock-out after repeated wrong passwords,
// the account page, and the access-denied page for a profile nobody invited you to.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { acceptTerms, addToResident, createCareHome, createPerson, ensureLegalDocuments, fixturePassword } from './fixtures'
import { adminClient, app, expectAccessible, launchBrowser, linkIn, openPage, screenshot, signIn, stack, visit, waitForApp, waitForMessage } from './support'

let browser: Browser
beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
})
afterAll(() => browser?.close())

describe('a forgotten password', { timeout: 60_000 }, () => {
  test('is replaced through the link in the e-mail, and the new one signs in', async () => {
    const person = await createPerson('Glemsk Person')
    await acceptTerms(person)
    const { page, context } = await openPage(browser)
    await visit(page, '/forgot-password')
    await page.getByTestId('forgot-email').fill(person.email)
    await page.getByTestId('forgot-submit').click()
    await expect.poll(() => page.getByTestId('forgot-sent').innerText()).toContain('Hvis adressen finnes hos oss')
    await expectAccessible(page, 'forgot password')

    const message = await waitForMessage(person.email, m => m.subject === 'Reset your password')
    await page.goto(linkIn(message, `${stack.apiUrl}/auth/v1/verify`))
    await page.waitForURL(/\/reset-password/)
    await waitForApp(page)
    await page.getByTestId('new-password').fill('et helt nytt passord')
    await expectAccessible(page, 'reset password')
    await page.getByTestId('reset-submit').click()
    await page.waitForURL(/\/welcome/)

    const fresh = await openPage(browser)
    await signIn(fresh.page, person.email, 'et helt nytt passord')
    await fresh.page.waitForURL(/\/welcome/)
    await fresh.context.close()
    await context.close()
  })
})

describe('signing in too many times with a wrong password', { timeout: 60_000 }, () => {
  test('locks the account for a while and says so', async () => {
    const person = await createPerson('Uheldig Person')
    const { page, context } = await openPage(browser)
    await visit(page, '/sign-in')
    let message = ''
    for (let attempt = 0; attempt < 8 && !message.includes('For mange forsøk'); attempt++) {
      await page.getByTestId('identifier').fill(person.email)
      await page.getByTestId('password').fill(`feil ${attempt}`)
      await page.getByTestId('sign-in-submit').click()
      await expect.poll(() => page.getByTestId('sign-in-error').isVisible(), { timeout: 10_000 }).toBe(true)
      await page.waitForFunction(() => !document.querySelector('[data-testid="sign-in-submit"][disabled]'))
      message = await page.getByTestId('sign-in-error').innerText()
    }
    expect(message).toContain('For mange forsøk på kort tid')
    await context.close()
  })
})

describe('the account page', { timeout: 60_000 }, () => {
  test('changes the name and the language, and signs out everywhere', async () => {
    const person = await createPerson('Konto Person')
    await acceptTerms(person)
    const first = await openPage(browser)
    const second = await openPage(browser)
    for (const { page } of [first, second]) {
      await signIn(page, person.email, fixturePassword)
      await page.waitForURL(/\/welcome/)
    }

    const { page } = first
    await visit(page, '/account')
    await page.getByTestId('account-name').fill('Kari Konto')
    await page.getByTestId('account-save').click()
    await expect.poll(() => page.getByTestId('account-details-message').innerText()).toBe('Lagret.')
    await expectAccessible(page, 'account')
    await screenshot(page, 'account')

    await page.getByTestId('language-switch').last().selectOption('en')
    await expect.poll(() => page.locator('h1').innerText()).toBe('My account')
    await expect.poll(async () => {
      const { data } = await adminClient().auth.admin.getUserById(person.id)
      return data.user?.user_metadata.locale
    }).toBe('en')

    await page.getByTestId('sign-out-everywhere').click()
    await page.waitForURL(/\/sign-in/)
    await second.page.goto(`${app.url}/account`)
    await second.page.waitForURL(/\/sign-in/)
    await first.context.close()
    await second.context.close()
  })
})

describe('a profile you were not invited to', { timeout: 60_000 }, () => {
  test('shows the access-denied page, which explains what to do', async () => {
    const mine = await createCareHome('Egen')
    const other = await createCareHome('Annen')
    const relative = await createPerson('Nysgjerrig Slektning')
    await addToResident(relative, mine.residentId, 'relative')
    await acceptTerms(relative)

    const { page, context } = await openPage(browser)
    await signIn(page, relative.email, fixturePassword)
    await page.waitForURL(new RegExp(`/residents/${mine.residentId}`))
    await visit(page, `/residents/${other.residentId}`)
    await page.waitForURL(/\/access-denied/)
    await expect.poll(() => page.getByTestId('access-denied').innerText()).toContain('Spør personalet')
    expect(await page.locator('body').innerText()).not.toContain(other.residentName)
    await expectAccessible(page, 'access denied')
    await screenshot(page, 'access-denied')
    await context.close()
  })

  test('an unknown address shows a 404 page in words', async () => {
    const { page, context } = await openPage(browser)
    const response = await visit(page, '/finnes/ikke')
    expect(response?.status()).toBe(404)
    await expect.poll(() => page.locator('h1').innerText()).toBe('Siden finnes ikke')
    await expectAccessible(page, '404')
    await context.close()
  })
})
