// The admin area in Chromium: an org admin adds, renames and closes a unit, changes
// a staff member's role and removes them, sets a goal, reads the insight with its
// tables and downloads the CSV; the access overview; the help page for a relative.
import { readFileSync } from 'node:fs'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import {
  acceptTerms, addGuestbookPost, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, type Person, signedInPage, sql,
} from './fixtures'
import { expectAccessible, launchBrowser, screenshot, visit } from './support'

let browser: Browser
let home: CareHome
let admin: Person
let leader: Person
let staff: Person
let relative: Person

beforeAll(async () => {
  await ensureLegalDocuments()
  home = await createCareHome('Adminvik')
  ;[admin, leader, staff, relative] = await Promise.all([createPerson('Hanne Admin'), createPerson('Lars Leder'),
    createPerson('Stine Stell'), createPerson('Rune Sønn')])
  for (const person of [admin, leader, staff, relative]) await acceptTerms(person)
  await sql('insert into public.organisation_admins (organisation_id, user_id) values ($1, $2)', [home.organisationId, admin.id])
  await addToUnit(leader, home.unitId, 'leader')
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(relative, home.residentId, 'primary_contact')
  await addGuestbookPost(relative, home.residentId, 'Hei mor, vi kommer på søndag!')
  await addGuestbookPost(staff, home.residentId, 'Vi bakte boller i dag.', 'glimpse')
  browser = await launchBrowser()
}, 120_000)
afterAll(() => browser?.close())

const signedIn = (person: Person, viewport = { width: 1280, height: 900 }) => signedInPage(browser, person, { viewport })

const feedback = (page: Page) => page.getByTestId('admin-feedback')

describe('the admin area', { timeout: 90_000 }, () => {
  test('an org admin manages units from the overview', async () => {
    const { page, context, foreignRequests } = await signedIn(admin)
    await page.getByTestId('overview-admin-link').click()
    await page.waitForURL(/\/admin$/)
    await page.getByLabel('Navn på avdelingen').fill('Avdeling Blåbærlia')
    await page.getByRole('button', { name: 'Legg til avdeling' }).click()
    await expect.poll(() => feedback(page).innerText()).toContain('«Avdeling Blåbærlia» er lagt til')
    await page.getByRole('button', { name: 'Endre navn: Avdeling Blåbærlia' }).click()
    await page.getByLabel('Nytt navn').fill('Avdeling Tyttebærlia')
    await page.getByRole('button', { name: 'Lagre' }).click()
    await expect.poll(() => page.locator('main').innerText()).toContain('Avdeling Tyttebærlia')
    await page.getByRole('button', { name: 'Steng avdelingen: Avdeling Tyttebærlia' }).click()
    await expect.poll(() => feedback(page).innerText()).toContain('Avdelingen er stengt')
    const [row] = await sql<{ closed_at: Date | null }>(`select closed_at from public.units where name = 'Avdeling Tyttebærlia'`)
    expect(row?.closed_at).not.toBeNull()
    await expectAccessible(page, 'admin front page')
    await screenshot(page, 'admin-units')
    expect(foreignRequests).toEqual([])
    await context.close()
  })

  test('a leader changes a role, removes a staff member and sets a goal', async () => {
    const { page, context } = await signedIn(leader)
    await visit(page, `/admin/units/${home.unitId}`)
    await page.getByTestId('admin-unit-page').waitFor()
    await page.getByTestId(`staff-${staff.id}`).getByRole('combobox').click()
    await page.getByRole('option', { name: 'Superbruker' }).click()
    await expect.poll(() => feedback(page).innerText()).toContain('Stine Stell er nå Superbruker')
    await page.getByRole('button', { name: 'Fjern Stine Stell fra avdelingen' }).click()
    await page.getByTestId('staff-remove-confirm').click()
    await expect.poll(() => feedback(page).innerText()).toContain('har ikke lenger tilgang')
    expect(await sql('select 1 from public.unit_members where user_id = $1', [staff.id])).toEqual([])

    await page.getByText('Et hverdagsglimt hver uke', { exact: true }).click()
    await page.getByRole('button', { name: 'Legg til målet' }).click()
    await expect.poll(() => page.getByTestId('goal-progress').first().innerText()).toContain('1 av 1 beboere')
    await expectAccessible(page, 'unit admin page')
    await screenshot(page, 'admin-unit')
    await context.close()
  })

  test('the insight shows figures with tables and downloads a CSV with a byte-order mark', async () => {
    const { page, context } = await signedIn(admin)
    await visit(page, `/admin/insight?organisation=${home.organisationId}`)
    await page.getByTestId('insight').waitFor()
    // The staff member's glimpse counts as staff only while they are staff (the test before removes them).
    await expect.poll(() => page.getByTestId('figure-postsByRelatives').innerText()).toBe('1')
    expect(['0', '1']).toContain(await page.getByTestId('figure-postsByStaff').innerText())
    // The week charts name their weeks on the axis: the newest week always has its date.
    const labels = page.getByTestId('week-axis-label')
    expect(await labels.count()).toBeGreaterThan(1)
    expect(await labels.last().textContent()).toMatch(/^\d{1,2}\. [a-zæøå]+\.?$/)
    await page.getByText('Vis som tabell').first().click()
    await expect.poll(() => page.locator('table').first().innerText()).toContain('Hvem jeg er')
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('insight-csv').click()])
    const bytes = readFileSync((await download.path())!)
    expect([...bytes.subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
    expect(bytes.toString('utf8')).toContain('Adminvik kommune')
    await expectAccessible(page, 'organisation insight')
    for (const [name, viewport] of [['phone', { width: 390, height: 844 }], ['tablet', { width: 820, height: 1180 }],
      ['pc', { width: 1280, height: 900 }]] as const) {
      await page.setViewportSize(viewport)
      await screenshot(page, `admin-insight-${name}`)
      expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth))
        .toBeLessThanOrEqual(0)
    }
    await visit(page, `/admin/residents/${home.residentId}`)
    await page.getByTestId('admin-access-page').waitFor()
    await expect.poll(() => page.getByTestId('access-row').allInnerTexts())
      .toEqual(expect.arrayContaining([expect.stringContaining('Rune Sønn'), expect.stringContaining('Hanne Admin')]))
    await expectAccessible(page, 'access overview')
    await screenshot(page, 'admin-access')
    await context.close()
  })

  test('a leader sees their own unit\'s insight, and is refused another unit\'s', async () => {
    const other = await createCareHome('Annenvik')
    const { page, context } = await signedIn(leader)
    await visit(page, `/admin/units/${home.unitId}/insight`)
    await page.getByTestId('insight').waitFor()
    await visit(page, `/admin/units/${other.unitId}/insight`)
    await expect.poll(() => page.getByRole('alert').innerText()).toBeTruthy()
    expect(await page.getByTestId('insight').count()).toBe(0)
    await context.close()
  })

  test('the help page shows a relative how to start, whom to ask, and the reminder switch', async () => {
    const { page, context } = await signedIn(relative, { width: 390, height: 844 })
    await visit(page, '/help')
    await page.getByTestId('help-guide-primaryContact').waitFor()
    await expect.poll(() => page.getByTestId('help-contact-unit').innerText()).toContain('Lars Leder')
    await page.getByTestId(`nudge-${home.residentId}`).click()
    await expect.poll(() => page.getByTestId('admin-feedback').innerText()).toContain('Du får en påminnelse')
    const [choice] = await sql<{ enabled: boolean }>(
      'select enabled from public.family_nudge_preferences where user_id = $1', [relative.id])
    expect(choice?.enabled).toBe(true)
    await expectAccessible(page, 'help page')
    await screenshot(page, 'help-phone')
    await context.close()
  })
})
