// The demo as a newcomer clicks through it: Per Bakken opens his mother's
// albums. The seed puts photos in "Barndom på Toten" (the farm, the summer
// pasture), with captions; the album must show them, not say it is empty.
import { execFile } from 'node:child_process'
import { resolve } from 'node:path'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from './fixtures'
import { launchBrowser, openPage, screenshot, signIn, stack, visit, waitForHome } from './support'

let browser: Browser
let residentId: string
let albumId: string

beforeAll(async () => {
  await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/seed-media.ts'], {
    cwd: resolve(import.meta.dirname, '../..'),
    env: { ...process.env, SUPABASE_URL: stack.apiUrl, SUPABASE_SECRET_KEY: stack.serviceRoleKey },
  })
  const [album] = await sql<{ id: string, resident_id: string }>(`select a.id, a.resident_id from public.albums a
    join public.residents r on r.id = a.resident_id
    where r.display_name = 'Ingrid Marie Bakken' and a.title = 'Barndom på Toten'`)
  albumId = album!.id
  residentId = album!.resident_id
  browser = await launchBrowser()
}, 120_000)
afterAll(() => browser?.close())

describe('the demo albums', { timeout: 90_000 }, () => {
  // Fixed: the seed stores its album photos in the upload layout "<resident>/media/<id>/original.png"
  // and scripts/seed-media.ts makes their display and thumb WebP variants, as an upload does, so
  // the album pages show them from thumbnails and never download an original.
  it('show the seeded photos of "Barndom på Toten" to a relative', async () => {
    const seeded = await sql<{ n: string }>('select count(*) as n from public.media_items where album_id = $1', [albumId])
    expect(Number(seeded[0]!.n)).toBeGreaterThanOrEqual(2)
    const { page, context } = await openPage(browser, { viewport: { width: 820, height: 1180 } })
    await signIn(page, 'per.bakken@demo.minnespor.no', 'minnespor-demo')
    await waitForHome(page)
    await visit(page, `/residents/${residentId}/albums/${albumId}`)
    await page.getByRole('heading', { name: 'Barndom på Toten' }).waitFor({ timeout: 30_000 })
    await page.waitForTimeout(2_000)
    await screenshot(page, 'adversarial-albums-demo-toten-tablet')
    const pictures = page.getByTestId('album-grid').locator('img')
    expect(await pictures.count()).toBe(Number(seeded[0]!.n))
    await context.close()
  })
})
