// Gentle reminders to a primary contact: only when they chose them, only after the
// family has been quiet for the weeks they chose, never twice in that time, and
// one link turns them off. The e-mails are captured instead of sent over SMTP.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, one, serverClient, type World } from '../access/fixtures.ts'
import { nudgeMail, sendFamilyNudges, type DueNudge } from '../../server/utils/family-nudges.ts'
import type { Mail } from '../../server/utils/mailer.ts'

let world: World
const days = (n: number) => new Date(Date.now() + n * 86_400_000)

function capturingMailer() {
  const sent: Mail[] = []
  return { sent, mailer: { async send(mail: Mail) {
    sent.push(mail)
  } } }
}

async function due(at: Date) {
  const { data, error } = await serverClient().rpc('family_nudges_due', { at: at.toISOString() })
  expect(error).toBeNull()
  return (data as DueNudge[]).filter(nudge => nudge.resident_id === world.residentId)
}

beforeAll(async () => {
  world = await createWorld('nudges')
  await db(`insert into public.guestbook_posts (resident_id, body, created_by) values ($1, 'Hei mamma!', $2)`,
    [world.residentId, world.users.relative])
})

describe('choosing reminders', () => {
  it('only the primary contact can turn them on, for themselves', async () => {
    const refused = await (await world.client('relative')).from('family_nudge_preferences')
      .insert({ resident_id: world.residentId, enabled: true })
    expect(refused.error).not.toBeNull()
    const { error } = await (await world.client('primaryContact')).from('family_nudge_preferences')
      .insert({ resident_id: world.residentId, enabled: true })
    expect(error).toBeNull()
    const { rows } = await db('select user_id from public.family_nudge_preferences where resident_id = $1',
      [world.residentId])
    expect(rows.map(row => row.user_id)).toEqual([world.users.primaryContact])
  })

  it('the app cannot read the secret turn-off token', async () => {
    const { error } = await (await world.client('primaryContact')).from('family_nudge_preferences')
      .select('unsubscribe_token')
    expect(error?.code).toBe('42501')
  })
})

describe('sending', () => {
  it('sends nothing while the family writes, one gentle e-mail after three quiet weeks, then waits', async () => {
    expect(await due(new Date())).toEqual([])
    expect(await due(days(20))).toEqual([])
    const [nudge] = await due(days(22))
    expect(nudge).toMatchObject({ user_id: world.users.primaryContact, quiet_weeks: 3 })

    const { sent, mailer } = capturingMailer()
    const result = await sendFamilyNudges(serverClient(), mailer, 'https://minnespor.example', days(22))
    expect(result.failed).toBe(0)
    const mine = sent.filter(mail => mail.to === nudge!.email)
    expect(mine).toHaveLength(1)
    expect(mine[0]!.subject).toBe('Kanskje en hilsen til Ingrid Bakken?')
    expect(mine[0]!.text).toContain(`https://minnespor.example/residents/${world.residentId}`)
    expect(mine[0]!.text).toContain(`https://minnespor.example/help/reminders-off?token=${nudge!.unsubscribe_token}`)
    expect(mine[0]!.headers?.['List-Unsubscribe']).toContain('/api/admin/nudges-off?token=')

    expect(await due(days(22))).toEqual([])
    expect(await due(days(22 + 22))).toHaveLength(1)
  })

  it('the e-mail never shames: no counts, no names of who did not write', () => {
    const mail = nudgeMail({ user_id: 'u', email: 'anne@example.no', resident_id: 'r', resident_name: 'Ingrid',
      quiet_weeks: 3, unsubscribe_token: 't' }, 'https://minnespor.example')
    expect(mail.text).not.toMatch(/\d+ (uker|dager)/)
    expect(mail.html).toContain('Slå av påminnelsene')
  })

  it('the turn-off link turns them off, and nothing is due any more', async () => {
    const row = await one<{ token: string }>(`select unsubscribe_token as token from public.family_nudge_preferences
      where resident_id = $1`, [world.residentId])
    const { data } = await serverClient().rpc('unsubscribe_family_nudges', { token: row!.token })
    expect(data).toBe('Ingrid Bakken')
    expect(await due(days(60))).toEqual([])
    const unknown = await serverClient().rpc('unsubscribe_family_nudges', { token: crypto.randomUUID() })
    expect(unknown.data).toBeNull()
  })

  it('a former primary contact gets none, even if they once chose them', async () => {
    await db(`update public.family_nudge_preferences set enabled = true, last_sent_at = null where resident_id = $1`,
      [world.residentId])
    expect(await due(days(60))).toHaveLength(1)
    await db(`update public.resident_members set role = 'relative' where resident_id = $1 and user_id = $2`,
      [world.residentId, world.users.primaryContact])
    expect(await due(days(60))).toEqual([])
  })

  it('the app\'s users cannot ask who is due', async () => {
    const { error } = await (await world.client('orgAdmin')).rpc('family_nudges_due', { at: new Date().toISOString() })
    expect(error).not.toBeNull()
  })
})

describe('language and one run at a time', () => {
  beforeAll(async () => {
    await db(`update public.resident_members set role = 'primary_contact' where resident_id = $1 and user_id = $2`,
      [world.residentId, world.users.primaryContact])
    await db(`update public.family_nudge_preferences set enabled = true, last_sent_at = null where resident_id = $1`,
      [world.residentId])
  })

  it('is written in the language the person chose for the app', async () => {
    const [before] = await due(days(60))
    expect(before!.locale).toBe('nb')
    await db(`update auth.users set raw_user_meta_data = raw_user_meta_data || '{"locale":"en"}' where id = $1`,
      [world.users.primaryContact])
    const [nudge] = await due(days(60))
    expect(nudge!.locale).toBe('en')
    const mail = nudgeMail(nudge!, 'https://minnespor.example')
    expect(mail.subject).toBe('Perhaps a greeting for Ingrid Bakken?')
    expect(mail.text).toContain('It has been a while since someone in the family wrote')
    expect(mail.text).toContain(`/help/reminders-off?token=${nudge!.unsubscribe_token}&lang=en`)
    expect(mail.html).toContain('Turn off the reminders')
    expect(mail.text).not.toContain('Hei')
  })

  it('sends nothing while another run holds the lease, and sends once it is given back', async () => {
    const taken = await serverClient().rpc('start_family_nudge_run', { lease_seconds: 60 })
    expect(taken.data).toBe(true)
    const { sent, mailer } = capturingMailer()
    const busy = await sendFamilyNudges(serverClient(), mailer, 'https://minnespor.example', days(60),
      { leaseAttempts: 1 })
    expect(busy).toEqual({ sent: 0, failed: 0, busy: true })
    expect(sent).toEqual([])

    await serverClient().rpc('finish_family_nudge_run')
    const result = await sendFamilyNudges(serverClient(), mailer, 'https://minnespor.example', days(60))
    expect(result.failed).toBe(0)
    const mine = sent.filter(mail => mail.subject === 'Perhaps a greeting for Ingrid Bakken?')
    expect(mine).toHaveLength(1)
    // The lease is free again for the next run.
    const again = await serverClient().rpc('start_family_nudge_run', { lease_seconds: 1 })
    expect(again.data).toBe(true)
    await serverClient().rpc('finish_family_nudge_run')
  })

  it('the app\'s users cannot take the lease', async () => {
    const { error } = await (await world.client('orgAdmin')).rpc('start_family_nudge_run', { lease_seconds: 600 })
    expect(error).not.toBeNull()
  })
})
