// `npm run bench:feed`: the live guestbook under load. 50 supabase-js clients, each a
// different relative, join one resident's private channel; posts are written at
// 10/s and each arrival is timed from the INSERT. Then Chromium opens the front
// page of a resident with 1,000 posts and pages through all of them. The stack
// runs in its own process on free ports in a throwaway data folder.
import { spawn, type ChildProcess } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { chromium } from 'playwright-core'
import WebSocket from 'ws'
import { apiUrl as stackApiUrl, dbUrl, loadConfig, readSecrets } from '../local-stack/src/config.ts'
import { signJwt } from '../local-stack/src/jwt.ts'
import { freePort } from '../local-stack/src/ports.ts'

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 50)
const POSTS = Number(process.env.BENCH_POSTS ?? 100)
const FEED_SIZE = Number(process.env.BENCH_FEED ?? 1000)
const root = resolve(import.meta.dirname, '..')
const password = 'benk med utsikt'

const sleep = (ms: number) => new Promise(done => setTimeout(done, ms))

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? 0
  const ms = (v: number) => `${v.toFixed(1)} ms`
  return `n=${sorted.length}  p50 ${ms(at(0.5))}  p95 ${ms(at(0.95))}  p99 ${ms(at(0.99))}  max ${ms(sorted.at(-1) ?? 0)}`
}

/** Starts a process and resolves once a line of its output contains `ready`. */
async function startProcess(args: string[], env: NodeJS.ProcessEnv, ready: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] })
  await new Promise<void>((done, fail) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes(ready)) done()
    })
    child.once('exit', code => fail(new Error(`${args.join(' ')} exited with code ${code} before it was ready`)))
  })
  return child
}

async function setUp(db: pg.Client) {
  const { rows: [home] } = await db.query(`with o as (insert into public.organisations (name) values ('Benk kommune')
      returning id), u as (insert into public.units (organisation_id, name) select id, 'Benken' from o returning id)
    insert into public.residents (unit_id, display_name) select id, 'Ingrid Benk' from u returning id, unit_id`)
  const people = Array.from({ length: SUBSCRIBERS + 1 }, () => randomUUID())
  await db.query(`insert into auth.users (id, aud, role, email, raw_user_meta_data, created_at, updated_at,
      email_confirmed_at)
    select id, 'authenticated', 'authenticated', 'benk.' || id || '@eksempel.no', '{"display_name":"Benk"}',
      now(), now(), now() from unnest($1::uuid[]) as id`, [people])
  await db.query(`insert into public.unit_members (unit_id, user_id, role) values ($1, $2, 'staff')`,
    [home.unit_id, people[0]])
  await db.query(`insert into public.resident_members (resident_id, user_id, role, relationship)
    select $1, id, 'relative', 'barnebarn' from unnest($2::uuid[]) as id`, [home.id, people.slice(1)])
  await db.query(`insert into public.legal_acceptances (user_id, document_id)
    select p, d.id from unnest($1::uuid[]) as p cross join public.current_legal_documents d`, [people])
  return { residentId: home.id as string, staffId: people[0]!, relatives: people.slice(1) }
}

/** The resident's live topic: asked of the database where it can say, else the fixed name. */
async function liveTopic(client: SupabaseClient, residentId: string) {
  const { data, error } = await client.rpc('guestbook_live_topics', { resident_ids: [residentId] })
  const topic = (data as { topic: string }[] | null)?.[0]?.topic
  return !error && topic ? topic : `resident:${residentId}:guestbook`
}

async function latency(db: pg.Client, api: string, anonKey: string, jwtSecret: string,
  residentId: string, staffId: string, relatives: string[]) {
  const clients: SupabaseClient[] = []
  const arrivals = new Map<string, number[]>()
  // One after another: 50 joins at once is not what a care home does, and it measures the join, not the feed.
  for (const sub of relatives) {
    const iat = Math.floor(Date.now() / 1000)
    const token = await signJwt(jwtSecret, { sub, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 })
    const client = createClient(api, anonKey, { auth: { persistSession: false, autoRefreshToken: false },
      accessToken: async () => token, realtime: { transport: WebSocket as never } })
    clients.push(client)
    // As Supabase's docs say for private channels: the token must be in place before the join.
    await client.realtime.setAuth()
    const topic = await liveTopic(client, residentId)
    await new Promise<void>((done, fail) => {
      client.channel(topic, { config: { private: true } })
        .on('broadcast', { event: 'post' }, ({ payload }) => {
          const at = performance.now()
          const id = (payload as { record: { id: string } }).record.id
          arrivals.set(id, [...arrivals.get(id) ?? [], at])
        })
        .subscribe((status, error) => status === 'SUBSCRIBED' ? done() : status === 'CHANNEL_ERROR' && fail(error))
    })
  }

  const sent = new Map<string, { started: number, committed: number }>()
  for (let i = 0; i < POSTS; i++) {
    const due = performance.now() + 100
    const started = performance.now()
    const { rows } = await db.query(`insert into public.guestbook_posts (resident_id, kind, body, created_by)
      values ($1, 'glimpse', $2, $3) returning id`, [residentId, `Hverdagsglimt nummer ${i} 🌼`, staffId])
    sent.set(rows[0].id, { started, committed: performance.now() })
    await sleep(Math.max(0, due - performance.now()))
  }
  const expected = POSTS * relatives.length
  const count = () => [...arrivals.values()].reduce((n, list) => n + list.length, 0)
  for (const deadline = Date.now() + 15_000; count() < expected && Date.now() < deadline;) await sleep(20)
  const fromCommit: number[] = []
  const fromStart: number[] = []
  for (const [id, times] of arrivals) {
    for (const at of times) {
      fromCommit.push(at - sent.get(id)!.committed)
      fromStart.push(at - sent.get(id)!.started)
    }
  }
  console.log(`${relatives.length} subscribers, ${POSTS} posts at 10/s: ${count()} of ${expected} arrivals`)
  console.log(`  INSERT returned → arrival   ${percentiles(fromCommit)}`)
  console.log(`  INSERT sent → arrival       ${percentiles(fromStart)}`)
  await Promise.all(clients.map(c => c.removeAllChannels()))
}

/**
 * The app built for the bench in .data/bench-build-feed (about two minutes the first time;
 * BENCH_REBUILD=1 builds again), or an existing build named by BENCH_BUILD_DIR. Not the
 * shared browser tests' build by default: a test run may be rebuilding that one underneath us.
 */
async function appBuild(env: NodeJS.ProcessEnv) {
  const own = resolve(root, process.env.BENCH_BUILD_DIR ?? join('.data', 'bench-build-feed'))
  const server = join(own, '.output', 'server', 'index.mjs')
  if (!existsSync(server) || process.env.BENCH_REBUILD === '1') {
    console.log('\nBuilding the app for the render figure …')
    const build = spawn(join(root, 'node_modules/.bin/nuxt'), ['build'], {
      cwd: root, env: { ...env, MINNESPOR_BUILD_DIR: own }, stdio: 'ignore' })
    const code = await new Promise(done => build.once('exit', done))
    if (code !== 0) throw new Error(`nuxt build failed with code ${code}`)
  }
  return server
}

async function renderFeed(db: pg.Client, env: NodeJS.ProcessEnv, api: string, anonKey: string, serviceKey: string,
  residentId: string, staffId: string) {
  const build = await appBuild(env)
  await db.query(`insert into public.guestbook_posts (resident_id, kind, body, created_by, created_at)
    select $1, 'greeting', 'Hilsen nummer ' || n || ': ' || repeat('Tenker på deg i dag 💛 ', 1 + n % 5), $2,
      now() - make_interval(mins => n) from generate_series(1, $3) as n`, [residentId, staffId, FEED_SIZE])
  const admin = createClient(api, serviceKey, { auth: { persistSession: false },
    realtime: { transport: WebSocket as never } })
  const email = `benk.leser.${Date.now()}@eksempel.no`
  const { data, error } = await admin.auth.admin.createUser({ email, password, email_confirm: true })
  if (error) throw error
  await db.query(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'relative')`,
    [residentId, data.user.id])
  await db.query(`insert into public.legal_acceptances (user_id, document_id)
    select $1, id from public.current_legal_documents`, [data.user.id])

  const port = String(await freePort())
  const server = await startProcess([build], { ...env, HOST: '127.0.0.1', PORT: port,
    NUXT_PUBLIC_SUPABASE_URL: api, NUXT_PUBLIC_SUPABASE_KEY: anonKey, NUXT_SUPABASE_SECRET_KEY: serviceKey },
  'Listening')
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'] })
  try {
    const page = await browser.newPage({ locale: 'nb-NO', timezoneId: 'Europe/Oslo' })
    const app = `http://127.0.0.1:${port}`
    await page.goto(`${app}/sign-in`)
    await page.waitForSelector('html[data-hydrated]', { state: 'attached' })
    await page.getByTestId('identifier').fill(email)
    await page.getByTestId('password').fill(password)
    await page.getByTestId('sign-in-submit').click()
    await page.waitForURL(url => !url.pathname.startsWith('/sign-in'))

    const started = performance.now()
    await page.goto(`${app}/residents/${residentId}`)
    await page.getByTestId('guestbook-post').nth(19).waitFor()
    console.log(`\nFront page to the first 20 posts shown: ${(performance.now() - started).toFixed(0)} ms`)

    // Paging runs inside the page: Playwright's own locators would cost more than the feed on a long page.
    // No named functions inside: tsx would wrap them in a helper the page does not have.
    const paging = await page.evaluate(async (target) => {
      const selector = '[data-testid="guestbook-post"]'
      const pages: number[] = []
      const started = performance.now()
      while (document.querySelectorAll(selector).length < target) {
        const before = document.querySelectorAll(selector).length
        const pageStarted = performance.now()
        document.querySelector<HTMLElement>('[data-testid="guestbook-load-more"]')?.click()
        while (document.querySelectorAll(selector).length === before) {
          if (performance.now() - pageStarted > 30_000) throw new Error(`stuck at ${before} posts`)
          await new Promise(done => setTimeout(done, 5))
        }
        await new Promise(requestAnimationFrame)
        pages.push(performance.now() - pageStarted)
      }
      return { total: performance.now() - started, pages }
    }, FEED_SIZE)
    const sorted = [...paging.pages].sort((a, b) => a - b)
    console.log(`Paging to ${FEED_SIZE} posts (${paging.pages.length} pages of 20): ${paging.total.toFixed(0)} ms;`
      + ` a page (fetch + render) p50 ${sorted[Math.floor(sorted.length / 2)]!.toFixed(0)} ms,`
      + ` the last one beside ${FEED_SIZE - 20} posts ${paging.pages.at(-1)!.toFixed(0)} ms`)
    const frame = await page.evaluate(async () => {
      // One frame (layout and paint after a resize) with the whole feed in the page.
      const started = performance.now()
      window.dispatchEvent(new Event('resize'))
      await new Promise(requestAnimationFrame)
      return performance.now() - started
    })
    console.log(`One frame with ${FEED_SIZE} posts on the page: ${frame.toFixed(1)} ms`)
  }
  finally {
    await browser.close()
    server.kill('SIGTERM')
  }
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'minnespor-bench-feed-'))
  const env = { ...process.env, STACK_DATA_DIR: dataDir, STACK_API_PORT: String(await freePort()),
    STACK_MAILBOX_PORT: String(await freePort()), STACK_PG_PORT: String(await freePort()), DATABASE_URL: '',
    STACK_LOG_REQUESTS: '0', FORCE_COLOR: '0' }
  const config = loadConfig(env)
  const stack = await startProcess(['--import', 'tsx', 'local-stack/cli.ts', 'start'], env, 'API on')
  const db = new pg.Client({ connectionString: dbUrl(config, readSecrets(config)!) })
  try {
    const secrets = readSecrets(config)!
    await db.connect()
    console.log(`The live guestbook on loopback; ${cpus().length} CPUs, load average `
      + `${loadavg().map(l => l.toFixed(1)).join(' ')}\n`)
    const home = await setUp(db)
    const api = stackApiUrl(config)
    await latency(db, api, secrets.anonKey, secrets.jwtSecret, home.residentId, home.staffId, home.relatives)
    await renderFeed(db, env, api, secrets.anonKey, secrets.serviceRoleKey, home.residentId, home.staffId)
  }
  finally {
    await db.end()
    stack.kill('SIGTERM')
    await new Promise(done => stack.exitCode === null ? stack.once('exit', done) : done(null))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().then(() => process.exit(0), (error) => {
  console.error(error)
  process.exit(1)
})
