// From invitation to first page, for every role: the inviter sends it from the app,
// the invitee opens the link from the local mailbox, chooses a password, accepts,
// accepts the terms and lands on the profile or unit.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { acceptTerms, addToUnit, createCareHome, createPerson, ensureLegalDocuments, type CareHome, type Person } from './fixtures'
import { expectAccessible, launchBrowser, linkIn, openPage, screenshot, signIn, stack, uniqueEmail, uniquePhone, visit, waitForApp, waitForMessage } from './support'

let browser: Browser
let home: CareHome
let leader: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Invitasjon')
  leader = await createPerson('Liv Leder')
  await addToUnit(leader, home.unitId, 'leader')
  await acceptTerms(leader)
})
afterAll(() => browser?.close())

/** The inviter fills in the invite form on the resident's or the unit's invitation page. */
async function invite(page: Page, path: string, email: string, role: string, relationship?: string) {
  await visit(page, path)
  await page.getByTestId('invitation-address').fill(email)
  await page.getByTestId('invitation-role').click()
  await page.getByRole('option', { name: role, exact: true }).click()
  if (relationship) await page.getByTestId('invitation-relationship').fill(relationship)
  await page.getByTestId('invitation-send').click()
  await expect.poll(() => page.getByTestId('invitation-feedback').innerText()).toContain('Invitasjonen er sendt')
  await expect.poll(() => page.getByTestId('invitation-list').innerText()).toContain(email)
}

describe('an invitation leads a new person to the right page', { timeout: 60_000 }, () => {
  test.each([
    { role: 'relative', label: 'Pårørende', target: 'resident', relationship: 'Datter' },
    { role: 'viewer', label: 'Leser', target: 'resident', relationship: 'Barnebarn' },
    { role: 'primary_contact', label: 'Hovedkontakt', target: 'resident', relationship: 'Sønn' },
    { role: 'staff', label: 'Helsepersonell', target: 'unit' },
    { role: 'superuser', label: 'Superbruker', target: 'unit' },
    { role: 'leader', label: 'Enhetsleder', target: 'unit' },
  ])('as $role', async ({ role, label, target, relationship }) => {
    const inviter = await openPage(browser)
    await signIn(inviter.page, leader.email, 'solsikke på fjellet')
    await inviter.page.waitForURL(new RegExp(`/units/${home.unitId}`))
    const path = target === 'resident' ? `/residents/${home.residentId}/invitations` : `/units/${home.unitId}/invitations`
    const email = uniqueEmail(role)
    await invite(inviter.page, path, email, label, relationship)
    if (role === 'relative') {
      await expectAccessible(inviter.page, 'invitation page')
      await screenshot(inviter.page, 'invitations')
    }
    await inviter.context.close()

    const message = await waitForMessage(email)
    const { page, context, foreignRequests } = await openPage(browser)
    await page.goto(linkIn(message, `${stack.apiUrl}/auth/v1/verify`))
    await page.waitForURL(/\/invitation\//)
    await waitForApp(page)
    await expect.poll(() => page.getByTestId('invitation-summary').innerText()).toContain(label)
    await page.getByTestId('invitation-name').fill('Nye Nordmann')
    await page.getByTestId('invitation-password').fill('et nytt og langt passord')
    if (role === 'relative') {
      await expectAccessible(page, 'invitation accept')
      await screenshot(page, 'invitation-accept')
    }
    await page.getByTestId('invitation-accept-submit').click()

    await page.waitForURL(/\/terms/)
    await expect.poll(() => page.getByTestId('terms-plain-note').innerText()).toContain('ikke for helseopplysninger')
    if (role === 'relative') {
      await expectAccessible(page, 'terms')
      await screenshot(page, 'terms')
    }
    await page.getByTestId('terms-agree').click()
    await page.getByTestId('terms-accept').click()

    const landing = target === 'resident' ? `/residents/${home.residentId}` : `/units/${home.unitId}`
    await page.waitForURL(url => url.pathname === landing)
    const heading = target === 'resident' ? home.residentName : home.unitName
    await expect.poll(() => page.locator('h1').innerText()).toBe(heading)
    await expectAccessible(page, `${role} landing page`)
    await screenshot(page, `landing-${role}`)
    expect(foreignRequests).toEqual([])
    await context.close()
  })
})

describe('an invitation by text message', { timeout: 60_000 }, () => {
  test('is opened with the code from the SMS and leads to the profile', async () => {
    const phone = uniquePhone()
    const inviter = await openPage(browser)
    await signIn(inviter.page, leader.email, 'solsikke på fjellet')
    await inviter.page.waitForURL(new RegExp(`/units/${home.unitId}`))
    await invite(inviter.page, `/residents/${home.residentId}/invitations`, phone, 'Pårørende', 'Nabo')
    await inviter.context.close()

    const sms = await waitForMessage(`+47${phone}`, message => message.kind === 'sms')
    const code = sms.text.match(/\d{6}/)![0]
    const { page, context } = await openPage(browser)
    await visit(page, '/invitation/code')
    await page.getByTestId('code-phone').fill(phone)
    await page.getByTestId('code-value').fill(code)
    await page.getByTestId('code-submit').click()
    await page.waitForURL(/\/invitation\/[0-9a-f]{32}/)
    await waitForApp(page)
    await page.getByTestId('invitation-password').fill('et passord for sms')
    await page.getByTestId('invitation-accept-submit').click()
    await page.waitForURL(/\/terms/)
    await page.getByTestId('terms-agree').click()
    await page.getByTestId('terms-accept').click()
    await page.waitForURL(url => url.pathname === `/residents/${home.residentId}`)
    await expectAccessible(page, 'profile after SMS invitation')
    await context.close()
  })
})
