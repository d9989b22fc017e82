// Audit (issue 10, point 6): every access change leaves a row, and the trail
// is read through audit_trail by org admins (their organisation) and unit
// leaders (their units only), filtered by profile and by person.
import { beforeAll, describe, expect, it } from 'vitest'
import { acceptTerms, createUser, createWorld, db, type World } from '../access/fixtures'

let world: World
let invitee: { id: string, email: string }

interface TrailRow { action: string, actor_name: string | null, subject_name: string | null, resident_name: string | null, unit_name: string | null }

beforeAll(async () => {
  world = await createWorld('Logg')
  invitee = await createUser('Nina Nykommer')
  await acceptTerms(invitee.id)
  const invited = await (await world.client('primaryContact')).rpc('create_invitation',
    { resident_id: world.residentId, role: 'relative', relationship: 'niese', email: invitee.email })
  expect(invited.error).toBeNull()
  const token = (invited.data as { token: string }[])[0]!.token
  expect((await (await world.clientOf(invitee.id)).rpc('accept_invitation', { token })).error).toBeNull()
  const manager = await world.client('leader')
  expect((await manager.rpc('change_member_role', { resident_id: world.residentId, user_id: invitee.id, role: 'viewer' })).error).toBeNull()
  expect((await manager.rpc('remove_member', { resident_id: world.residentId, user_id: invitee.id })).error).toBeNull()
  expect((await (await world.client('orgAdmin')).rpc('change_unit_member_role',
    { unit_id: world.otherUnitId, user_id: world.users.otherUnitStaff, role: 'superuser' })).error).toBeNull()
  expect((await (await world.client('primaryContact')).rpc('export_resident', { resident_id: world.residentId })).error).toBeNull()
})

async function trail(actor: Parameters<World['client']>[0], filters: Record<string, string> = {}) {
  const { data, error } = await (await world.client(actor)).rpc('audit_trail', filters)
  expect(error).toBeNull()
  return data as TrailRow[]
}

describe('the audit trail', () => {
  it('records each access change on the profile, newest first, with names and no content', async () => {
    const rows = await trail('orgAdmin', { resident: world.residentId })
    expect(rows.map(r => [r.action, r.actor_name, r.subject_name])).toEqual([
      ['resident_exported', 'primaryContact', null],
      ['member_removed', 'leader', 'Nina Nykommer'],
      ['member_role_changed', 'leader', 'Nina Nykommer'],
      ['invitation_accepted', 'Nina Nykommer', 'Nina Nykommer'],
      ['invitation_created', 'primaryContact', null],
    ])
    expect(rows.every(r => r.resident_name === 'Ingrid Bakken' && r.unit_name === 'Solsiden')).toBe(true)
  })

  it('filters by person, as the one who acted or the one concerned', async () => {
    const { data } = await (await world.client('orgAdmin')).rpc('audit_trail', { person: invitee.id })
    expect((data as TrailRow[]).map(r => r.action).sort()).toEqual(
      ['invitation_accepted', 'member_removed', 'member_role_changed'])
  })

  it('shows a leader their own units only', async () => {
    const leader = await trail('leader')
    expect(leader.some(r => r.action === 'unit_member_role_changed')).toBe(false)
    expect(leader.some(r => r.action === 'member_removed')).toBe(true)
    const admin = await trail('orgAdmin')
    expect(admin.some(r => r.action === 'unit_member_role_changed' && r.unit_name === 'Fjordtunet')).toBe(true)
  })

  it('shows nothing to staff, superusers, relatives or the primary contact', async () => {
    for (const actor of ['staff', 'superuser', 'primaryContact', 'relative', 'otherUnitStaff'] as const) {
      expect(await trail(actor), actor).toEqual([])
      const { data } = await (await world.client(actor)).from('audit_events').select('id').eq('resident_id', world.residentId)
      expect(data, actor).toEqual([])
    }
  })

  it('offers the profiles and people in the trail as filters', async () => {
    const { data } = await (await world.client('leader')).rpc('audit_trail_filters')
    expect(data).toEqual(expect.arrayContaining([
      { kind: 'resident', id: world.residentId, name: 'Ingrid Bakken' },
      { kind: 'person', id: invitee.id, name: 'Nina Nykommer' },
    ]))
  })

  it('pages with before_id', async () => {
    const first = await (await world.client('orgAdmin')).rpc('audit_trail', { resident: world.residentId, page_size: 2 })
    const rows = first.data as (TrailRow & { id: number })[]
    expect(rows).toHaveLength(2)
    const next = await (await world.client('orgAdmin')).rpc('audit_trail',
      { resident: world.residentId, page_size: 2, before_id: rows[1]!.id })
    expect((next.data as TrailRow[]).map(r => r.action)).toEqual(['member_role_changed', 'invitation_accepted'])
    expect((await db('select count(*)::int as n from public.audit_events where resident_id = $1', [world.residentId])).rows[0]).toEqual({ n: 5 })
  })
})
