import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, one, rowExists, type Actor, type World } from './fixtures.ts'

// Rules inside a row that the matrix does not show: hiding, editing one's own
// guestbook text, glimpses being for staff, and pictures staying in their folder.
let world: World
beforeAll(async () => {
  world = await createWorld('content rules')
})

async function relationByAuthor() {
  const row = await one(`insert into public.relations (resident_id, name, created_by) values ($1, 'Gunvor', $2)
    returning id`, [world.residentId, world.authorId])
  return row!.id as string
}

async function seesRelation(actor: Actor, id: string) {
  const { data } = await (await world.client(actor)).from('relations').select('id').eq('id', id)
  return data?.length === 1
}

describe('hiding an item', () => {
  it('the resident can hide what someone else added, and then only some still see it', async () => {
    const id = await relationByAuthor()
    const { error } = await (await world.client('resident')).from('relations').update({ hidden: true }).eq('id', id)
    expect(error).toBeNull()
    const expected: [Actor, boolean][] = [['resident', true], ['staff', true], ['primaryContact', true],
      ['orgAdmin', true], ['relative', false], ['viewer', false]]
    for (const [actor, visible] of expected) expect([actor, await seesRelation(actor, id)]).toEqual([actor, visible])
    expect(await seesRelation('relative', id)).toBe(false)
    const { data } = await (await world.clientOf(world.authorId)).from('relations').select('id').eq('id', id)
    expect(data).toHaveLength(1)
  })

  it('the resident cannot change the text of what someone else added', async () => {
    const id = await relationByAuthor()
    const { error } = await (await world.client('resident')).from('relations').update({ name: 'Gunhild' }).eq('id', id)
    expect(error?.message).toBe('Only the author or staff can change this item; the resident may only hide it.')
    expect(await rowExists('relations', { id, name: 'Gunvor' })).toBe(true)
  })

  it('the author cannot show again what the resident hid', async () => {
    const id = await relationByAuthor()
    await (await world.client('resident')).from('relations').update({ hidden: true }).eq('id', id)
    const author = await world.clientOf(world.authorId)
    const { error } = await author.from('relations').update({ hidden: false }).eq('id', id)
    expect(error?.message).toBe('Only the resident, staff and the primary contact can hide an item or show it again.')
    expect(await rowExists('relations', { id, hidden: true })).toBe(true)
  })
})

describe('pictures stay in their resident\'s folder', () => {
  it('a relation cannot point at another resident\'s photo', async () => {
    const { error } = await (await world.client('relative')).from('relations')
      .insert({ resident_id: world.residentId, name: 'Per', photo_path: `${world.otherResidentId}/portrait.png` })
    expect(error).not.toBeNull()
    expect(await rowExists('relations', { resident_id: world.residentId, name: 'Per' })).toBe(false)
  })

  it('a media item cannot claim another resident\'s file', async () => {
    const { error } = await (await world.client('staff')).from('media_items')
      .insert({ resident_id: world.residentId, storage_path: `${world.otherResidentId}/secret.jpg`, kind: 'image' })
    expect(error).not.toBeNull()
  })
})

describe('the guestbook', () => {
  const posts: [Actor, string, boolean][] = [
    ['staff', 'glimpse', true], ['leader', 'glimpse', true], ['relative', 'glimpse', false],
    ['primaryContact', 'glimpse', false], ['viewer', 'greeting', true], ['resident', 'greeting', true],
  ]
  for (const [actor, kind, may] of posts) {
    it(`${actor} ${may ? 'can' : 'cannot'} post a ${kind}`, async () => {
      const body = `${kind} fra ${actor} ${Math.random()}`
      await (await world.client(actor)).from('guestbook_posts').insert({ resident_id: world.residentId, kind, body })
      expect(await rowExists('guestbook_posts', { body, kind })).toBe(may)
    })
  }

  it('an author\'s edit is marked as edited', async () => {
    const viewer = await world.client('viewer')
    const { data } = await viewer.from('guestbook_posts')
      .insert({ resident_id: world.residentId, body: 'Hei bestemor' }).select('id').single()
    const { error } = await viewer.from('guestbook_posts').update({ body: 'Hei bestemor!' }).eq('id', data!.id)
    expect(error).toBeNull()
    const row = await one(`select body, edited_at is not null as edited from public.guestbook_posts where id = $1`,
      [data!.id])
    expect(row).toEqual({ body: 'Hei bestemor!', edited: true })
  })

  it('staff can remove a post but not rewrite it; the removal records who did it', async () => {
    const post = await one(`insert into public.guestbook_posts (resident_id, body, created_by)
      values ($1, 'Original', $2) returning id`, [world.residentId, world.authorId])
    const staff = await world.client('staff')
    const rewrite = await staff.from('guestbook_posts').update({ body: 'Omskrevet' }).eq('id', post!.id)
    expect(rewrite.error?.message)
      .toBe('Only the author can edit this; staff and the primary contact can only remove it.')
    const removal = await staff.from('guestbook_posts')
      .update({ removed_at: new Date().toISOString() }).eq('id', post!.id)
    expect(removal.error).toBeNull()
    const row = await one(`select removed_by from public.guestbook_posts where id = $1`, [post!.id])
    expect(row).toEqual({ removed_by: world.users.staff })
    expect(await rowExists('guestbook_posts', { id: post!.id, body: 'Omskrevet' })).toBe(false)
  })
})
