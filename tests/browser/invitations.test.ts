// From invitation to first page, for every role: the inviter sends it from the app,
// the invitee opens the link from the local mailbox, chooses a password, accepts,
// accepts the terms and lands on the profile or unit. The mail's link leads to the
// app's own page (supabase/templates/invite.html), so opening it uses up nothing.
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { acceptTerms, addToUnit, createCareHome, createPerson, ensureLegalDocuments, type CareHome, type Person } from './fixtures'
import { adminClient, app, expectAccessible, launchBrowser, linkIn, openPage, screenshot, signIn, uniqueEmail, uniquePhone, visit, waitForApp, waitForMessage } from './support'

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

/** What a mail scanner does: fetches the link, and opens it in a browser, twice. */
async function openAsMailScanner(link: string) {
  for (let time = 0; time < 2; time++) {
    expect((await fetch(link)).status).toBe(200)
    const scanner = await openPage(browser)
    await scanner.page.goto(link)
    await waitForApp(scanner.page)
    await expect.poll(() => scanner.page.getByTestId('invitation-summary').innerText()).toContain('Pårørende')
    await scanner.context.close()
  }
}

/** The leader invites the address to the test home's resident from the app. */
async function inviteToResident(address: string, label: string, relationship: string) {
  const inviter = await openPage(browser)
  await signIn(inviter.page, leader.email, 'solsikke på fjellet')
  await inviter.page.waitForURL(new RegExp(`/units/${home.unitId}`))
  await invite(inviter.page, `/residents/${home.residentId}/invitations`, address, label, relationship)
  await inviter.context.close()
}

describe('an invitation leads a new person to the right page', { timeout: 120_000 }, () => {
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
    const link = linkIn(message, `${app.url}/invitation/`)
    expect(link).toMatch(/\/invitation\/[0-9a-f]{32}\?token_hash=[0-9a-f]+&type=invite$/)
    if (role === 'relative') await openAsMailScanner(link)
    const { page, context, foreignRequests } = await openPage(browser)
    await page.goto(link)
    await waitForApp(page)
    await expect.poll(() => page.getByTestId('invitation-summary').innerText()).toContain(label)
    await page.getByTestId('invitation-name').fill('Nye Nordmann')
    await page.getByTestId('invitation-password').fill('et nytt og langt passord')
    if (role === 'relative') {
      await expectAccessible(page, 'invitation accept')
      await screenshot(page, 'invitation-accept')
    }
    await page.getByTestId('invitation-accept-submit').click()

    // Accepting is five requests in a row (verify, password, name, accept, access): give a busy machine time.
    await page.waitForURL(/\/terms/, { timeout: 30_000 })
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

describe('an invitation to someone who already has an account', { timeout: 60_000 }, () => {
  test('comes as a link to the invitation page, and a press on accept lets them in', async () => {
    const known = await createPerson('Kjent Person')
    await acceptTerms(known)
    await inviteToResident(known.email, 'Leser', 'Venn')
    const message = await waitForMessage(known.email)
    const link = linkIn(message, `${app.url}/invitation/`)
    expect(link).toContain('type=magiclink')

    await openAsMailScannerOnly(link)
    const { page, context } = await openPage(browser)
    await page.goto(link)
    await waitForApp(page)
    await expect.poll(() => page.getByTestId('invitation-summary').innerText()).toContain('Leser')
    await expectAccessible(page, 'invitation for a known person')
    await page.getByTestId('invitation-accept-submit').click()
    await page.waitForURL(url => url.pathname === `/residents/${home.residentId}`)
    expect(new URL(page.url()).search).toBe('')
    await context.close()
  })
})

describe('an invitation whose link was used up elsewhere', { timeout: 60_000 }, () => {
  test('says so, sends a fresh link on request, and the fresh link lets the person in', async () => {
    const email = uniqueEmail('brukt')
    await inviteToResident(email, 'Pårørende', 'Nevø')
    const first = await waitForMessage(email)
    const link = linkIn(first, `${app.url}/invitation/`)
    // Someone (or something) signed in with the link's hash before the person did.
    const spent = await adminClient().auth.verifyOtp({
      token_hash: new URL(link).searchParams.get('token_hash')!, type: 'invite',
    })
    expect(spent.error).toBeNull()

    const { page, context } = await openPage(browser)
    await page.goto(link)
    await waitForApp(page)
    await page.getByTestId('invitation-name').fill('Nils Nevø')
    await page.getByTestId('invitation-password').fill('et langt nok passord')
    await page.getByTestId('invitation-accept-submit').click()
    await expect.poll(() => page.getByTestId('invitation-link-failed').innerText()).toContain('virker ikke lenger')
    await page.getByTestId('invitation-new-link').click()
    await expect.poll(() => page.getByTestId('invitation-new-link-sent').innerText()).toContain('ny lenke')
    await expectAccessible(page, 'invitation with a spent link')

    const fresh = await waitForMessage(email, message => linkIn(message, `${app.url}/invitation/`) !== link)
    const freshLink = linkIn(fresh, `${app.url}/invitation/`)
    expect(freshLink).toContain('type=magiclink')
    await page.goto(freshLink)
    await waitForApp(page)
    await page.getByTestId('invitation-accept-submit').click()
    // Invited before and never chose a password: the page asks for one now.
    await page.getByTestId('invitation-password').fill('et langt nok passord')
    await page.getByTestId('invitation-accept-submit').click()
    await page.waitForURL(/\/terms/)
    await context.close()
  })
})

/** A scanner's plain GETs of a link, without a browser. */
async function openAsMailScannerOnly(link: string) {
  for (let time = 0; time < 2; time++) expect((await fetch(link)).status).toBe(200)
}
