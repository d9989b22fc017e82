// The privacy pages in Chromium against the built app: no indexing, no public
// bucket, the confidentiality line; the privacy page as an org admin (export
// download, a removal request answered, delete); "Bilder av meg" for a tagged
// person; the audit page; deleting one's own account; and the exported book
// opened offline as a readable book. Screenshots land in test-artifacts/.
import { randomUUID } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { readZip } from '../privacy/zip-reader'
import {
  acceptTerms, addGuestbookPost, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, type Person, signedInPage, sql,
} from './fixtures'
import { adminClient, app, expectAccessible, launchBrowser, openPage, screenshot, visit } from './support'

let browser: Browser
// The machine is shared: a page may take seconds to load or refresh.
const wait = { timeout: 15_000 }
vi.setConfig({ testTimeout: 90_000 })
let home: CareHome
let admin: Person, staff: Person, contact: Person, tagged: Person
let photoId: string
// The downloaded ZIP unpacked, as a family would, for the book test to open.
const bookFolder = join(process.cwd(), 'test-artifacts', 'privacy-download')

/** A photo on the profile with its files, tagging `person`. */
async function addTaggedPhoto(residentId: string, person: Person, caption: string) {
  const id = randomUUID()
  const folder = `${residentId}/media/${id}`
  const bytes = await sharp({ create: { width: 320, height: 200, channels: 3, background: '#3d7ac8' } }).jpeg().toBuffer()
  for (const name of ['original.jpg', 'display.jpg', 'thumbnail.jpg']) {
    const { error } = await adminClient().storage.from('media').upload(`${folder}/${name}`, bytes, { contentType: 'image/jpeg' })
    if (error) throw error
  }
  await sql(`insert into public.media_items (id, resident_id, storage_path, kind, variants, caption, file_name)
    values ($1, $2, $3, 'image', $4, $5, 'sommer.jpg')`,
  [id, residentId, `${folder}/original.jpg`, { display: `${folder}/display.jpg`, thumbnail: `${folder}/thumbnail.jpg` }, caption])
  await sql(`insert into public.media_people (resident_id, media_item_id, person_id) values ($1, $2, $3)`, [residentId, id, person.id])
  return id
}

const signedIn = (person: Person, viewport?: { width: number, height: number }) => signedInPage(browser, person, { viewport })

beforeAll(async () => {
  await ensureLegalDocuments()
  home = await createCareHome('Personvern')
  ;[admin, staff, contact, tagged] = await Promise.all([createPerson('Hege Admin'), createPerson('Kari Pleier'),
    createPerson('Anne Datter'), createPerson('Emma Barnebarn')])
  for (const person of [admin, staff, contact, tagged]) await acceptTerms(person)
  await sql(`insert into public.organisation_admins (organisation_id, user_id) values ($1, $2)`, [home.organisationId, admin.id])
  await addToUnit(staff, home.unitId, 'staff')
  await addToResident(contact, home.residentId, 'primary_contact')
  await addToResident(tagged, home.residentId, 'viewer')
  photoId = await addTaggedPhoto(home.residentId, tagged, 'Sommer på hytta')
  await addGuestbookPost(contact, home.residentId, 'Gratulerer med dagen, mamma!')
  await sql(`insert into public.relations (resident_id, name, is_living, description, consent_confirmed_at, consent_confirmed_by)
    values ($1, 'Per', true, 'Sønn', now(), $2)`, [home.residentId, contact.id])
  browser = await launchBrowser()
}, 120_000)

afterAll(async () => {
  await browser?.close()
})

describe('safeguards that need no sign-in', () => {
  it('asks search engines to stay away: header, meta tag and robots.txt', async () => {
    const page = await fetch(`${app.url}/sign-in`)
    expect(page.headers.get('x-robots-tag')).toBe('noindex, nofollow')
    expect(await page.text()).toMatch(/<meta name="robots" content="noindex, nofollow">/)
    const robots = await fetch(`${app.url}/robots.txt`)
    expect(await robots.text()).toContain('Disallow: /')
  })

  it('has no public bucket and no sharing code in the app', async () => {
    // Buckets named test-… belong to the local stack's own storage tests, which share this database.
    expect(await sql(`select id from storage.buckets where public and id not like 'test-%'`)).toEqual([])
    expect(await sql(`select public from storage.buckets where id = 'media'`)).toEqual([{ public: false }])
    const dir = join(process.env.MINNESPOR_TEST_BUILD_DIR ?? '.data/test-build', '.output/public/_nuxt')
    const bundles = readdirSync(dir).filter(f => f.endsWith('.js')).map(f => readFileSync(join(dir, f), 'utf8')).join('\n')
    expect(bundles).not.toMatch(/navigator\.share\b|facebook\.com\/sharer|twitter\.com\/intent|wa\.me\//)
  })
})

describe('the privacy page', () => {
  it('a tagged person sees the photo in "Bilder av meg" and asks for its removal', async () => {
    const { page, context } = await signedIn(tagged, { width: 390, height: 844 })
    await visit(page, '/me/photos')
    const card = page.getByTestId('photo-of-me')
    await expect.poll(() => card.count(), wait).toBe(1)
    await expect.poll(() => card.locator('img').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), wait).toBeGreaterThan(0)
    // Checked before any toast: Reka's toast viewport adds focusable aria-hidden guards while one shows.
    await expectAccessible(page, 'photos of me')
    await card.getByRole('button', { name: 'Be om å fjerne' }).click()
    await card.getByLabel('Hvorfor? (valgfritt)').fill('Jeg vil ikke være med på dette bildet.')
    await card.getByRole('button', { name: 'Send' }).click()
    await expect.poll(() => card.textContent(), wait).toContain('Venter på svar')
    await screenshot(page, 'privacy-photos-of-me-phone')
    await context.close()
  })

  it('the primary contact downloads the life story as a ZIP with the book', async () => {
    const { page, context } = await signedIn(contact)
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('resident-privacy').click()
    await page.waitForURL(`**/residents/${home.residentId}/privacy`)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('privacy-export').click()])
    expect(download.suggestedFilename()).toBe(`Minnespor – ${home.residentName}.zip`)
    const files = readZip(readFileSync((await download.path())!))
    expect(files.has('Livshistorien.html')).toBe(true)
    expect(JSON.parse(files.get('data.json')!.toString()).relations[0].name).toBe('Per')
    for (const [name, bytes] of files) {
      mkdirSync(join(bookFolder, name, '..'), { recursive: true })
      writeFileSync(join(bookFolder, name), bytes)
    }
    await context.close()
  })

  it('staff see the request and the consents, and remove the photo with its files', async () => {
    const { page, context } = await signedIn(staff, { width: 820, height: 1180 })
    await visit(page, `/residents/${home.residentId}/privacy`)
    const request = page.getByTestId('privacy-request')
    await expect.poll(() => request.textContent(), wait).toContain('Jeg vil ikke være med på dette bildet.')
    await expect.poll(() => page.getByTestId('privacy-consent').first().textContent(), wait).toContain('Bekreftet av Anne Datter')
    expect(await page.getByTestId('privacy-delete').count()).toBe(0)
    expect(await page.getByTestId('privacy-export').count()).toBe(0)
    await expectAccessible(page, 'privacy page (staff)')
    await screenshot(page, 'privacy-page-staff-tablet')
    await request.getByRole('button', { name: 'Fjern bildet' }).click()
    await expect.poll(async () => `${await request.textContent()} ${await page.locator('[role=region]').textContent()}`, wait)
      .toContain('Bildet er fjernet')
    expect(await sql(`select id from public.media_items where id = $1`, [photoId])).toEqual([])
    expect(await sql(`select name from storage.objects where name like $1`, [`${home.residentId}/media/${photoId}/%`])).toEqual([])
    await context.close()
  })

  it('an org admin archives the profile, sees the deletion date, and the audit page lists what happened', async () => {
    const { page, context } = await signedIn(admin)
    await visit(page, `/residents/${home.residentId}/privacy`)
    await expect.poll(() => page.getByTestId('privacy-archive').count(), wait).toBe(1)
    await expectAccessible(page, 'privacy page (org admin)')
    await page.getByTestId('privacy-archive').click()
    await expect.poll(() => page.getByTestId('privacy-delete-after').textContent(), wait).toContain('blir slettet')
    const months = page.locator('[data-testid="privacy-retention-months"] input, input[data-testid="privacy-retention-months"]')
    await months.fill('6')
    await months.press('Tab')
    await page.getByTestId('privacy-retention-save').click()
    await expect.poll(async () => (await sql(`select retention_months from public.organisations where id = $1`,
      [home.organisationId]))[0]!.retention_months, wait).toBe(6)
    await screenshot(page, 'privacy-page-admin-pc')

    await visit(page, `/audit?resident=${home.residentId}`)
    const events = page.getByTestId('audit-event')
    await expect.poll(() => events.count(), wait).toBeGreaterThanOrEqual(3)
    const text = await page.locator('table').textContent()
    for (const action of ['Profil arkivert', 'Livshistorien lastet ned', 'Bilde fjernet etter ønske']) expect(text).toContain(action)
    await expectAccessible(page, 'audit page')
    await screenshot(page, 'privacy-audit-pc')
    await context.close()
  })

  it('an org admin deletes the whole profile after typing its name', async () => {
    const { page, context } = await signedIn(admin, { width: 390, height: 844 })
    await visit(page, `/residents/${home.residentId}/privacy`)
    const button = page.getByTestId('privacy-delete')
    expect(await button.isDisabled()).toBe(true)
    await page.getByTestId('privacy-delete-name').fill(home.residentName)
    await button.click()
    await page.waitForURL(url => !url.pathname.includes(home.residentId))
    expect(await sql(`select id from public.residents where id = $1`, [home.residentId])).toEqual([])
    expect(await sql(`select name from storage.objects where name like $1`, [`${home.residentId}/%`])).toEqual([])
    await context.close()
  })
})

describe('deleting one\'s own account', () => {
  it('from the account page, after ticking that they understand', async () => {
    const person = await createPerson('Ola Slutter')
    await acceptTerms(person)
    const { page, context } = await signedIn(person)
    await visit(page, '/account')
    await expect.poll(() => page.getByText('Du har taushetsplikt').count(), wait).toBe(1)
    await page.getByLabel('Jeg forstår at kontoen min blir slettet for godt').check()
    await page.getByTestId('delete-account').click()
    await page.waitForURL('**/sign-in')
    expect(await sql(`select id from auth.users where id = $1`, [person.id])).toEqual([])
    await context.close()
  })
})

describe('the exported book', () => {
  it('opens offline in Chromium as a readable book with its pictures', async () => {
    const { page, context, foreignRequests } = await openPage(browser, { viewport: { width: 820, height: 1180 } })
    await page.goto(`file://${join(bookFolder, 'Livshistorien.html')}`)
    expect(await page.locator('h1').textContent()).toBe(home.residentName)
    expect(await page.locator('h2').allTextContents()).toEqual(['Mine folk', 'Bilder og filmer', 'Gjesteboken'])
    expect(await page.getByText('Sommer på hytta').count()).toBe(1)
    const images = await page.locator('img').evaluateAll(list => list.map(img => (img as HTMLImageElement).naturalWidth))
    expect(images.length).toBeGreaterThan(0)
    expect(images.every(width => width > 0)).toBe(true)
    expect(foreignRequests.filter(url => !url.startsWith('file://'))).toEqual([])
    await screenshot(page, 'privacy-book')
    await page.emulateMedia({ media: 'print' })
    await page.pdf({ path: join('test-artifacts', 'privacy-book.pdf'), format: 'A4' }).catch(() => undefined)
    await context.close()
  })
})
