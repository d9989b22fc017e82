// Who may see insight, goals and access overviews: org admins for the whole
// organisation, leaders and superusers for their own unit only, nobody else.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type Actor, type World } from '../access/fixtures.ts'

let world: World
beforeAll(async () => {
  world = await createWorld('insight')
})

const period = () => ({ period_start: new Date(Date.now() - 28 * 86_400_000).toISOString(),
  period_end: new Date().toISOString() })

async function unitInsight(actor: Actor, unitId = world.unitId) {
  return (await world.client(actor)).rpc('unit_insight', { unit: unitId, ...period() })
}

const refusedUnit = 'Only org admins, leaders and superusers of this unit can see its insight.'
const refusedOrg = 'Only org admins can see the insight of the whole organisation.'

describe('unit insight', () => {
  it.each(['orgAdmin', 'leader', 'superuser'] as const)('%s sees the figures of the unit', async (actor) => {
    const { data, error } = await unitInsight(actor)
    expect(error).toBeNull()
    expect(data).toMatchObject({ residents: 2, sections: { whoIAm: 0, people: 0 } })
  })

  it.each(['staff', 'primaryContact', 'relative', 'viewer', 'resident', 'otherUnitStaff', 'otherRelative',
    'termsNotAccepted', 'formerStaff', 'anonymous'] as const)('%s is refused', async (actor) => {
    const { data, error } = await unitInsight(actor)
    expect(data).toBeNull()
    if (actor === 'anonymous') expect(error?.code).toBe('42501')
    else expect(error?.message).toBe(refusedUnit)
  })

  it('a leader of one unit is refused the insight of the other unit', async () => {
    const { error } = await unitInsight('leader', world.otherUnitId)
    expect(error?.message).toBe(refusedUnit)
  })

  it('the figures are counts only: no names, ids or text in the answer', async () => {
    await db(`update public.residents set introduction = 'Jeg heter Ingrid og liker å strikke.' where id = $1`,
      [world.residentId])
    const { data } = await unitInsight('leader')
    const text = JSON.stringify(data)
    expect(text).not.toContain('Ingrid')
    expect(text).not.toContain(world.residentId)
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/)
    expect((data as { sections: { whoIAm: number } }).sections.whoIAm).toBe(1)
  })

  it('refuses a period that ends before it starts, in words', async () => {
    const { error } = await (await world.client('leader')).rpc('unit_insight', {
      unit: world.unitId, period_start: new Date().toISOString(), period_end: new Date(Date.now() - 1000).toISOString() })
    expect(error?.message).toBe('The period must end after it starts.')
  })
})

describe('organisation insight', () => {
  it('the org admin sees the whole organisation', async () => {
    const { data, error } = await (await world.client('orgAdmin'))
      .rpc('organisation_insight', { organisation: world.organisationId, ...period() })
    expect(error).toBeNull()
    expect((data as { residents: number }).residents).toBe(2)
  })

  it.each(['leader', 'superuser', 'staff', 'primaryContact', 'otherUnitStaff'] as const)('%s is refused', async (actor) => {
    const { data, error } = await (await world.client(actor))
      .rpc('organisation_insight', { organisation: world.organisationId, ...period() })
    expect(data).toBeNull()
    expect(error?.message).toBe(refusedOrg)
  })
})

describe('the dashboard views', () => {
  it.each(['authenticated', 'anon'])('are closed to the %s role', async (role) => {
    const client = await db('select has_schema_privilege($1, \'insight\', \'usage\') as usable', [role])
    expect(client.rows[0].usable).toBe(false)
  })
})

describe('goals and quiet families', () => {
  it('a leader sets a goal, staff of the unit see its progress, others are refused', async () => {
    const leader = await world.client('leader')
    const insert = await leader.from('unit_goals')
      .insert({ unit_id: world.unitId, kind: 'glimpse_every_week' }).select('id').single()
    expect(insert.error).toBeNull()
    const seen = await (await world.client('staff')).rpc('unit_goal_progress', { unit: world.unitId })
    expect(seen.error).toBeNull()
    expect(seen.data).toEqual([expect.objectContaining({ kind: 'glimpse_every_week', met: 0, total: 2 })])
    for (const actor of ['relative', 'otherUnitStaff'] as const) {
      const refused = await (await world.client(actor)).rpc('unit_goal_progress', { unit: world.unitId })
      expect(refused.error?.message).toBe('Only the unit\'s staff and admins can see its goals.')
    }
  })

  it('staff cannot set goals; the row is not written', async () => {
    const { error } = await (await world.client('staff')).from('unit_goals')
      .insert({ unit_id: world.unitId, kind: 'glimpse_every_week' })
    expect(error).not.toBeNull()
    const { rows } = await db('select count(*)::int as n from public.unit_goals where unit_id = $1 and created_by = $2',
      [world.unitId, world.users.staff])
    expect(rows[0].n).toBe(0)
  })

  it('lists the resident whose one relative has not been in, not the one whose family wrote this week', async () => {
    await db(`insert into public.guestbook_posts (resident_id, body, created_by) values ($1, 'Hei!', $2)`,
      [world.residentId, world.users.relative])
    const { data, error } = await (await world.client('staff'))
      .rpc('residents_without_active_relatives', { unit: world.unitId, days: 28 })
    expect(error).toBeNull()
    expect((data as { resident_id: string, relatives: number }[]).map(r => [r.resident_id, Number(r.relatives)]))
      .toEqual([[world.otherResidentId, 1]])
  })
})

interface OverviewRow {
  user_id: string
  access: string
  role: string
  invited_by: string | null
  last_seen_at: string | null
}

describe('the access overview of a profile', () => {
  it('shows the leader everyone with access, with inviter and last visit', async () => {
    await db(`update public.resident_members set invited_by = $1 where resident_id = $2 and user_id = $3`,
      [world.users.primaryContact, world.residentId, world.users.relative])
    await (await world.client('relative')).rpc('record_resident_visit', { resident: world.residentId }).throwOnError()
    const { data, error } = await (await world.client('leader'))
      .rpc('resident_access_overview', { resident: world.residentId })
    expect(error).toBeNull()
    const rows = data as OverviewRow[]
    const relative = rows.find(row => row.user_id === world.users.relative)!
    expect(relative).toMatchObject({ access: 'profile', role: 'relative', invited_by: world.users.primaryContact })
    expect(Date.now() - Date.parse(relative.last_seen_at!)).toBeLessThan(60_000)
    expect(rows.find(row => row.user_id === world.users.staff)).toMatchObject({ access: 'unit', role: 'staff' })
    expect(rows.find(row => row.user_id === world.users.orgAdmin)).toMatchObject({ access: 'organisation' })
    expect(rows.some(row => row.user_id === world.users.otherUnitStaff)).toBe(false)
  })

  it.each(['staff', 'primaryContact', 'otherUnitStaff'] as const)('refuses %s', async (actor) => {
    const { error } = await (await world.client(actor)).rpc('resident_access_overview', { resident: world.residentId })
    expect(error?.message).toBe('Only org admins, leaders and superusers of the resident\'s unit can see who has access.')
  })

  it('a visit by someone without access stamps nothing', async () => {
    await (await world.client('otherRelative')).rpc('record_resident_visit', { resident: world.residentId })
    const { rows } = await db('select count(*)::int as n from private.resident_visits where user_id = $1',
      [world.users.otherRelative])
    expect(rows[0].n).toBe(0)
  })
})
