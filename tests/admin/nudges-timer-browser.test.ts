// Family reminders go out by themselves: the built app's own timer sends a due
// reminder once (as under `npm run dev`), into the local mailbox, in the language
// each primary contact chose. ("browser" in the name: the global setup builds the app.)
// This file runs its own stack and app server: the timer sends every reminder due in
// its database, and must not take the e-mails other tests are counting.
import { spawn, type ChildProcess } from 'node:child_process'
import { resolve } from 'node:path'
import { createClient } from '@supabase/supabase-js'
import pg from 'pg'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { freePort } from '../../local-stack/src/ports.ts'
import { startThrowawayStack } from '../../local-stack/src/stack.ts'

const root = resolve(import.meta.dirname, '../..')
// The same build the global setup made (tests/setup/app-server.ts), served a second time.
const buildRoot = resolve(root, process.env.MINNESPOR_TEST_BUILD_DIR ?? '.data/test-build')

let own: Awaited<ReturnType<typeof startThrowawayStack>>
let server: ChildProcess
let appUrl: string
const norwegian = 'timer.kari@example.no'
const english = 'timer.john@example.no'

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

interface MailboxMessage { to: string, subject?: string, text: string }

async function mailTo(address: string): Promise<MailboxMessage[]> {
  const response = await fetch(`${own.mailboxUrl}/api/messages?to=${encodeURIComponent(address)}`)
  return await response.json() as MailboxMessage[]
}

async function waitForMail(address: string, timeout = 20_000) {
  const until = Date.now() + timeout
  for (;;) {
    const messages = await mailTo(address)
    if (messages.length > 0) return messages
    if (Date.now() > until) throw new Error(`Expected a reminder to ${address}, got none.`)
    await new Promise(r => setTimeout(r, 250))
  }
}

async function seed() {
  const admin = createClient(own.apiUrl, own.secrets.serviceRoleKey, { auth: { persistSession: false },
    // Node 20 has no global WebSocket; supabase-js needs one to build its client.
    realtime: { transport: WebSocket as never } })
  const person = async (email: string, name: string, locale?: string) => {
    const { data, error } = await admin.auth.admin.createUser({ email, password: 'solsikke på fjellet',
      email_confirm: true, user_metadata: { full_name: name, ...(locale ? { locale } : {}) } })
    if (error) throw error
    return data.user.id
  }
  const kari = await person(norwegian, 'Kari Datter')
  const john = await person(english, 'John Son', 'en')
  const [organisation] = await sql(`insert into public.organisations (name) values ('Tidtaker kommune') returning id`)
  const [unit] = await sql(`insert into public.units (organisation_id, name) values ($1, 'Lia') returning id`,
    [organisation!.id])
  for (const [user, name] of [[kari, 'Åse Ødegård'], [john, 'Anna Berg']] as const) {
    const [resident] = await sql(`insert into public.residents (unit_id, display_name) values ($1, $2) returning id`,
      [unit!.id, name])
    await sql(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'primary_contact')`,
      [resident!.id, user])
    // Nobody in the family has ever written: due at once.
    await sql(`insert into public.family_nudge_preferences (user_id, resident_id, enabled) values ($1, $2, true)`,
      [user, resident!.id])
  }
}

async function startApp() {
  const port = await freePort()
  appUrl = `http://127.0.0.1:${port}`
  const env: NodeJS.ProcessEnv = {
    ...process.env, NODE_OPTIONS: '', HOST: '127.0.0.1', PORT: String(port), APP_URL: appUrl,
    NUXT_PUBLIC_SUPABASE_URL: own.apiUrl, NUXT_PUBLIC_SUPABASE_KEY: own.secrets.anonKey,
    NUXT_SUPABASE_SECRET_KEY: own.secrets.serviceRoleKey,
    SMTP_URL: own.smtpUrl, NUDGES_INTERVAL_SECONDS: '1', NOTICES_INTERVAL_SECONDS: '0',
  }
  server = spawn(process.execPath, [resolve(buildRoot, '.output/server/index.mjs')], { cwd: root, env,
    stdio: ['ignore', 'ignore', 'inherit'] })
  for (let attempt = 0; attempt < 150; attempt++) {
    if (await fetch(`${appUrl}/favicon.svg`).then(r => r.ok, () => false)) return
    await new Promise(r => setTimeout(r, 200))
  }
  throw new Error('The app server for the reminder timer test did not start.')
}

beforeAll(async () => {
  own = await startThrowawayStack('admin-nudges-timer')
  await seed()
  await startApp()
}, 180_000)

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill('SIGTERM')
    await new Promise(r => server.once('exit', r))
  }
  await own?.stop()
}, 60_000)

describe('the family reminder timer', () => {
  test('sends a due reminder once, in each person\'s language', { timeout: 60_000 }, async () => {
    const [nb] = await waitForMail(norwegian)
    expect(nb!.subject).toBe('Kanskje en hilsen til Åse Ødegård?')
    expect(nb!.text).toContain('/help/reminders-off?token=')
    expect(nb!.text).toContain('&lang=nb')
    const [en] = await waitForMail(english)
    expect(en!.subject).toBe('Perhaps a greeting for Anna Berg?')
    expect(en!.text).toContain('Turn them off here:')
    expect(en!.text).toContain('&lang=en')

    // The timer keeps ticking every second; the reminder is recorded and not sent again.
    await new Promise(r => setTimeout(r, 4_000))
    expect(await mailTo(norwegian)).toHaveLength(1)
    expect(await mailTo(english)).toHaveLength(1)
    const sent = await sql(`select count(*)::int as n from public.family_nudge_preferences where last_sent_at is not null`)
    expect(sent[0]!.n).toBe(2)
    // The lease was given back after each run.
    const lease = await sql(`select leased_until < now() as free, last_finished_at is not null as ran
      from private.family_nudge_runs`)
    expect(lease[0]).toEqual({ free: true, ran: true })
  })
})
