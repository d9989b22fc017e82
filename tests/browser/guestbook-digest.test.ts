// The daily digest goes out by itself: the built app's own timer sends it, once a
// day per person, into the local mailbox (as under `npm run dev`), and the link in
// the e-mail turns it off in a browser that never signed in.
// This file runs its own stack and app server: the timer sends every notice due in
// its database, and must not take the e-mails other tests are counting.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { createClient } from '@supabase/supabase-js'
import pg from 'pg'
import type { Browser } from 'playwright-core'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort } from '../../local-stack/src/ports.ts'
import { startThrowawayStack } from '../../local-stack/src/stack.ts'
import { launchBrowser, screenshot, waitForApp } from './support'

const root = resolve(import.meta.dirname, '../..')
// The same build the global setup made (tests/setup/app-server.ts), served a second time.
const buildRoot = resolve(root, process.env.MINNESPOR_TEST_BUILD_DIR ?? '.data/test-build')

let own: Awaited<ReturnType<typeof startThrowawayStack>>
let server: ChildProcess
let appUrl: string
let browser: Browser
const relativeEmail = 'digest.relative@example.no'
let relativeId: string
let residentId: string

async function sql<Row extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: own.dbUrl })
  await client.connect()
  try {
    return (await client.query<Row>(text, params)).rows
  }
  finally {
    await client.end()
  }
}

interface MailboxMessage { to: string, subject?: string, text: string, html?: string }

async function mailTo(address: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${own.mailboxUrl}/api/messages?to=${encodeURIComponent(address)}`)
  return (await response.json() as MailboxMessage[]).reverse()
}

async function waitForMailCount(address: string, count: number, timeout = 15_000) {
  const until = Date.now() + timeout
  for (;;) {
    const messages = await mailTo(address)
    if (messages.length >= count) return messages
    if (Date.now() > until) throw new Error(`Expected ${count} e-mails to ${address}, got ${messages.length}.`)
    await new Promise(r => setTimeout(r, 250))
  }
}

async function startApp() {
  const port = await freePort()
  appUrl = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: String(port), APP_URL: appUrl,
    NUXT_PUBLIC_SUPABASE_URL: own.apiUrl, NUXT_PUBLIC_SUPABASE_KEY: own.secrets.anonKey,
    NUXT_SUPABASE_SECRET_KEY: own.secrets.serviceRoleKey,
    // As scripts/dev.ts gives it: the app's own mail goes over SMTP into the stack's mailbox.
    SMTP_URL: own.smtpUrl, NOTICES_INTERVAL_SECONDS: '1',
  }
  server = spawn(process.execPath, [resolve(buildRoot, '.output/server/index.mjs')], { cwd: root, env,
    stdio: ['ignore', 'ignore', 'inherit'] })
  for (let attempt = 0; attempt < 150; attempt++) {
    if (await fetch(`${appUrl}/favicon.svg`).then(r => r.ok, () => false)) return
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error('The app server for the digest test did not start.')
}

async function seed() {
  const admin = createClient(own.apiUrl, own.secrets.serviceRoleKey, { auth: { persistSession: false },
    // Node 20 has no global WebSocket; supabase-js needs one to build its client.
    realtime: { transport: WebSocket as never } })
  const person = async (email: string, name: string) => {
    const { data, error } = await admin.auth.admin.createUser({ email, password: 'solsikke på fjellet',
      email_confirm: true, user_metadata: { full_name: name } })
    if (error) throw error
    return data.user.id
  }
  const staffId = await person('digest.staff@example.no', 'Siri Pleier')
  relativeId = await person(relativeEmail, 'Per Sønn')
  const [organisation] = await sql(`insert into public.organisations (name) values ('Digest kommune') returning id`)
  const [unit] = await sql(`insert into public.units (organisation_id, name) values ($1, 'Solsiden') returning id`,
    [organisation!.id])
  const [resident] = await sql(`insert into public.residents (unit_id, display_name) values ($1, 'Ingrid Digest')
    returning id`, [unit!.id])
  residentId = resident!.id
  await sql(`insert into public.unit_members (unit_id, user_id, role) values ($1, $2, 'staff')`, [unit!.id, staffId])
  await sql(`insert into public.resident_members (resident_id, user_id, role, relationship)
    values ($1, $2, 'relative', 'sønn')`, [residentId, relativeId])
  await sql(`insert into public.legal_documents (kind, version, title_nb, title_en, body_nb, body_en)
    select k::public.legal_document_kind, 1, 'Vilkår', 'Terms', 'Tekst.', 'Text.'
    from unnest(array['terms', 'privacy', 'confidentiality']) k on conflict (kind, version) do nothing`)
  await sql(`insert into public.legal_acceptances (user_id, document_id)
    select u, id from public.current_legal_documents, unnest(array[$1, $2]::uuid[]) u`, [staffId, relativeId])
  await sql(`insert into public.guestbook_notice_preferences (user_id, resident_id, frequency)
    values ($1, $2, 'daily')`, [relativeId, residentId])
  return staffId
}

let staffId: string
const glimpse = (body: string) => sql(`insert into public.guestbook_posts (resident_id, kind, body, created_by)
  values ($1, 'glimpse', $2, $3)`, [residentId, body, staffId])

beforeAll(async () => {
  own = await startThrowawayStack('guestbook-digest')
  staffId = await seed()
  await startApp()
  browser = await launchBrowser()
}, 180_000)

afterAll(async () => {
  await browser?.close()
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise(r => server.once('exit', r))
  }
  await own?.stop()
}, 60_000)

describe('the daily digest', () => {
  test('goes out by itself, once a day, into the mailbox', { timeout: 60_000 }, async () => {
    await glimpse('Vi bakte vafler, og hun sang med 🎶')
    const [first] = await waitForMailCount(relativeEmail, 1)
    expect(first!.subject).toBe('Dagens hverdagsglimt fra Ingrid Digest')
    expect(first!.text).toContain('Vi bakte vafler, og hun sang med 🎶')
    expect(first!.text).toContain(`${appUrl}/residents/${residentId}`)

    // Later the same day: the timer keeps running, and sends nothing more.
    await glimpse('Tur i hagen etter lunsj')
    await new Promise(r => setTimeout(r, 4_000))
    expect(await mailTo(relativeEmail)).toHaveLength(1)

    // A day has passed since the last digest: the next one holds only what is new.
    await sql(`update public.guestbook_notice_preferences set last_sent_at = now() - interval '25 hours'
      where user_id = $1`, [relativeId])
    const [, second] = await waitForMailCount(relativeEmail, 2)
    expect(second!.text).toContain('Tur i hagen etter lunsj')
    expect(second!.text).not.toContain('Vi bakte vafler')
    await new Promise(r => setTimeout(r, 3_000))
    expect(await mailTo(relativeEmail)).toHaveLength(2)
  })

  test('is turned off from the link in the e-mail, in a browser that never signed in', { timeout: 60_000 }, async () => {
    const [mail] = await mailTo(relativeEmail)
    const link = mail!.text.match(/Slå dem av her: (\S+)/)![1]!
    expect(link.startsWith(`${appUrl}/notices/unsubscribe?token=`)).toBe(true)

    const context = await browser.newContext({ locale: 'nb-NO', viewport: { width: 390, height: 844 } })
    const page = await context.newPage()
    page.setDefaultTimeout(20_000)
    await page.goto(link)
    // A press before the page is hydrated does nothing: wait for it, as a person would see it ready.
    await waitForApp(page)
    await page.getByTestId('unsubscribe-confirm').click()
    await expect.poll(() => page.getByTestId('unsubscribe-done').innerText())
      .toBe('Ferdig. Du får ikke flere e-poster om hverdagsglimt fra Ingrid Digest.')
    await screenshot(page, 'guestbook-digest-unsubscribed-phone')
    expect(await sql(`select frequency from public.guestbook_notice_preferences where user_id = $1`, [relativeId]))
      .toEqual([{ frequency: 'off' }])

    // Off means off: a new day and a new glimpse bring no e-mail.
    await sql(`update public.guestbook_notice_preferences set last_sent_at = now() - interval '25 hours'
      where user_id = $1`, [relativeId])
    await glimpse('Kaffe på verandaen')
    await new Promise(r => setTimeout(r, 3_000))
    expect(await mailTo(relativeEmail)).toHaveLength(2)
    await context.close()
  })
})
