// Unread markers for the unit view, and authors described in words.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures.ts'

let world: World

beforeAll(async () => {
  world = await createWorld('Markers')
  await db(`insert into public.guestbook_posts (resident_id, kind, body, created_by, created_at) values
    ($1, 'greeting', 'Gammel hilsen', $2, now() - interval '2 days'),
    ($1, 'greeting', 'Ny hilsen', $2, now() - interval '1 hour'),
    ($1, 'glimpse', 'Egen post', $3, now() - interval '1 hour'),
    ($4, 'greeting', 'Til Olav', $5, now() - interval '1 hour')`,
  [world.residentId, world.authorId, world.users.staff, world.otherResidentId, world.users.otherRelative])
})

async function unread(actor: 'staff' | 'relative' | 'otherRelative') {
  const { data, error } = await (await world.client(actor))
    .rpc('guestbook_unread_counts', { resident_ids: [world.residentId, world.otherResidentId] })
  expect(error).toBeNull()
  return Object.fromEntries((data as { resident_id: string, unread: number }[])
    .map(row => [row.resident_id === world.residentId ? 'ingrid' : 'olav', Number(row.unread)]))
}

describe('unread markers', () => {
  it('counts posts by others, for every resident the reader can see and nobody else', async () => {
    expect(await unread('staff')).toEqual({ ingrid: 2, olav: 1 })
    expect(await unread('relative')).toEqual({ ingrid: 3, olav: 0 })
    expect(await unread('otherRelative')).toEqual({ ingrid: 0, olav: 0 })
  })

  it('clears a resident\'s count when the reader marks it read, and never moves back', async () => {
    const staff = await world.client('staff')
    const { data: first } = await staff.rpc('mark_guestbook_read', { resident: world.residentId })
    expect(await unread('staff')).toEqual({ ingrid: 0, olav: 1 })
    await db(`update public.guestbook_read_markers set read_until = now() + interval '1 hour'
      where user_id = $1 and resident_id = $2`, [world.users.staff, world.residentId])
    const { data: second } = await staff.rpc('mark_guestbook_read', { resident: world.residentId })
    expect(new Date(second as string).getTime()).toBeGreaterThan(new Date(first as string).getTime() + 3_000_000)
  })

  it('lets nobody mark a guestbook they cannot read, nor see others\' markers', async () => {
    const outsider = await world.client('otherRelative')
    const { error } = await outsider.rpc('mark_guestbook_read', { resident: world.residentId })
    expect(error?.message).toBe('new row violates row-level security policy for table "guestbook_read_markers"')
    const { data } = await outsider.from('guestbook_read_markers').select('user_id')
    expect(data).toEqual([])
  })
})

describe('authors in words', () => {
  it('describes staff with their unit and relatives with their relationship', async () => {
    const { data, error } = await (await world.client('viewer')).rpc('guestbook_authors', { resident: world.residentId })
    expect(error).toBeNull()
    const byId = new Map((data as { person_id: string }[]).map(row => [row.person_id, row]))
    expect(byId.get(world.users.staff)).toMatchObject({ role: 'staff', relationship: null, unit_name: 'Solsiden' })
    expect(byId.get(world.users.primaryContact)).toMatchObject({ role: 'primary_contact', relationship: 'datter',
      unit_name: null })
    expect(byId.get(world.users.leader)).toMatchObject({ role: 'leader', unit_name: 'Solsiden' })
    // Only admins see who the admins are, so for others an admin's post shows just the name.
    expect(byId.get(world.users.orgAdmin)).toBeUndefined()
    await db(`insert into public.guestbook_posts (resident_id, body, created_by) values ($1, 'Fra kommunen', $2)`,
      [world.residentId, world.users.orgAdmin])
    const { data: again } = await (await world.client('viewer')).rpc('guestbook_authors', { resident: world.residentId })
    expect((again as { person_id: string }[]).find(row => row.person_id === world.users.orgAdmin))
      .toMatchObject({ display_name: 'orgAdmin', role: null, unit_name: null })
    expect(byId.has(world.users.otherRelative)).toBe(false)
  })

  it('tells a stranger nothing', async () => {
    const { data } = await (await world.client('otherRelative')).rpc('guestbook_authors', { resident: world.residentId })
    expect(data).toEqual([])
  })
})
