// `npm run bench:media`: time and bytes to process a 12-megapixel phone photo on
// the server (sniff, decode, turn upright, strip, three encodes) and to store it
// as a relative in a throwaway local stack (RLS check, three uploads, the row).
// Uses the real iPhone HEIC and a 13 MP Android JPEG from shared/fixtures/media
// when present, else a made-up 4000 × 3000 JPEG. Prints a table of medians.
//
// Then the album grid: 500 photos seeded in the same throwaway stack, the
// production build (its own folder, .data/bench-media-build) served on loopback,
// and Chromium timing from navigation to the first screen of thumbnails painted.
import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, resolve } from 'node:path'
import { createClient } from '@supabase/supabase-js'
import pg from 'pg'
import sharp from 'sharp'
import WebSocket from 'ws'
import { signJwt } from '../local-stack/src/jwt.ts'
import { startThrowawayStack } from '../local-stack/src/stack.ts'
import { chromium } from 'playwright-core'
import { buildApp, serveApp } from '../tests/setup/app-server.ts'
import { processMedia } from '../server/utils/media/pipeline.ts'
import { storeUpload } from '../server/utils/media/store.ts'

const runs = Number(process.env.BENCH_RUNS ?? 3)
const gridRuns = Number(process.env.BENCH_GRID_RUNS ?? 5)
const GRID_PHOTOS = 500
const benchPassword = 'benk ved fjorden'
const fixtures = resolve(import.meta.dirname, '../../shared/fixtures/media')

async function madeUpPhoto() {
  const noise = { background: '#808080', noise: { type: 'gaussian' as const, mean: 128, sigma: 40 } }
  return sharp({ create: { width: 4000, height: 3000, channels: 3, ...noise } })
    .blur(1.2).jpeg({ quality: 90 }).toBuffer()
}

async function photos(): Promise<[string, Buffer][]> {
  if (!existsSync(fixtures)) return [['made-up 12 MP JPEG', await madeUpPhoto()]]
  return [
    ['iPhone 7 HEIC, 12 MP', readFileSync(join(fixtures, 'heic/iphone7-gps.heic'))],
    ['OPPO JPEG, 13 MP', readFileSync(join(fixtures, 'names/Bestemor på hytta – Ål, sommar 2015 (æøå ÆØÅ).jpg'))],
  ]
}

function median(values: number[]) {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
}

const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KB`

/** A throwaway stack with one resident and one relative who may upload. */
async function stackWithRelative() {
  const stack = await startThrowawayStack('bench-media')
  const stop = () => stack.stop()
  const [org, unit, resident, relative] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()]
  const db = new pg.Client({ connectionString: stack.dbUrl })
  try {
    await db.connect()
    await db.query(`insert into public.organisations (id, name) values ($1, 'Benk kommune')`, [org])
    await db.query(`insert into public.units (id, organisation_id, name) values ($1, $2, 'Solsiden')`, [unit, org])
    await db.query(`insert into public.residents (id, unit_id, display_name) values ($1, $2, 'Ingrid Bakken')`, [resident, unit])
    await db.query(`insert into auth.users (id, aud, role, email, created_at, updated_at, email_confirmed_at)
    values ($1, 'authenticated', 'authenticated', 'datter@bench.minnespor.no', now(), now(), now())`, [relative])
    await db.query(`insert into public.resident_members (resident_id, user_id, role, relationship)
    values ($1, $2, 'relative', 'datter')`, [resident, relative])
    await db.query(`insert into public.legal_acceptances (user_id, document_id) select $1, id from public.legal_documents`, [relative])
  }
  catch (error) {
    await stop()
    throw error
  }
  finally {
    await db.end()
  }
  const iat = Math.floor(Date.now() / 1000)
  const token = await signJwt(stack.secrets.jwtSecret, { sub: relative, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 })
  const client = createClient(stack.apiUrl, stack.secrets.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
    global: { headers: { Authorization: `Bearer ${token}` } },
  })
  // The upload route writes files with the server's key (users may not write the bucket).
  const files = createClient(stack.apiUrl, stack.secrets.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as never } })
  return {
    client, files, resident, relative, stack,
    stop,
  }
}

type BenchStack = Awaited<ReturnType<typeof stackWithRelative>>

/** 500 photo rows with real thumbnails (cycled from `thumbnails`), newest first, as the relative's. */
async function seedAlbum(bench: BenchStack, thumbnails: Buffer[], count = GRID_PHOTOS) {
  const admin = createClient(bench.stack.apiUrl, bench.stack.secrets.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as never } })
  const ids = Array.from({ length: count }, () => randomUUID())
  const queue = [...ids.entries()]
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const [n, id] = next
      const { error } = await admin.storage.from('media').upload(`${bench.resident}/media/${id}/thumb.webp`,
        thumbnails[n % thumbnails.length]!, { contentType: 'image/webp' })
      if (error) throw error
    }
  }
  await Promise.all(Array.from({ length: 6 }, worker))
  const db = new pg.Client({ connectionString: bench.stack.dbUrl })
  await db.connect()
  try {
    await db.query(`insert into public.media_items (id, resident_id, storage_path, kind, mime_type, width, height,
        variants, file_name, taken_year, created_by, created_at)
      select id, r::uuid, r || '/media/' || id || '/original.jpg', 'image', 'image/jpeg', 4000, 3000,
        jsonb_build_object('thumbnail', r || '/media/' || id || '/thumb.webp', 'display', r || '/media/' || id || '/thumb.webp'),
        'bilde ' || n || '.jpg', (1940 + n % 80)::int, $2::uuid, now() - make_interval(mins => n::int)
      from unnest($3::uuid[]) with ordinality as t(id, n), (select $1::text as r) as resident`, [bench.resident, bench.relative, ids])
  }
  finally {
    await db.end()
  }
}

/** A password for the relative, so Chromium can sign in through the app's own page. */
async function relativeLogin(bench: BenchStack) {
  const db = new pg.Client({ connectionString: bench.stack.dbUrl })
  await db.connect()
  try {
    await db.query(`update auth.users set encrypted_password = extensions.crypt($2, extensions.gen_salt('bf', 4))
      where id = $1`, [bench.relative, benchPassword])
  }
  finally {
    await db.end()
  }
  return { email: 'datter@bench.minnespor.no', password: benchPassword }
}

/**
 * Milliseconds from navigation to the albums page until the grid's first twelve
 * thumbnails are loaded and decoded and a frame has been painted, for `gridRuns` fresh visits.
 */
async function gridPaint(bench: BenchStack) {
  const address = { apiUrl: bench.stack.apiUrl, anonKey: bench.stack.secrets.anonKey, serviceRoleKey: bench.stack.secrets.serviceRoleKey }
  const buildRoot = resolve(import.meta.dirname, '../.data/bench-media-build')
  console.log('\nBuilding the app for the grid figure (skipped when up to date) …')
  await buildApp(address, buildRoot)
  const app = await serveApp(address, buildRoot)
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'] })
  const login = await relativeLogin(bench)
  const painted: number[] = []
  const bytes: number[] = []
  try {
    for (let run = 0; run < gridRuns; run++) {
      const page = await browser.newPage({ locale: 'nb-NO', timezoneId: 'Europe/Oslo', viewport: { width: 1280, height: 900 } })
      // Counted by Playwright: the stack sends no Timing-Allow-Origin, so the page cannot see the sizes.
      let thumbBytes = 0
      page.on('requestfinished', (request) => {
        if (!request.url().includes('thumb.webp')) return
        // A size still being read when the page closes is simply not counted.
        request.sizes().then((sizes) => {
          thumbBytes += sizes.responseBodySize
        }, () => undefined)
      })
      await page.goto(`${app.url}/sign-in`)
      await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
      await page.getByTestId('identifier').fill(login.email)
      await page.getByTestId('password').fill(login.password)
      await page.getByTestId('sign-in-submit').click()
      await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))
      await page.goto(`${app.url}/residents/${bench.resident}/albums`)
      // No named functions inside: tsx would wrap them in a helper the page does not have.
      // The first two rows of the grid (12 thumbnails at this width); on the albums page
      // the album list and the upload form come first, so they may start below the fold.
      const figure = await page.evaluate(async () => {
        while (performance.now() < 60_000) {
          const shown = [...document.querySelectorAll<HTMLImageElement>('[data-testid="album-grid"] img')].slice(0, 12)
          if (shown.length === 12 && shown.every(img => img.complete && img.naturalWidth > 0)) {
            await new Promise(requestAnimationFrame)
            return { at: performance.now(), count: shown.length }
          }
          await new Promise(done => setTimeout(done, 10))
        }
        throw new Error('The grid showed no 12 thumbnails within a minute.')
      })
      painted.push(figure.at)
      bytes.push(thumbBytes)
      await page.close()
    }
  }
  finally {
    await browser.close()
    await app.stop()
  }
  return { painted: median(painted), bytes: median(bytes) }
}

async function main() {
  const stack = await stackWithRelative()
  const thumbnails: Buffer[] = []
  try {
    for (const [name, bytes] of await photos()) {
      const processing: number[] = []
      const storing: number[] = []
      let sizes = { original: 0, display: 0, thumbnail: 0, width: 0, height: 0 }
      for (let run = 0; run < runs; run++) {
        const started = performance.now()
        const media = await processMedia(bytes)
        processing.push(performance.now() - started)
        thumbnails.push(media.thumbnail.bytes)
        sizes = { original: media.original.bytes.length, display: media.display!.bytes.length,
          thumbnail: media.thumbnail.bytes.length, width: media.width, height: media.height }
        const storeStarted = performance.now()
        await storeUpload({ uploader: stack.client, files: stack.files }, { residentId: stack.resident, fileName: `${name}.jpg` }, bytes)
        storing.push(performance.now() - storeStarted)
      }
      console.log(`\n${name} (${sizes.width} × ${sizes.height}, ${kb(bytes.length)} uploaded)`)
      console.log(`  process on the server      ${median(processing).toFixed(0)} ms (median of ${runs})`)
      console.log(`  process + store as user    ${median(storing).toFixed(0)} ms`)
      console.log(`  original (upright, no GPS) ${kb(sizes.original)}`)
      console.log(`  display size (≤1600 px)    ${kb(sizes.display)}   target < 400 KB`)
      console.log(`  thumbnail (≤400 px)        ${kb(sizes.thumbnail)}   target < 40 KB`)
    }
    await seedAlbum(stack, thumbnails)
    const grid = await gridPaint(stack)
    console.log(`\nAlbum grid of ${GRID_PHOTOS} photos, production build, Chromium 1280 × 900 (median of ${gridRuns} visits)`)
    console.log(`  navigation → first 12 thumbnails painted          ${grid.painted.toFixed(0)} ms   target < 1000 ms`)
    console.log(`  thumbnail bytes fetched by then                    ${kb(grid.bytes)}`)
    console.log(`  (load average on this machine during the run: ${loadavg().map(l => l.toFixed(1)).join(' ')})`)
  }
  finally {
    await stack.stop()
  }
}

await main()
