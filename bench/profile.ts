// `npm run bench:profile`: a rich profile (40 relations, 200 timeline events, 30 stories of
// 2,000 words, 500 photos) in a throwaway local stack, the production build served on
// loopback, and Chromium loading the front page and each section cold, signed in as staff.
// Prints medians of first render (first contentful paint), usable (the app hydrated and the
// section's content shown), bytes transferred by then and in all, and how many of the
// page's images had loaded when it became usable, when every item of a long list was drawn,
// and the longest task that held the page (nothing can be tapped meanwhile). Aim: first render
// under 1 s, usable before all photos have loaded (lazy images), no task over a few hundred ms.
import { join, resolve } from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { chromium, type Browser, type BrowserContext } from 'playwright-core'
import sharp from 'sharp'
import WebSocket from 'ws'
import { startThrowawayStack } from '../local-stack/src/stack.ts'
import { buildApp, serveApp } from '../tests/setup/app-server.ts'

const root = resolve(import.meta.dirname, '..')
const runs = Number(process.env.BENCH_RUNS ?? 3)
const size = { relations: 40, events: 200, stories: 30, storyWords: 2000, photos: 500 }
const password = 'benk på fjellet'
const email = 'pleier@benk.minnespor.no'

interface Measurement {
  firstRender: number
  usable: number
  bytesUsable: number
  bytesAll: number
  images: number
  imagesAtUsable: number
  /** When all `count` items were on the page (NaN when the page names no count). */
  allDrawn: number
  longestTask: number
}

const words = 'fjellet sommer seter kyr melk båt fjorden far mor søster skolen vinter ski kirke bryllup dans kaffe'.split(' ')

/** A story of about `count` words in paragraphs of 100, as Tiptap JSON and as plain text. */
function story(count: number, seed: number) {
  const paragraphs = Array.from({ length: Math.ceil(count / 100) }, (_, p) =>
    Array.from({ length: 100 }, (_, w) => words[(seed + p * 7 + w * 3) % words.length]).join(' ') + '.')
  return {
    body: { type: 'doc', content: paragraphs.map(text => ({ type: 'paragraph', content: [{ type: 'text', text }] })) },
    body_text: paragraphs.join('\n\n'),
  }
}

/** Uploads `size.photos` photos (display and thumbnail variants) and returns their display keys. */
async function uploadPhotos(service: SupabaseClient, db: pg.Client, residentId: string) {
  const variants = await Promise.all(Array.from({ length: 12 }, async (_, n) => {
    const background = { r: 40 + n * 17, g: 120 + n * 9, b: 200 - n * 13 }
    const image = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background } })
      .jpeg({ quality: 80 }).toBuffer()
    return { display: await image(1280, 960), thumbnail: await image(320, 240) }
  }))
  const displays: string[] = []
  const ids: string[] = []
  for (let start = 0; start < size.photos; start += 20) {
    await Promise.all(Array.from({ length: Math.min(20, size.photos - start) }, async (_, k) => {
      const n = start + k
      // An item's variants must lie in its own folder, named by its id.
      ids[n] = crypto.randomUUID()
      const folder = `${residentId}/media/${ids[n]}`
      const files = variants[n % variants.length]!
      for (const [name, bytes] of [['display.jpg', files.display], ['thumbnail.jpg', files.thumbnail]] as const) {
        const { error } = await service.storage.from('media').upload(`${folder}/${name}`, bytes, { contentType: 'image/jpeg' })
        if (error) throw error
      }
      displays[n] = `${folder}/display.jpg`
    }))
  }
  // One statement for all rows: a pg client runs one query at a time.
  await db.query(`insert into public.media_items (id, resident_id, storage_path, kind, mime_type, width, height, variants, caption)
    select id, $1, path, 'image', 'image/jpeg', 1280, 960,
      jsonb_build_object('display', path, 'thumbnail', replace(path, '/display.jpg', '/thumbnail.jpg')), 'Bilde ' || n
    from unnest($2::text[], $3::uuid[]) with ordinality as photo(path, id, n)`, [residentId, displays, ids])
  return displays
}

/** The resident, a staff member who may see everything, and the rich profile. */
async function seed(stack: Awaited<ReturnType<typeof startThrowawayStack>>) {
  const service = createClient(stack.apiUrl, stack.secrets.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false }, realtime: { transport: WebSocket as never },
  })
  const { data: user, error } = await service.auth.admin.createUser({
    email, password, email_confirm: true, user_metadata: { full_name: 'Benk Pleier', password_set: true },
  })
  if (error) throw error
  const db = new pg.Client({ connectionString: stack.dbUrl })
  await db.connect()
  try {
    await db.query(`insert into public.legal_acceptances (user_id, document_id)
      select $1, id from public.current_legal_documents`, [user.user.id])
    const { rows: [org] } = await db.query(`insert into public.organisations (name) values ('Benkvik kommune') returning id`)
    const { rows: [unit] } = await db.query(`insert into public.units (organisation_id, name) values ($1, 'Solsiden') returning id`, [org.id])
    await db.query(`insert into public.unit_members (unit_id, user_id, role) values ($1, $2, 'staff')`, [unit.id, user.user.id])
    const { rows: [resident] } = await db.query(`insert into public.residents (unit_id, display_name, preferred_name, birth_year,
      grew_up_in, introduction) values ($1, 'Ingrid Benk', 'Inga', 1931, 'Vågå', 'Jeg vokste opp på en gård i Vågå.') returning id`, [unit.id])
    const residentId = resident.id as string
    console.log(`uploading ${size.photos} photos …`)
    const photos = await uploadPhotos(service, db, residentId)
    const by = user.user.id
    await db.query(`insert into public.relations (resident_id, name, relationship, description, is_key, position, photo_path, created_by)
      select $1, 'Person ' || i, 'venn', 'Noen ord om person ' || i, i <= 6, i, ($2::text[])[i], $3
      from generate_series(1, ${size.relations}) i`, [residentId, photos.slice(0, size.relations), by])
    await db.query(`insert into public.life_events (resident_id, title, event_year, place, life_period, position, photo_path, created_by)
      select $1, 'Hendelse ' || i, 1931 + i % 90, 'Vågå',
        (array['childhood', 'youth', 'adult_life', 'later_life'])[1 + i % 4]::public.life_period, i, ($2::text[])[i], $3
      from generate_series(1, ${size.events}) i`, [residentId, photos.slice(size.relations, size.relations + size.events), by])
    for (let n = 0; n < size.stories; n++) {
      const { body, body_text } = story(size.storyWords, n)
      await db.query(`insert into public.stories (resident_id, title, body, body_text, position, created_by)
        values ($1, $2, $3, $4, $5, $6)`, [residentId, `Fortelling ${n + 1}`, body, body_text, n, by])
    }
    await db.query(`insert into public.interests (resident_id, category, title, created_by)
      select $1, 'music', 'Interesse ' || i, $2 from generate_series(1, 20) i`, [residentId, by])
    await db.query(`insert into public.everyday_wishes (resident_id, category, title, created_by)
      select $1, (array['routine', 'music', 'calming', 'conversation'])[1 + i % 4], 'Ønske ' || i, $2
      from generate_series(1, 20) i`, [residentId, by])
    return residentId
  }
  finally {
    await db.end()
  }
}

async function signedInPage(browser: Browser, appUrl: string) {
  const context = await browser.newContext({ locale: 'nb-NO', viewport: { width: 1024, height: 768 } })
  const page = await context.newPage()
  await page.goto(`${appUrl}/sign-in`)
  await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
  await page.getByTestId('identifier').fill(email)
  await page.getByTestId('password').fill(password)
  await page.getByTestId('sign-in-submit').click()
  await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))
  return page
}

/** Keeps every long task (over 50 ms) from the document's start, for the longest to be read. */
function recordLongTasks() {
  const seen: number[] = []
  Object.assign(window, { benchLongTasks: seen })
  new PerformanceObserver(list => seen.push(...list.getEntries().map(entry => entry.duration)))
    .observe({ type: 'longtask' })
}

/**
 * Loads a page in a fresh context (cold cache, the signed-in cookies) and waits for `ready`,
 * then (with `count`) until that many `ready` elements are drawn.
 */
async function measure(browser: Browser, session: Awaited<ReturnType<BrowserContext['storageState']>>, url: string,
  ready: string, count?: number): Promise<Measurement> {
  const context = await browser.newContext({ locale: 'nb-NO', viewport: { width: 1024, height: 768 }, storageState: session })
  await context.addInitScript(recordLongTasks)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Network.enable')
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true })
  let bytes = 0
  cdp.on('Network.loadingFinished', (event) => {
    bytes += event.encodedDataLength
  })
  const start = Date.now()
  await page.goto(url, { waitUntil: 'commit' })
  await page.waitForSelector('html[data-hydrated]', { state: 'attached', timeout: 60_000 })
  await page.waitForSelector(ready, { timeout: 60_000 })
  const usable = Date.now() - start
  const bytesUsable = bytes
  const imagesAtUsable = await page.evaluate(() => [...document.images].filter(image => image.complete && image.naturalWidth > 0).length)
  let allDrawn = Number.NaN
  if (count) {
    await page.waitForFunction(([selector, n]) => document.querySelectorAll(selector).length >= n, [ready, count] as const,
      { timeout: 60_000, polling: 50 })
    allDrawn = Date.now() - start
  }
  await page.waitForLoadState('networkidle')
  const { firstRender, images, longestTask } = await page.evaluate(() => ({
    firstRender: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN,
    images: document.images.length,
    longestTask: Math.max(0, ...(window as unknown as { benchLongTasks: number[] }).benchLongTasks),
  }))
  await context.close()
  return { firstRender, usable, bytesUsable, bytesAll: bytes, images, imagesAtUsable, allDrawn, longestTask }
}

function median(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]!
}

async function main() {
  const stack = await startThrowawayStack('bench-profile')
  let app: Awaited<ReturnType<typeof serveApp>> | undefined
  let browser: Browser | undefined
  try {
    const residentId = await seed(stack)
    const address = { apiUrl: stack.apiUrl, anonKey: stack.secrets.anonKey, serviceRoleKey: stack.secrets.serviceRoleKey }
    console.log('building the production server …')
    // Its own build folder, so this never waits for (or disturbs) a test run's build.
    const buildRoot = join(root, '.data', 'bench-build-profile')
    await buildApp(address, buildRoot)
    app = await serveApp(address, buildRoot)
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    })
    const item = '[data-testid="life-story-item"]'
    const pages = [
      { name: 'front page', path: '', ready: '[data-testid="life-story-link-people"]' },
      { name: 'who I am', path: '/who-i-am', ready: '[data-testid="life-story-section-whoIAm"]' },
      { name: 'my people', path: '/people', ready: item },
      { name: 'my life', path: '/life', ready: item, count: size.events },
      { name: 'stories', path: '/stories', ready: item },
      { name: 'interests', path: '/interests', ready: item },
      { name: 'everyday', path: '/everyday', ready: item },
      { name: 'book', path: '/book', ready: '[data-testid="life-story-book"]' },
    ]
    const signedIn = await signedInPage(browser, app.url)
    const session = await signedIn.context().storageState()
    await signedIn.context().close()
    console.log(`\n${runs} cold loads each on loopback, no throttling, 1024×768; medians:\n`)
    console.log('page          first render (ms)  usable (ms)  KB by usable  KB in all  images loaded by usable'
      + '  all drawn (ms)  longest task (ms)')
    for (const { name, path, ready, count } of pages as { name: string, path: string, ready: string, count?: number }[]) {
      const results: Measurement[] = []
      for (let run = 0; run < runs; run++) {
        results.push(await measure(browser, session, `${app.url}/residents/${residentId}${path}`, ready, count))
      }
      const allDrawn = median(results.map(r => r.allDrawn))
      console.log([
        name.padEnd(12),
        String(Math.round(median(results.map(r => r.firstRender)))).padStart(17),
        String(Math.round(median(results.map(r => r.usable)))).padStart(12),
        (median(results.map(r => r.bytesUsable)) / 1024).toFixed(0).padStart(13),
        (median(results.map(r => r.bytesAll)) / 1024).toFixed(0).padStart(10),
        `${median(results.map(r => r.imagesAtUsable))} of ${median(results.map(r => r.images))}`.padStart(24),
        (Number.isNaN(allDrawn) ? '–' : String(Math.round(allDrawn))).padStart(14),
        String(Math.round(median(results.map(r => r.longestTask)))).padStart(17),
      ].join('  '))
    }
  }
  finally {
    await browser?.close()
    await app?.stop()
    await stack.stop()
  }
}

main().catch((error) => {
  console.error(`bench:profile failed: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
})
