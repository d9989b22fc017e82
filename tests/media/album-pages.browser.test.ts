// The album pages in Chromium: albums made, renamed and given a cover from the
// resident's front page; a photo's details with people and consent; delete and
// undo; the slideshow; uploads over a connection that drops; a video's poster.
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import exifr from 'exifr'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  acceptTerms, addToResident, addToUnit, type CareHome, createCareHome, createPerson, ensureLegalDocuments, type Person, signedInPage, sql,
} from '../browser/fixtures'
import { adminClient, expectAccessible, launchBrowser, screenshot, visit } from '../browser/support'
import { fixture, fixturesRoot, taggedJpeg } from './support'
import { purgeDeletedMedia } from '../../server/utils/media/purge'

let browser: Browser
let home: CareHome
let daughter: Person
let nurse: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Albumsider')
  daughter = await createPerson('Kari Albumsen')
  nurse = await createPerson('Siri Pleier')
  await Promise.all([acceptTerms(daughter), acceptTerms(nurse)])
  await addToResident(daughter, home.residentId, 'relative')
  await addToUnit(nurse, home.unitId, 'staff')
  await sql(`insert into public.relations (resident_id, name, relationship, is_living, created_by)
    values ($1, 'Per', 'sønn', true, null), ($1, 'Olav', 'ektemann', false, null)`, [home.residentId])
})
afterAll(() => browser?.close())

const signedIn = (person: Person, viewport?: { width: number, height: number }) => signedInPage(browser, person, { viewport, serviceWorkers: 'block' })

async function upload(page: Page, files: { name: string, mimeType: string, buffer: Buffer }[]) {
  await page.getByTestId('album-file-input').setInputFiles(files)
  const list = page.getByTestId('album-upload-list')
  await expect.poll(() => list.locator('li[data-state="done"]').count(), { timeout: 30_000 }).toBe(files.length)
}

const mediaCount = async (where = '') => Number((await sql<{ n: string }>(
  `select count(*) as n from public.media_items where resident_id = $1 ${where}`, [home.residentId]))[0]!.n)
const objectCount = async (prefix: string) => Number((await sql<{ n: string }>(
  `select count(*) as n from storage.objects where bucket_id = 'media' and name like $1`, [`${prefix}%`]))[0]!.n)

describe('albums', { timeout: 90_000 }, () => {
  it('are made, described and given a cover, starting from the resident\'s front page', async () => {
    const { page, context } = await signedIn(daughter, { width: 390, height: 844 })
    await visit(page, `/residents/${home.residentId}`)
    await page.getByTestId('resident-albums').click()
    await page.waitForURL(`**/residents/${home.residentId}/albums`)
    await page.getByTestId('album-new').click()
    await page.getByTestId('album-form-save').click()
    expect(await page.getByTestId('album-form').innerText()).toContain('Albumet må ha et navn.')
    await page.getByTestId('album-form-title').fill('Barndom på Toten')
    await page.getByTestId('album-form-description').fill('Gården, skolen og sommerne ved Mjøsa.')
    await page.getByTestId('album-form-save').click()
    await page.waitForURL(/\/albums\/[0-9a-f-]{36}$/)
    expect(await page.getByTestId('album-title').innerText()).toBe('Barndom på Toten')

    await page.getByTestId('album-edit-album').click()
    await page.getByTestId('album-form-title').fill('Barndom på Toten og Hamar')
    await page.getByTestId('album-form-description').fill('Bilder fra før demensen kom.')
    await page.getByTestId('album-form-save').click()
    // Health information is shown back before it is saved; keeping it is a choice.
    await page.getByTestId('life-story-health-confirm').click()
    await expect.poll(() => page.getByTestId('album-title').innerText()).toBe('Barndom på Toten og Hamar')
    expect(await page.getByTestId('album-description').innerText()).toBe('Bilder fra før demensen kom.')

    await upload(page, [{ name: 'gården.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(1) }])
    const albumId = page.url().split('/').pop()!
    expect(await mediaCount(`and album_id = '${albumId}'`)).toBe(1)
    await page.getByTestId('album-grid').locator('button').first().click()
    await page.getByTestId('album-edit').click()
    await page.getByTestId('album-make-cover').click()
    await expect.poll(async () => (await sql('select cover_media_id from public.albums where id = $1', [albumId]))[0]!.cover_media_id).not.toBeNull()
    await page.keyboard.press('Escape')
    await screenshot(page, 'album-page-phone')
    await expectAccessible(page, 'album page')

    await visit(page, `/residents/${home.residentId}/albums`)
    await expect.poll(() => page.getByTestId('album-list').locator('img').count()).toBe(1)
    await page.getByTestId('album-order').click()
    await page.getByRole('option', { name: 'Etter album' }).click()
    await expect.poll(() => page.getByTestId('album-group').first().innerText()).toBe('Barndom på Toten og Hamar')
    await screenshot(page, 'album-overview-phone')
    await context.close()
  })

  it('edit a photo\'s details, ask for consent when a living person is in it, and show staff who confirmed', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/albums`)
    await upload(page, [{ name: 'konfirmasjon.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(1) }])
    const id = (await sql<{ id: string }>(`select id from public.media_items where file_name = 'konfirmasjon.jpg'`))[0]!.id
    await page.getByTestId('album-grid').locator('button').first().click()
    await page.getByTestId('album-edit').click()
    await page.getByTestId('album-details-caption').fill('Konfirmasjonen til Per')
    await page.getByTestId('album-details-year').fill('19x5')
    await page.getByTestId('album-details-save').click()
    expect(await page.getByTestId('album-details').innerText()).toContain('Skriv året med fire sifre')
    await page.getByTestId('album-details-year').fill('1965')
    await page.getByTestId('album-people-pick').click()
    await page.getByRole('option', { name: 'Per (sønn)' }).click()
    await page.getByRole('button', { name: 'Legg til' }).first().click()
    await page.getByTestId('album-people-type').fill('Tante Ågot')
    await page.getByTestId('album-people-add-typed').click()
    await page.getByTestId('album-details-save').click()
    expect(await page.getByTestId('album-details').innerText()).toContain('Kryss av for samtykke før du lagrer.')
    await expectAccessible(page, 'album details')
    await page.getByTestId('album-details-consent').click()
    await page.getByTestId('album-details-save').click()
    await expect.poll(() => page.getByTestId('album-details').count()).toBe(0)
    expect(await page.getByTestId('album-caption-text').innerText()).toBe('Konfirmasjonen til Per')

    const [row] = await sql('select caption, taken_year, shows_living_people, consent_confirmed_by from public.media_items where id = $1', [id])
    expect(row).toEqual({ caption: 'Konfirmasjonen til Per', taken_year: 1965, shows_living_people: true, consent_confirmed_by: daughter.id })
    const people = await sql('select name, relation_id is not null as relation from public.media_people where media_item_id = $1 order by name', [id])
    expect(people).toEqual([{ name: 'Per (sønn)', relation: true }, { name: 'Tante Ågot', relation: false }])
    await context.close()

    const staff = await signedIn(nurse)
    await visit(staff.page, `/residents/${home.residentId}/albums`)
    await staff.page.getByTestId('album-grid').getByRole('button', { name: 'Konfirmasjonen til Per' }).click()
    await staff.page.getByTestId('album-edit').click()
    await expect.poll(() => staff.page.getByTestId('album-consent-record').innerText()).toContain('Samtykke bekreftet av Kari Albumsen')
    await screenshot(staff.page, 'album-details-staff')
    await staff.context.close()
  })

  it('delete a photo with undo, and remove every file and the row once the undo time is over', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/albums`)
    await upload(page, [{ name: 'slettes.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(1) }])
    const id = (await sql<{ id: string }>(`select id from public.media_items where file_name = 'slettes.jpg'`))[0]!.id
    const folder = `${home.residentId}/media/${id}/`
    const visible = () => page.getByTestId('album-grid').getByRole('button', { name: 'slettes.jpg' }).count()

    await page.getByTestId('album-grid').getByRole('button', { name: 'slettes.jpg' }).click()
    await page.getByTestId('album-delete').click()
    await expect.poll(() => page.getByTestId('album-undo').count()).toBe(1)
    await page.keyboard.press('Escape')
    expect(await visible()).toBe(0)
    await page.getByTestId('album-undo-button').click()
    await expect.poll(visible).toBe(1)

    await page.getByTestId('album-grid').getByRole('button', { name: 'slettes.jpg' }).click()
    await page.getByTestId('album-delete').click()
    await expect.poll(() => page.getByTestId('album-undo').count()).toBe(1)
    await context.close()
    expect(await objectCount(folder)).toBe(3)

    await sql(`update public.media_items set deleted_at = now() - interval '121 seconds' where id = $1`, [id])
    await purgeDeletedMedia(adminClient())
    expect(await objectCount(folder)).toBe(0)
    expect(await sql('select id from public.media_items where id = $1', [id])).toEqual([])
  })

  it('play as a slideshow only when started, and pause by hand', async () => {
    const { page, context } = await signedIn(daughter, { width: 1024, height: 768 })
    await visit(page, `/residents/${home.residentId}/albums`)
    await page.getByTestId('album-grid').locator('button').first().click()
    const position = () => page.getByTestId('album-position').textContent()
    const first = await position()
    await page.waitForTimeout(1500)
    expect(await position(), 'nothing moves by itself').toBe(first)
    await page.getByTestId('album-slideshow').click()
    expect(await page.getByTestId('album-slideshow').getAttribute('aria-pressed')).toBe('true')
    await expect.poll(position, { timeout: 12_000 }).not.toBe(first)
    await page.getByTestId('album-slideshow').click()
    const paused = await position()
    await page.waitForTimeout(9000)
    expect(await position()).toBe(paused)
    await screenshot(page, 'album-viewer-tablet')
    await context.close()
  }, 60_000)
})

describe('the original of a photo', { timeout: 60_000 }, () => {
  it('downloads from the viewer under its own name, as stored (without GPS)', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/albums`)
    await upload(page, [{ name: 'Hytta på Ål.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(1) }])
    await page.getByTestId('album-grid').getByRole('button', { name: 'Hytta på Ål.jpg' }).click()
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('album-download').click()])
    expect(download.suggestedFilename()).toBe('Hytta på Ål.jpg')
    const bytes = await readFile((await download.path())!)
    const [row] = await sql(`select storage_path from public.media_items where resident_id = $1 and file_name = 'Hytta på Ål.jpg'`, [home.residentId])
    const { data } = await adminClient().storage.from('media').download(row.storage_path)
    expect(Buffer.compare(bytes, Buffer.from(await data!.arrayBuffer()))).toBe(0)
    expect(await exifr.gps(bytes).catch(() => undefined)).toBeUndefined()
    await context.close()
  })
})

describe('uploading over a connection that drops', { timeout: 90_000 }, () => {
  it('sends a file again when its request was cut off, and stores it once', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/albums`)
    let attempts = 0
    await page.route('**/api/residents/*/media', async (route) => {
      attempts++
      if (attempts === 1) return route.abort('connectionreset')
      return route.continue()
    })
    await page.getByTestId('album-file-input').setInputFiles([{ name: 'ustabil.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(1) }])
    const entry = page.getByTestId('album-upload-list').locator('li').first()
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 5000 }).toBe('retrying')
    expect(await entry.innerText()).toContain('Forbindelsen ble brutt')
    await screenshot(page, 'album-upload-retrying')
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 20_000 }).toBe('done')
    expect(attempts).toBe(2)
    expect(await mediaCount(`and file_name = 'ustabil.jpg'`)).toBe(1)
    await context.close()
  })

  it('stores a file once when the request arrived but its answer was lost', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/albums`)
    let attempts = 0
    await page.route('**/api/residents/*/media', async (route) => {
      attempts++
      if (attempts > 1) return route.continue()
      // The server gets the whole file and stores it; the phone never hears back.
      await route.fetch()
      return route.abort('connectionreset')
    })
    await page.getByTestId('album-file-input').setInputFiles([{ name: 'svar-borte.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(1) }])
    const entry = page.getByTestId('album-upload-list').locator('li').first()
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 25_000 }).toBe('done')
    expect(attempts).toBe(2)
    expect(await mediaCount(`and file_name = 'svar-borte.jpg'`)).toBe(1)
    const [{ id }] = await sql<{ id: string }>(`select id from public.media_items where file_name = 'svar-borte.jpg'`)
    expect(await objectCount(`${home.residentId}/media/${id}/`)).toBe(3)
    await context.close()
  })

  it('gives up after four tries with a clear message and a way to try again, leaving nothing behind', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/albums`)
    const before = await mediaCount()
    await page.route('**/api/residents/*/media', route => route.abort('internetdisconnected'))
    await page.getByTestId('album-file-input').setInputFiles([{ name: 'frakoblet.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(1) }])
    const entry = page.getByTestId('album-upload-list').locator('li').first()
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 30_000 }).toBe('failed')
    expect(await entry.innerText()).toContain('Forbindelsen ble brutt. Prøv igjen.')
    expect(await mediaCount()).toBe(before)
    await page.unroute('**/api/residents/*/media')
    await entry.getByRole('button', { name: 'Prøv frakoblet.jpg igjen' }).click()
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 20_000 }).toBe('done')
    await context.close()
  })
})

describe('a video from a phone', { timeout: 90_000 }, () => {
  const video = 'video/h264-720p-loci-gps.mp4'
  it.runIf(existsSync(resolve(fixturesRoot, video)))('gets a poster drawn from its own frames and plays inline', async () => {
    const { page, context } = await signedIn(daughter)
    await visit(page, `/residents/${home.residentId}/albums`)
    await upload(page, [{ name: 'bursdag.mp4', mimeType: 'video/mp4', buffer: fixture(video) }])
    const [row] = await sql<{ variants: Record<string, string> }>(`select variants from public.media_items where file_name = 'bursdag.mp4'`)
    expect(row!.variants.poster).toMatch(/\/poster-[0-9a-f]{8}\.webp$/)
    await page.getByTestId('album-grid').getByRole('button', { name: 'bursdag.mp4' }).click()
    const player = page.getByTestId('album-video')
    expect(await player.getAttribute('poster')).toMatch(/poster-[0-9a-f]{8}\.webp/)
    expect(await player.getAttribute('playsinline')).not.toBeNull()
    await screenshot(page, 'album-video-poster')
    await context.close()
  })
})

if (!existsSync(fixturesRoot)) console.log(`album-pages: ${fixturesRoot} is absent, so the real-video poster test is skipped`)
