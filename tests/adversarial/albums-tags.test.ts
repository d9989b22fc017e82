// Who is in a photo (media_people) points at a relation, a user or a typed name,
// and must point at something. What happens to a tag when what it points at is
// deleted: a relation removed from "My people", and tags that name someone who
// is no member of the profile at all.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, one, type World } from '../access/fixtures'
import { addPhoto } from '../privacy/support'

let world: World

beforeAll(async () => {
  world = await createWorld('Merking angrep')
})

describe('a relation tagged in a photo', () => {
  // Fixed in 20261205150400: a tag that names only the relation goes with it (a tag that also
  // has a name or a user stays and loses its relation_id), so a tagged relation can be deleted.
  it('can still be deleted by its author, and the photo stays', async () => {
    const relative = await world.client('relative')
    const relation = await relative.from('relations').insert({ resident_id: world.residentId, name: 'Onkel Per',
      is_living: false, created_by: world.users.relative }).select('id').single()
    expect(relation.error).toBeNull()
    const photo = await addPhoto(world, 'relative', { caption: 'Onkel Per på sjøen' })
    const tag = await relative.from('media_people').insert({ resident_id: world.residentId, media_item_id: photo.id,
      relation_id: relation.data!.id, created_by: world.users.relative })
    expect(tag.error).toBeNull()

    const removed = await relative.from('relations').delete().eq('id', relation.data!.id)
    expect(removed.error).toBeNull()
    expect(await one('select id from public.relations where id = $1', [relation.data!.id])).toBeUndefined()
    expect(await one('select id from public.media_items where id = $1', [photo.id])).toBeDefined()
  })
})

describe('tagging someone who is not on the profile', () => {
  // Fixed in 20261205150400: restrictive policies on media_people let a tag name only a user
  // among private.visible_person_ids() of the tagger, so a stranger's "Bilder av meg" stays empty.
  it('a relative cannot tag a user they cannot see, putting the photo in that user\'s "Bilder av meg"', async () => {
    const photo = await addPhoto(world, 'relative', { caption: 'Familietreff' })
    const relative = await world.client('relative')
    await relative.from('media_people').insert({ resident_id: world.residentId, media_item_id: photo.id,
      person_id: world.users.otherRelative, created_by: world.users.relative })
    const seen = await (await world.client('otherRelative')).rpc('photos_of_me')
    expect((seen.data ?? []).map((p: { media_item_id: string }) => p.media_item_id)).not.toContain(photo.id)
  })
})
