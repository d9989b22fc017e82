// Retention (issue 10, point 7): an archived profile is hidden from staff;
// after the period the org admin sets (12 months unless changed) it is
// deleted, unless extended, and the primary contact is reminded first.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, one, serverClient, type World } from '../access/fixtures'
import { runRetention } from '../../server/utils/privacy/jobs'
import type { Mail } from '../../server/utils/mailer'
import { addPhoto, objectCount } from './support'

let world: World
const sent: Mail[] = []
const mailer = {
  async send(mail: Mail) {
    sent.push(mail)
  },
}
const day = 86_400_000
const months = (n: number) => n * 30.5 * day

beforeAll(async () => {
  world = await createWorld('Arkiv')
})

/** Archives the resident as if it happened `ago` milliseconds before now. */
async function archive(residentId: string, ago = 0) {
  const { error } = await (await world.client('leader')).rpc('archive_resident', { resident_id: residentId })
  expect(error).toBeNull()
  await db(`update public.residents set archived_at = now() - make_interval(secs => $2) where id = $1`, [residentId, ago / 1000])
}

// The retention steps of the privacy job (the departed-author steps are tested in account.test.ts).
const run = (at: Date) => runRetention(serverClient(), mailer, 'https://minnespor.test', at)

describe('an archived profile', () => {
  it('is hidden from staff and relatives, seen by org admins, leaders and the primary contact', async () => {
    await archive(world.otherResidentId)
    await db(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'primary_contact')`,
      [world.otherResidentId, world.users.primaryContact])
    const sees = async (actor: Parameters<World['client']>[0]) =>
      ((await (await world.client(actor)).from('residents').select('id').eq('id', world.otherResidentId)).data ?? []).length === 1
    expect(await sees('orgAdmin')).toBe(true)
    expect(await sees('leader')).toBe(true)
    expect(await sees('primaryContact')).toBe(true)
    expect(await sees('superuser')).toBe(false)
    expect(await sees('staff')).toBe(false)
    expect(await sees('otherRelative')).toBe(false)
  })

  it('shows when it will be deleted: 12 months after archiving by default', async () => {
    const { data } = await (await world.client('leader')).from('resident_retention')
      .select('retention_months, delete_after, archived_at').eq('resident_id', world.otherResidentId).single()
    expect(data!.retention_months).toBe(12)
    const archived = new Date(data!.archived_at)
    const expected = new Date(archived)
    expected.setMonth(expected.getMonth() + 12)
    expect(Math.abs(Date.parse(data!.delete_after) - expected.getTime())).toBeLessThan(2 * 3_600_000)
  })

  it('the period is set by org admins only, between 1 and 120 months', async () => {
    const leader = await (await world.client('leader')).rpc('set_retention_months', { organisation_id: world.organisationId, months: 3 })
    expect(leader.error).toMatchObject({ hint: 'not_allowed_to_set_retention' })
    const wrong = await (await world.client('orgAdmin')).rpc('set_retention_months', { organisation_id: world.organisationId, months: 0 })
    expect(wrong.error).toMatchObject({ hint: 'invalid_months', message: 'Choose between 1 and 120 months.' })
    const ok = await (await world.client('orgAdmin')).rpc('set_retention_months', { organisation_id: world.organisationId, months: 6 })
    expect(ok.error).toBeNull()
    expect(await one('select retention_months from public.organisations where id = $1', [world.organisationId]))
      .toEqual({ retention_months: 6 })
  })

  it('is not touched before its time, reminded 30 days before, and deleted with its files after', async () => {
    const photo = await addPhoto(world, 'leader', { residentId: world.otherResidentId })
    const now = Date.now()
    await archive(world.otherResidentId, months(6) - 40 * day)
    await run(new Date(now))
    expect(sent).toHaveLength(0)

    await run(new Date(now + 15 * day))
    const contact = await one<{ email: string }>('select email from auth.users where id = $1', [world.users.primaryContact])
    expect(sent).toEqual([expect.objectContaining({ to: contact!.email, subject: expect.stringContaining('Olav Lunde') })])
    expect(sent[0]!.text).toContain('laste dem ned')

    // About a week before it is due: still there.
    await run(new Date(now + 35 * day))
    expect(await one('select id from public.residents where id = $1', [world.otherResidentId])).toBeDefined()

    const result = await run(new Date(now + 60 * day))
    expect(result.deleted).toBe(1)
    expect(await one('select id from public.residents where id = $1', [world.otherResidentId])).toBeUndefined()
    expect(await objectCount(`${world.otherResidentId}/media/${photo.id}`)).toBe(0)
    expect(await one(`select action, actor_id, details from public.audit_events where resident_id = $1 order by id desc limit 1`,
      [world.otherResidentId])).toEqual({ action: 'resident_deleted', actor_id: null, details: { reason: 'retention' } })
    expect(sent).toHaveLength(1)
  })

  it('long overdue when the job first runs, it is still kept 14 days after the reminder', async () => {
    const id = (await one<{ id: string }>(`insert into public.residents (unit_id, display_name, status, archived_at)
      values ($1, 'Gammel Profil', 'archived', now() - interval '5 years') returning id`, [world.unitId]))!.id
    await db(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'primary_contact')`,
      [id, world.users.primaryContact])
    const now = Date.now()
    expect((await run(new Date(now))).reminded).toBe(1)
    expect(sent.at(-1)!.subject).toContain('Gammel Profil')
    await run(new Date(now + 13 * day))
    expect(await one('select id from public.residents where id = $1', [id])).toBeDefined()
    await run(new Date(now + 15 * day))
    expect(await one('select id from public.residents where id = $1', [id])).toBeUndefined()
  })

  it('is kept when a leader extends it, and restoring it clears the dates', async () => {
    const r = world.residentId
    await archive(r, months(6) + 10 * day)
    const staff = await (await world.client('staff')).rpc('extend_retention', { resident_id: r, months: 12 })
    expect(staff.error).toMatchObject({ hint: 'not_allowed_to_extend' })
    const { data, error } = await (await world.client('leader')).rpc('extend_retention', { resident_id: r, months: 12 })
    expect(error).toBeNull()
    expect(Date.parse(data as string)).toBeGreaterThan(Date.now() + months(11))
    const result = await run(new Date(Date.now() + 60 * day))
    expect(result.deleted).toBe(0)
    expect(await one('select id from public.residents where id = $1', [r])).toBeDefined()
    expect((await db(`select action from public.audit_events where resident_id = $1 and action = 'retention_extended'`, [r])).rows)
      .toHaveLength(1)

    await (await world.client('leader')).rpc('restore_resident', { resident_id: r })
    expect(await one('select retain_until, retention_reminded_at from public.residents where id = $1', [r]))
      .toEqual({ retain_until: null, retention_reminded_at: null })
  })
})
