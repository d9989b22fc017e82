// The album page in Chromium: several files at once with progress, a refusal in
// words, cancel, and the grid and viewer showing what was stored.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptTerms, addToResident, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql, type CareHome, type Person } from '../browser/fixtures'
import { expectAccessible, launchBrowser, openPage, signIn, waitForHome } from '../browser/support'
import { taggedJpeg } from './support'

let browser: Browser
let home: CareHome
let daughter: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Album')
  daughter = await createPerson('Kari Album')
  await acceptTerms(daughter)
  await addToResident(daughter, home.residentId, 'relative')
})
afterAll(() => browser?.close())

async function albumPage() {
  const opened = await openPage(browser, { serviceWorkers: 'block' })
  await signIn(opened.page, daughter.email, fixturePassword)
  await waitForHome(opened.page)
  await opened.page.goto(`${new URL(opened.page.url()).origin}/residents/${home.residentId}/albums`)
  await opened.page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  return opened
}

describe('the album page', { timeout: 60_000 }, () => {
  it('uploads several files at once, refuses a web page in words, and shows the photos', async () => {
    const { page, context } = await albumPage()
    const photo = await taggedJpeg(6)
    await page.getByTestId('album-file-input').setInputFiles([
      { name: 'Bestemor på hytta 🎉.jpg', mimeType: 'image/jpeg', buffer: photo },
      { name: 'Ærøy Øst.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg(3) },
      { name: 'ferie.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('<html><body>ikke et bilde</body></html>') },
    ])
    const list = page.getByTestId('album-upload-list')
    await expect.poll(() => list.locator('li[data-state="done"]').count(), { timeout: 30_000 }).toBe(2)
    await expect.poll(() => list.locator('li[data-state="refused"]').count()).toBe(1)
    expect(await list.locator('li[data-state="refused"]').innerText()).toContain('ikke et bilde eller en film')
    await expect.poll(() => page.getByTestId('album-grid').locator('img').count(), { timeout: 10_000 }).toBe(2)
    const rows = await sql<{ file_name: string }>('select file_name from public.media_items where resident_id = $1 order by file_name', [home.residentId])
    expect(rows.map(r => r.file_name)).toEqual(['Bestemor på hytta 🎉.jpg', 'Ærøy Øst.jpg'])

    await page.getByTestId('album-grid').locator('button').first().click()
    await page.getByTestId('album-viewer').waitFor()
    await page.keyboard.press('ArrowRight')
    await page.keyboard.press('Escape')
    await expect.poll(() => page.getByTestId('album-viewer').count()).toBe(0)
    await expectAccessible(page, 'album page')
    await context.close()
  })

  it('needs the consent box before files can be picked when living people are shown', async () => {
    const { page, context } = await albumPage()
    await page.getByTestId('album-living-people').click()
    expect(await page.locator('button', { hasText: 'Velg bilder og filmer' }).isDisabled()).toBe(true)
    await page.getByTestId('album-consent').click()
    expect(await page.locator('button', { hasText: 'Velg bilder og filmer' }).isDisabled()).toBe(false)
    await context.close()
  })

  it('cancels a file while it uploads and stores nothing for it', async () => {
    const { page, context } = await albumPage()
    const before = await sql<{ n: string }>('select count(*) as n from public.media_items where resident_id = $1', [home.residentId])
    // Hold the upload request so the cancel lands while the file is on its way.
    await page.route('**/api/residents/*/media', () => {})
    await page.getByTestId('album-file-input').setInputFiles([{ name: 'treg.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg() }])
    await page.getByTestId('album-cancel-all').click()
    await expect.poll(() => page.getByTestId('album-upload-list').locator('li[data-state="cancelled"]').count()).toBe(1)
    const after = await sql<{ n: string }>('select count(*) as n from public.media_items where resident_id = $1', [home.residentId])
    expect(after[0]!.n).toBe(before[0]!.n)
    await context.close()
  })
})
