// Who may mark what sparked joy and choose the calm set, through supabase-js as each
// role, against the real local stack: staff write, the family reads, outsiders see nothing.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { can, createWorld, db, rowExists, type Actor, type World } from '../access/fixtures'

let world: World
let photoId: string

beforeAll(async () => {
  world = await createWorld('Samtale')
  photoId = randomUUID()
  await db(`insert into public.media_items (id, resident_id, storage_path, kind, caption, created_by)
    values ($1, $2, $3, 'image', 'Bading', $4)`, [photoId, world.residentId, `${world.residentId}/media/${photoId}.jpg`, world.authorId])
})

const staffRoles: Actor[] = ['orgAdmin', 'leader', 'superuser', 'staff']
const others: Actor[] = ['primaryContact', 'relative', 'viewer', 'resident', 'anonymous', 'otherUnitStaff', 'otherRelative', 'termsNotAccepted', 'formerStaff']

function reaction(reaction = 'good') {
  return { resident_id: world.residentId, item_kind: 'media_item', item_id: photoId, reaction, theme: 'mix', session_id: randomUUID() }
}

describe('what sparked joy', () => {
  it.each(staffRoles)('%s can mark it', async (actor) => {
    const client = await world.client(actor)
    const row = reaction()
    const { error } = await client.from('conversation_reactions').insert(row)
    expect(error).toBeNull()
    expect(await rowExists('conversation_reactions', { session_id: row.session_id, created_by: world.users[actor as Exclude<Actor, 'anonymous'>] })).toBe(true)
  })

  it.each(others)('%s cannot mark it', async (actor) => {
    const client = await world.client(actor)
    const row = reaction()
    const { error } = await client.from('conversation_reactions').insert(row)
    expect(error).not.toBeNull()
    expect(await rowExists('conversation_reactions', { session_id: row.session_id })).toBe(false)
  })

  it.each(can.read)('%s can read what brought joy', async (actor) => {
    const client = await world.client(actor)
    const { data, error } = await client.from('conversation_reactions').select('item_id, reaction').eq('resident_id', world.residentId)
    expect(error).toBeNull()
    expect(data!.length).toBeGreaterThan(0)
    expect(data!.every(r => r.item_id === photoId)).toBe(true)
  })

  it.each(['anonymous', 'otherUnitStaff', 'otherRelative', 'termsNotAccepted', 'formerStaff'] as Actor[])('%s sees none of it', async (actor) => {
    const client = await world.client(actor)
    const { data } = await client.from('conversation_reactions').select('id').eq('resident_id', world.residentId)
    expect(data ?? []).toEqual([])
  })

  it('refuses anything but good, neutral or not now: no scores', async () => {
    const client = await world.client('staff')
    const { error } = await client.from('conversation_reactions').insert({ ...reaction(), reaction: '7' })
    expect(error).not.toBeNull()
  })

  it('stamps the time and author itself', async () => {
    const client = await world.client('staff')
    const { error } = await client.from('conversation_reactions').insert({ ...reaction(), created_at: '2001-01-01T00:00:00Z' })
    expect(error).not.toBeNull()
    const spoofed = { ...reaction(), created_by: world.users.leader }
    const second = await client.from('conversation_reactions').insert(spoofed)
    expect(second.error).not.toBeNull()
  })
})

describe('the calm set', () => {
  function calmItem() {
    return { resident_id: world.residentId, item_kind: 'media_item', item_id: randomUUID(), position: 0 }
  }

  it.each(can.moderate)('%s can choose items', async (actor) => {
    const client = await world.client(actor)
    const row = calmItem()
    const { error } = await client.from('conversation_calm_items').insert(row)
    expect(error).toBeNull()
    const removed = await client.from('conversation_calm_items').delete().eq('item_id', row.item_id).select('item_id')
    expect(removed.data).toHaveLength(1)
  })

  it.each(['relative', 'viewer', 'resident', 'otherUnitStaff', 'anonymous'] as Actor[])('%s cannot choose items', async (actor) => {
    const client = await world.client(actor)
    const row = calmItem()
    await client.from('conversation_calm_items').insert(row)
    expect(await rowExists('conversation_calm_items', { item_id: row.item_id })).toBe(false)
  })

  it('the family can read the set, a viewer too', async () => {
    const row = calmItem()
    const staff = await world.client('staff')
    expect((await staff.from('conversation_calm_items').insert(row)).error).toBeNull()
    for (const actor of ['relative', 'viewer'] as Actor[]) {
      const { data } = await (await world.client(actor)).from('conversation_calm_items').select('item_id').eq('item_id', row.item_id)
      expect(data).toHaveLength(1)
    }
    const relative = await world.client('relative')
    await relative.from('conversation_calm_items').delete().eq('item_id', row.item_id)
    expect(await rowExists('conversation_calm_items', { item_id: row.item_id })).toBe(true)
  })
})

describe('music links', () => {
  it('an interest tagged as music keeps a web address; anything else is refused', async () => {
    const client = await world.client('relative')
    const ok = await client.from('interests').insert({ resident_id: world.residentId, category: 'music', title: 'Alf Prøysen',
      description: 'Vårherres klinkekule', music_link: 'https://example.org/proysen', created_by: world.users.relative }).select('music_link')
    expect(ok.error).toBeNull()
    expect(ok.data![0]!.music_link).toBe('https://example.org/proysen')
    const bad = await client.from('everyday_wishes').insert({ resident_id: world.residentId, category: 'music', title: 'Sang',
      music_link: 'javascript:alert(1)', created_by: world.users.relative })
    expect(bad.error).not.toBeNull()
  })
})
