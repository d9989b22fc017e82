// The guestbook's edges in Chromium: photos attached on the spot go through the
// albums' pipeline and lose their GPS position, files that are not photos are refused by their content, and the
// "turn off" link in a glimpse e-mail works without signing in.
import { readFileSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { acceptTerms, addToResident, addToUnit, createCareHome, createPerson, ensureLegalDocuments,
  fixturePassword, sql, type CareHome, type Person } from './fixtures'
import { adminClient, app, launchBrowser, openPage, signIn, visit, waitForHome } from './support'

const gpsPhoto = '/work/shared/fixtures/media/gps/iphone5-gps-orientation3.jpg'

let browser: Browser
let home: CareHome
let staff: Person
let relative: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Vedlegg')
  staff = await createPerson('Stine Pleier')
  relative = await createPerson('Per Sønn')
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(relative, home.residentId, 'relative')
  for (const person of [staff, relative]) await acceptTerms(person)
})
afterAll(() => browser?.close())

async function frontPage(person: Person) {
  const opened = await openPage(browser)
  // A busy CI machine builds pages slowly; the live assertions below keep their own one-second limits.
  opened.page.setDefaultTimeout(20_000)
  await signIn(opened.page, person.email, fixturePassword)
  await waitForHome(opened.page)
  await visit(opened.page, `/residents/${home.residentId}`)
  await opened.page.getByTestId('guestbook-composer').waitFor()
  return opened
}

describe('photos on the spot', () => {
  test('a phone photo is posted without its GPS position', { timeout: 40_000 }, async () => {
    // The phone wrote its position into the EXIF block; no EXIF block, no position.
    expect(readFileSync(gpsPhoto).includes(Buffer.from('Exif'))).toBe(true)
    const { page, context } = await frontPage(staff)
    await page.getByTestId('guestbook-files').setInputFiles(gpsPhoto)
    await page.getByTestId('guestbook-text').fill('Kaffe på verandaen i sola ☕')
    await page.getByTestId('guestbook-submit').click()
    const post = page.getByTestId('guestbook-post').filter({ hasText: 'Kaffe på verandaen' })
    await post.getByRole('img', { name: 'Bilde 1' }).waitFor()

    const [item] = await sql<{ storage_path: string, mime_type: string }>(`select m.storage_path, m.mime_type
      from public.guestbook_post_media a join public.media_items m on m.id = a.media_item_id
      join public.guestbook_posts p on p.id = a.post_id where p.body = 'Kaffe på verandaen i sola ☕'`)
    // The albums' pipeline stored it, in the resident's media folder, not a guestbook side path.
    expect(item!.storage_path).toMatch(new RegExp(`^${home.residentId}/media/[0-9a-f-]{36}/original-[0-9a-f]{8}\\.jpg$`))
    expect(item!.mime_type).toBe('image/jpeg')
    const { data, error } = await adminClient().storage.from('media').download(item!.storage_path)
    expect(error).toBeNull()
    const stored = Buffer.from(await data!.arrayBuffer())
    expect([...stored.subarray(0, 3)]).toEqual([0xFF, 0xD8, 0xFF])
    expect(stored.includes(Buffer.from('Exif'))).toBe(false)
    await context.close()
  })

  test('a file that only calls itself a photo is refused by its content', { timeout: 40_000 }, async () => {
    const { page, context } = await frontPage(relative)
    await page.getByTestId('guestbook-files').setInputFiles({
      name: 'feriebilde.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('dette er tekst, ikke et bilde') })
    await expect.poll(() => page.getByTestId('guestbook-composer').getByRole('alert').innerText())
      .toBe('feriebilde.jpg er ikke et bilde eller en video vi kan vise.')
    await context.close()
  })
})

describe('the health-information check', () => {
  test('warns before posting, and a post made anyway is flagged as confirmed', { timeout: 40_000 }, async () => {
    const { page, context } = await frontPage(relative)
    await page.getByTestId('guestbook-text').fill('Mamma har fått en urinveisinfeksjon, så vi kommer i morgen')
    await page.getByTestId('guestbook-submit').click()
    await expect.poll(() => page.getByTestId('guestbook-health-warning').innerText())
      .toContain('(urinveisinfeksjon)')
    expect(await page.getByTestId('guestbook-text').inputValue()).toContain('så vi kommer i morgen')
    await page.getByRole('button', { name: 'Del likevel' }).click()
    await page.getByTestId('guestbook-post').filter({ hasText: 'så vi kommer i morgen' }).waitFor()
    const flags = await sql(`select f.matched_terms, f.confirmed from public.health_flags f
      join public.guestbook_posts p on p.id = f.row_id where p.resident_id = $1`, [home.residentId])
    expect(flags).toEqual([{ matched_terms: ['urinveisinfeksjon'], confirmed: true }])
    await context.close()
  })
})

describe('turning glimpse e-mails off', () => {
  test('works from the e-mail\'s link without signing in, and only after the button', { timeout: 40_000 }, async () => {
    await sql(`insert into public.guestbook_notice_preferences (user_id, resident_id, frequency)
      values ($1, $2, 'daily')`, [relative.id, home.residentId])
    const [{ unsubscribe_token: token }] = await sql<{ unsubscribe_token: string }>(`select unsubscribe_token
      from public.guestbook_notice_preferences where user_id = $1`, [relative.id]) as [{ unsubscribe_token: string }]
    const { page, context } = await openPage(browser)
    await visit(page, `/notices/unsubscribe?token=${token}`)
    expect((await sql(`select frequency from public.guestbook_notice_preferences where user_id = $1`,
      [relative.id]))[0]).toEqual({ frequency: 'daily' })
    await page.getByTestId('unsubscribe-confirm').click()
    await expect.poll(() => page.getByTestId('unsubscribe-done').innerText())
      .toBe(`Ferdig. Du får ikke flere e-poster om hverdagsglimt fra ${home.residentName}.`)
    expect((await sql(`select frequency from public.guestbook_notice_preferences where user_id = $1`,
      [relative.id]))[0]).toEqual({ frequency: 'off' })
    await context.close()
  })

  test.each([
    ['a one-click POST with a known token', 'known', 200],
    ['an unknown token', '00000000-0000-4000-8000-000000000000', 404],
    ['something that is not a token', 'drop table', 404],
  ])('answers %s', async (_, given, status) => {
    const [{ unsubscribe_token: token }] = await sql<{ unsubscribe_token: string }>(`select unsubscribe_token
      from public.guestbook_notice_preferences where user_id = $1`, [relative.id]) as [{ unsubscribe_token: string }]
    const response = await fetch(`${app.url}/api/guestbook/unsubscribe?token=${given === 'known' ? token : given}`, {
      method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'List-Unsubscribe=One-Click' })
    expect(response.status).toBe(status)
  })

  test('the notice run refuses a caller without the scheduler\'s secret', async () => {
    const response = await fetch(`${app.url}/api/guestbook/notices`, { method: 'POST' })
    expect(response.status).toBe(401)
  })
})
