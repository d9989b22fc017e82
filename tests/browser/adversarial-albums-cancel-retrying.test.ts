// Cancelling a photo while the album page waits to try again after a dropped connection.
// The dropped request may well have reached the server and been stored (only its answer was
// lost: the very case upload keys exist for). The person pressed "Avbryt", so the photo must
// not turn up in the album for the whole family anyway.
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { acceptTerms, addToResident, createCareHome, createPerson, ensureLegalDocuments, fixturePassword, sql, type CareHome, type Person } from './fixtures'
import { launchBrowser, openPage, signIn, waitForHome } from './support'
import { taggedJpeg } from '../media/support'

let browser: Browser
let home: CareHome
let daughter: Person

beforeAll(async () => {
  browser = await launchBrowser()
  await ensureLegalDocuments()
  home = await createCareHome('Avbrutt')
  daughter = await createPerson('Kari Angrer')
  await acceptTerms(daughter)
  await addToResident(daughter, home.residentId, 'relative')
})
afterAll(() => browser?.close())

describe('cancelling while the upload waits to try again', { timeout: 60_000 }, () => {
  // useMediaUpload's cancel used to discard only an item whose answer had arrived.
  it('leaves no photo in the album when the dropped attempt had in fact been stored', async () => {
    const { page, context } = await openPage(browser, { serviceWorkers: 'block' })
    await signIn(page, daughter.email, fixturePassword)
    await waitForHome(page)
    await page.goto(`${new URL(page.url()).origin}/residents/${home.residentId}/albums`)
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
    let attempts = 0
    // The first request reaches the server, which stores the photo; its answer is lost on the way back.
    // Later attempts are held, as on a connection that stays bad.
    await page.route('**/api/residents/*/media', async (route) => {
      attempts++
      if (attempts > 1) return
      await route.fetch()
      await route.abort('connectionreset')
    })
    await page.getByTestId('album-file-input').setInputFiles([{ name: 'feil-bilde.jpg', mimeType: 'image/jpeg', buffer: await taggedJpeg() }])
    const entry = page.getByTestId('album-upload-list').locator('li')
    await expect.poll(() => entry.getAttribute('data-state'), { timeout: 20_000 }).toBe('retrying')
    await page.getByTestId('album-cancel-all').click()
    await expect.poll(() => entry.getAttribute('data-state')).toBe('cancelled')
    const stored = async () => Number((await sql<{ n: string }>(
      'select count(*) as n from public.media_items where resident_id = $1 and file_name = $2', [home.residentId, 'feil-bilde.jpg']))[0]!.n)
    await expect.poll(stored, { timeout: 10_000 }).toBe(0)
    // Its files go with it (removed just after the row, so they are waited for as well).
    const files = async () => Number((await sql<{ n: string }>(
      `select count(*) as n from storage.objects where bucket_id = 'media' and name like $1`, [`${home.residentId}/media/%`]))[0]!.n)
    await expect.poll(files, { timeout: 10_000 }).toBe(0)
    await context.close()
  })
})
