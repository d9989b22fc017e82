// Glimpse notices: who gets which e-mail when, sent over SMTP, and the link
// in each e-mail that turns them off.
import type { SupabaseClient } from '@supabase/supabase-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, serverClient, type World } from '../access/fixtures.ts'
import { sendDueNotices, type DueNotice } from '../../server/utils/guestbook-notices.ts'
import { smtpMailer } from '../../server/utils/mailer.ts'
import { plainText, startSmtpReceiver } from './smtp-receiver.ts'

const appUrl = 'http://127.0.0.1:3999'
let world: World
let admin: SupabaseClient
let receiver: Awaited<ReturnType<typeof startSmtpReceiver>>

beforeAll(async () => {
  world = await createWorld('Notices')
  admin = serverClient()
  receiver = await startSmtpReceiver()
})
afterAll(() => receiver.close())

async function choose(actor: 'relative' | 'primaryContact' | 'viewer' | 'otherRelative', resident: string,
  frequency: 'off' | 'immediately' | 'daily') {
  const client = await world.client(actor)
  const { error } = await client.from('guestbook_notice_preferences')
    .upsert({ resident_id: resident, frequency }, { onConflict: 'user_id,resident_id' })
  return error
}

async function post(body: string, kind: 'glimpse' | 'greeting' = 'glimpse', extra = '') {
  const { rows } = await db(`insert into public.guestbook_posts (resident_id, kind, body, created_by)
    values ($1, $2, $3, $4) returning id`, [world.residentId, kind, body, world.users.staff])
  if (extra) await db(`update public.guestbook_posts set ${extra} where id = $1`, [rows[0].id])
  return rows[0].id as string
}

async function due(at = new Date()) {
  const { data, error } = await admin.rpc('guestbook_notices_due', { at: at.toISOString() })
  expect(error).toBeNull()
  return (data as DueNotice[]).filter(n => n.resident_id === world.residentId || n.resident_id === world.otherResidentId)
}

describe('glimpse notices', () => {
  it('selects new glimpses for those who chose them, and nothing else', async () => {
    expect(await choose('relative', world.residentId, 'immediately')).toBeNull()
    expect(await choose('primaryContact', world.residentId, 'daily')).toBeNull()
    expect(await choose('viewer', world.residentId, 'off')).toBeNull()
    await db(`update public.guestbook_notice_preferences set last_sent_at = now() - interval '2 days'
      where user_id = $1`, [world.users.primaryContact])

    await post('Vi gikk tur langs fjorden 🌊')
    await post('En hilsen, ikke et glimt', 'greeting')
    await post('Fjernet glimt', 'glimpse', `removed_at = now()`)

    const notices = await due()
    expect(notices.map(n => [n.user_id, n.frequency, n.glimpses.map(g => g.body)]).sort()).toEqual([
      [world.users.primaryContact, 'daily', ['Vi gikk tur langs fjorden 🌊']],
      [world.users.relative, 'immediately', ['Vi gikk tur langs fjorden 🌊']],
    ].sort())
  })

  it('refuses a choice for a resident the person cannot see', async () => {
    const error = await choose('otherRelative', world.residentId, 'immediately')
    expect(error?.message).toBe(
      'new row violates row-level security policy for table "guestbook_notice_preferences"')
  })

  it('sends each e-mail over SMTP once, with a link that turns it off', async () => {
    const result = await sendDueNotices(admin, smtpMailer(receiver.url, 'Minnespor <ikke-svar@minnespor.no>'), appUrl)
    expect(result).toEqual({ sent: 2, failed: 0 })
    const address = `<${await email('relative')}>`
    const mail = receiver.received.find(m => m.to.includes(address))!
    expect(mail.data).toMatch(/^Subject: Nytt hverdagsglimt fra Ingrid Bakken\r$/m)
    expect(mail.data).toContain(`List-Unsubscribe-Post: List-Unsubscribe=One-Click`)
    const text = plainText(mail.data)
    expect(text).toContain('Personalet har delt noe fra hverdagen til Ingrid Bakken:')
    expect(text).toContain('Vi gikk tur langs fjorden 🌊')
    expect(text).toMatch(/, \d{1,2}\. [a-zø]+ \d{4} kl\. \d\d\.\d\d\n/)
    expect(text).toContain(`Les og svar i Minnespor: ${appUrl}/residents/${world.residentId}`)
    expect(text).toMatch(/Slå dem av her: \S+\/notices\/unsubscribe\?token=[0-9a-f-]{36}&lang=nb/)

    expect(await due()).toEqual([])
    expect(await sendDueNotices(admin, smtpMailer(receiver.url, 'ikke-svar@minnespor.no'), appUrl))
      .toEqual({ sent: 0, failed: 0 })

    const token = text.match(/unsubscribe\?token=([0-9a-f-]{36})/)![1]
    const { data: name } = await admin.rpc('unsubscribe_guestbook_notices', { token })
    expect(name).toBe('Ingrid Bakken')
    const { rows } = await db(`select frequency from public.guestbook_notice_preferences where user_id = $1`,
      [world.users.relative])
    expect(rows).toEqual([{ frequency: 'off' }])
  })

  it('holds a daily digest until a day has passed since the last one', async () => {
    await post('Vaffelfest i stua')
    expect((await due()).map(n => n.user_id)).toEqual([])
    const tomorrow = new Date(Date.now() + 25 * 3600_000)
    const [digest] = await due(tomorrow)
    expect(digest).toMatchObject({ user_id: world.users.primaryContact, frequency: 'daily' })
    expect(digest!.glimpses.map(g => g.body)).toEqual(['Vaffelfest i stua'])
  })

  it('stops when the person loses access to the resident', async () => {
    await db(`delete from public.resident_members where user_id = $1`, [world.users.primaryContact])
    expect(await due(new Date(Date.now() + 25 * 3600_000))).toEqual([])
  })

  it('never shows the unsubscribe token to the app, and lets nobody but the server unsubscribe', async () => {
    const relative = await world.client('relative')
    const { error } = await relative.from('guestbook_notice_preferences').select('unsubscribe_token')
    expect(error?.message).toBe('permission denied for table guestbook_notice_preferences')
    const { error: rpcError } = await relative.rpc('unsubscribe_guestbook_notices',
      { token: '00000000-0000-0000-0000-000000000000' })
    expect(rpcError?.code).toBe('42501')
    const { data } = await admin.rpc('unsubscribe_guestbook_notices', { token: '00000000-0000-0000-0000-000000000000' })
    expect(data).toBeNull()
  })
})

describe('glimpse notices in the person\'s language, one run at a time', () => {
  let english: World

  beforeAll(async () => {
    english = await createWorld('Notices in English')
    // The account page stores the chosen language in the user's metadata.
    const { error } = await admin.auth.admin.updateUserById(english.users.relative, { user_metadata: { locale: 'en' } })
    expect(error).toBeNull()
    const relative = await english.client('relative')
    const chosen = await relative.from('guestbook_notice_preferences')
      .insert({ resident_id: english.residentId, frequency: 'immediately' })
    expect(chosen.error).toBeNull()
    await db(`insert into public.guestbook_posts (resident_id, kind, body, created_by)
      values ($1, 'glimpse', 'We baked waffles and she sang along 🎶', $2)`, [english.residentId, english.users.staff])
  })

  it('waits while another run holds the lease, then sends', async () => {
    const { data: taken } = await admin.rpc('start_guestbook_notice_run', { lease_seconds: 60 })
    expect(taken).toBe(true)
    const mailer = smtpMailer(receiver.url, 'ikke-svar@minnespor.no')
    expect(await sendDueNotices(admin, mailer, appUrl, new Date(), { leaseAttempts: 1 }))
      .toEqual({ sent: 0, failed: 0, busy: true })
    await admin.rpc('finish_guestbook_notice_run')
    const result = await sendDueNotices(admin, mailer, appUrl)
    expect(result.sent).toBeGreaterThanOrEqual(1)
  })

  it('writes the e-mail, its dates and its unsubscribe link in English for someone who chose English', async () => {
    const { rows } = await db(`select email from auth.users where id = $1`, [english.users.relative])
    const mail = receiver.received.find(m => m.to.includes(`<${rows[0].email}>`))!
    expect(mail.data).toMatch(/^Subject: A new everyday glimpse from Ingrid Bakken\r$/m)
    const text = plainText(mail.data)
    expect(text).toContain('The staff shared something from Ingrid Bakken\'s day:')
    expect(text).toContain('We baked waffles and she sang along 🎶')
    expect(text).toMatch(/ \d{1,2} [A-Z][a-z]+ \d{4} at \d\d:\d\d\n/)
    expect(text).toMatch(/No longer want these e-mails\? Turn them off here: \S+\/notices\/unsubscribe\?token=[0-9a-f-]{36}&lang=en/)
  })
})

async function email(actor: 'relative') {
  const { rows } = await db(`select email from auth.users where id = $1`, [world.users[actor]])
  return rows[0].email as string
}
