import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { beforeEach, describe, expect, it } from 'vitest'
import { stack } from '../../local-stack/tests/support.ts'
import { createWorld, serverClient, db, one, rowExists, type Actor, type World } from './fixtures.ts'

// Role changes, removals, moves, archiving and deletion: each changes who sees
// the profile at once. Every test gets a fresh world, since they all change access.
let world: World
beforeEach(async () => {
  world = await createWorld('lifecycle')
})

async function sees(actor: Actor, residentId = world.residentId) {
  const { data } = await (await world.client(actor)).from('residents').select('id').eq('id', residentId)
  return data?.length === 1
}

async function rpc(actor: Actor, name: string, args: Record<string, unknown>) {
  return (await world.client(actor)).rpc(name, args)
}

describe('changing roles on a profile', () => {
  it('the primary contact can make a relative a viewer, who then cannot add content', async () => {
    const { error } = await rpc('primaryContact', 'change_member_role',
      { resident_id: world.residentId, user_id: world.users.relative, role: 'viewer' })
    expect(error).toBeNull()
    const insert = await (await world.client('relative')).from('stories')
      .insert({ resident_id: world.residentId, title: 'Sommeren 1952' })
    expect(insert.error).not.toBeNull()
    expect(await rowExists('audit_events', { action: 'member_role_changed', subject_user_id: world.users.relative }))
      .toBe(true)
  })

  const notAllowed = 'You are not allowed to change roles on this profile.'
  const refusals: [Actor, string, string, string][] = [
    ['primaryContact', 'relative', 'primary_contact',
      'A primary contact can only switch people between relative and viewer.'],
    ['relative', 'viewer', 'relative', notAllowed],
    ['staff', 'relative', 'viewer', notAllowed],
    ['primaryContact', 'primaryContact', 'relative',
      'You cannot change your own role; ask someone else who manages the profile.'],
  ]
  for (const [actor, target, role, message] of refusals) {
    it(`${actor} cannot make ${target} a ${role}`, async () => {
      const userId = world.users[target as Exclude<Actor, 'anonymous'>]
      const before = await one(`select role from public.resident_members where resident_id = $1 and user_id = $2`,
        [world.residentId, userId])
      const { error } = await rpc(actor, 'change_member_role', { resident_id: world.residentId, user_id: userId, role })
      expect(error?.message).toBe(message)
      const unchanged = { resident_id: world.residentId, user_id: userId, role: before!.role }
      expect(await rowExists('resident_members', unchanged)).toBe(true)
    })
  }

  it('a leader can make a relative the primary contact', async () => {
    const { error } = await rpc('leader', 'change_member_role',
      { resident_id: world.residentId, user_id: world.users.relative, role: 'primary_contact' })
    expect(error).toBeNull()
    expect(await rowExists('resident_members',
      { resident_id: world.residentId, user_id: world.users.relative, role: 'primary_contact' })).toBe(true)
  })
})

describe('removing access', () => {
  it('a removed relative no longer sees the profile', async () => {
    expect(await sees('relative')).toBe(true)
    const { error } = await rpc('primaryContact', 'remove_member',
      { resident_id: world.residentId, user_id: world.users.relative })
    expect(error).toBeNull()
    expect(await sees('relative')).toBe(false)
  })

  it('a relative cannot remove anyone but themselves', async () => {
    const other = await rpc('relative', 'remove_member', { resident_id: world.residentId, user_id: world.users.viewer })
    expect(other.error?.hint).toBe('not_allowed_to_manage_members')
    expect(await sees('viewer')).toBe(true)
    const self = await rpc('relative', 'remove_member',
      { resident_id: world.residentId, user_id: world.users.relative })
    expect(self.error).toBeNull()
    expect(await sees('relative')).toBe(false)
  })

  it('staff who leave the unit lose access at once', async () => {
    expect(await sees('staff')).toBe(true)
    const { error } = await rpc('leader', 'remove_unit_member', { unit_id: world.unitId, user_id: world.users.staff })
    expect(error).toBeNull()
    expect(await sees('staff')).toBe(false)
  })

  it('staff cannot remove each other from the unit', async () => {
    const { error } = await rpc('staff', 'remove_unit_member',
      { unit_id: world.unitId, user_id: world.users.superuser })
    expect(error?.hint).toBe('not_allowed_to_manage_unit')
    expect(await sees('superuser')).toBe(true)
  })
})

describe('moving a resident', () => {
  it('moves the profile to the new unit\'s staff', async () => {
    const move = { resident_id: world.residentId, unit_id: world.otherUnitId }
    const { error } = await rpc('orgAdmin', 'move_resident', move)
    expect(error).toBeNull()
    expect(await sees('staff')).toBe(false)
    expect(await sees('otherUnitStaff')).toBe(true)
    expect(await sees('relative')).toBe(true)
  })

  it('a leader cannot move a resident to a unit they do not manage', async () => {
    const move = { resident_id: world.residentId, unit_id: world.otherUnitId }
    const { error } = await rpc('leader', 'move_resident', move)
    expect(error?.message).toBe('You can only move a resident to a unit you manage.')
    expect(await rowExists('residents', { id: world.residentId, unit_id: world.unitId })).toBe(true)
  })

  it('a resident cannot be moved by editing the row', async () => {
    const leader = await world.client('leader')
    await leader.from('residents').update({ unit_id: world.otherUnitId }).eq('id', world.residentId)
    expect(await rowExists('residents', { id: world.residentId, unit_id: world.unitId })).toBe(true)
  })
})

describe('archiving a resident', () => {
  it('leaves the profile to org admins, leaders and the primary contact', async () => {
    const { error } = await rpc('superuser', 'archive_resident', { resident_id: world.residentId })
    expect(error).toBeNull()
    const expected: [Actor, boolean][] = [['orgAdmin', true], ['leader', true], ['primaryContact', true],
      ['superuser', false], ['staff', false], ['relative', false], ['viewer', false], ['resident', false]]
    for (const [actor, visible] of expected) expect([actor, await sees(actor)]).toEqual([actor, visible])
  })

  it('can be undone', async () => {
    await rpc('leader', 'archive_resident', { resident_id: world.residentId })
    expect((await rpc('leader', 'restore_resident', { resident_id: world.residentId })).error).toBeNull()
    expect(await sees('staff')).toBe(true)
  })

  it('is refused to staff', async () => {
    const { error } = await rpc('staff', 'archive_resident', { resident_id: world.residentId })
    expect(error?.hint).toBe('not_allowed_to_manage_resident')
    expect(await rowExists('residents', { id: world.residentId, status: 'active' })).toBe(true)
  })
})

describe('deleting a whole profile', () => {
  async function fillProfile() {
    const name = `${world.residentId}/${randomUUID()}.png`
    const png = new Blob([Buffer.from('89504e470d0a1a0a', 'hex')], { type: 'image/png' })
    // Stored with the server's key, as the upload route stores every file.
    expect((await serverClient().storage.from('media').upload(name, png, { contentType: 'image/png' })).error).toBeNull()
    const media = await one(`insert into public.media_items (resident_id, storage_path, kind, created_by)
      values ($1, $2, 'image', $3) returning id`, [world.residentId, name, world.users.staff])
    const post = await one(`insert into public.guestbook_posts (resident_id, body, created_by)
      values ($1, 'Hei!', $2) returning id`, [world.residentId, world.users.relative])
    await db(`insert into public.guestbook_post_media (post_id, media_item_id, resident_id) values ($1, $2, $3)`,
      [post!.id, media!.id, world.residentId])
    await db(`insert into public.relations (resident_id, name) values ($1, 'Per')`, [world.residentId])
    await db(`insert into public.stories (resident_id, title) values ($1, 'Krigsårene')`, [world.residentId])
  }

  /** Rows left in any public table with a resident_id column, counted past RLS, in one query. */
  async function rowsLeft(residentId: string) {
    const { rows } = await db<{ table_name: string }>(`select c.table_name from information_schema.columns c
      join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
      where c.table_schema = 'public' and c.column_name = 'resident_id' and c.data_type = 'uuid'
        and t.table_type = 'BASE TABLE' and c.table_name <> 'audit_events'`)
    const counts = rows.map(({ table_name }) =>
      `select count(*) from public.${pg.escapeIdentifier(table_name)} where resident_id = $1`)
    const total = await one(`select (${[...counts, 'select count(*) from public.residents where id = $1']
      .map(q => `(${q})`).join(' + ')})::int as n`, [residentId])
    return total!.n as number
  }

  it('leaves no row and no file behind, and records who did it', async () => {
    await fillProfile()
    const { data: files, error } = await rpc('orgAdmin', 'delete_resident', { resident_id: world.residentId })
    expect(error).toBeNull()
    expect(files).toHaveLength(1)
    // The server removes the files through the Storage API with its service key.
    const removal = await serverClient().storage.from('media').remove(files.map((f: { name: string }) => f.name))
    expect(removal.error).toBeNull()

    expect(await rowsLeft(world.residentId)).toBe(0)
    const objects = await one(`select count(*)::int as n from storage.objects where name like $1`,
      [`${world.residentId}/%`])
    expect(objects!.n).toBe(0)
    const audit = await one(`select actor_id, details from public.audit_events
      where action = 'resident_deleted' and resident_id = $1`, [world.residentId])
    expect(audit).toEqual({ actor_id: world.users.orgAdmin, details: {} })
  }, 60_000)

  for (const actor of ['leader', 'superuser', 'staff', 'primaryContact'] as Actor[]) {
    it(`is refused to ${actor}`, async () => {
      const { error } = await rpc(actor, 'delete_resident', { resident_id: world.residentId })
      expect(error?.message).toBe('Only an org admin of the resident\'s organisation can delete a whole profile.')
      expect(await rowExists('residents', { id: world.residentId })).toBe(true)
    })
  }
})

describe('the terms gate', () => {
  it('shows nothing until the current terms are accepted', async () => {
    expect(await sees('termsNotAccepted')).toBe(false)
    const { data, error } = await rpc('termsNotAccepted', 'accept_current_legal_documents', {})
    expect(error).toBeNull()
    expect(data).toBe(3)
    expect(await sees('termsNotAccepted')).toBe(true)
  })

  it('asks again when a new version is published', async () => {
    // Inside a transaction that is rolled back, so other tests keep the current version.
    const client = new pg.Client({ connectionString: stack.dbUrl })
    await client.connect()
    try {
      await client.query('begin')
      await client.query(`insert into public.legal_documents (kind, version, title_nb, title_en, body_nb, body_en)
        select 'terms', max(version) + 1, 'Vilkår', 'Terms', 'Ny tekst', 'New text' from public.legal_documents
        where kind = 'terms'`)
      await client.query(`select set_config('role', 'authenticated', true),
        set_config('request.jwt.claims', $1, true)`,
      [JSON.stringify({ sub: world.users.relative, role: 'authenticated' })])
      const before = await client.query(`select private.has_accepted_terms() as ok, count(r.id)::int as n
        from public.residents r`)
      expect(before.rows[0]).toEqual({ ok: false, n: 0 })
      await client.query('select public.accept_current_legal_documents()')
      const after = await client.query('select private.has_accepted_terms() as ok')
      expect(after.rows[0].ok).toBe(true)
    }
    finally {
      await client.query('rollback')
      await client.end()
    }
  })
})
