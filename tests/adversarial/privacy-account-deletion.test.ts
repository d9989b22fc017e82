// Deleting one's own account when the person is more than an author: tagged in
// a photo by name only, asked for a photo's removal, gave hearts, set up
// e-mail notices, confirmed consent for a photo. The account must go all the
// same, and nothing may keep naming them.
import { beforeAll, describe, expect, it } from 'vitest'
import { deleteOwnAccount } from '../../server/utils/privacy/deletion'
import { acceptTerms, createUser, createWorld, db, one, serverClient, type World } from '../access/fixtures'
import { addPhoto } from '../privacy/support'

let world: World

beforeAll(async () => {
  world = await createWorld('Konto angrep')
})

/** A viewer of the resident who is in a photo (tagged by their user only), and asked to have it removed. */
async function taggedViewer(name: string) {
  const user = await createUser(name)
  await acceptTerms(user.id)
  await db(`insert into public.resident_members (resident_id, user_id, role, relationship) values ($1, $2, 'viewer', 'barnebarn')`,
    [world.residentId, user.id])
  const photo = await addPhoto(world, 'relative', { tagged: [user.id], caption: 'Bursdag' })
  const client = await world.clientOf(user.id)
  const request = await client.rpc('request_media_removal', { media_item: photo.id, reason: 'Liker ikke bildet' })
  expect(request.error).toBeNull()
  const post = await one<{ id: string }>(`insert into public.guestbook_posts (resident_id, body, created_by) values ($1, 'Hei', $2) returning id`,
    [world.residentId, world.users.staff])
  expect((await client.from('guestbook_hearts').insert({ post_id: post!.id, resident_id: world.residentId, created_by: user.id })).error).toBeNull()
  await db(`insert into public.guestbook_notice_preferences (user_id, resident_id, frequency) values ($1, $2, 'daily')`, [user.id, world.residentId])
  // A second photo tags them by user and by a typed name as well.
  const named = await addPhoto(world, 'relative', { caption: 'Skolestart' })
  await db(`insert into public.media_people (resident_id, media_item_id, person_id, name) values ($1, $2, $3, 'Emma')`,
    [world.residentId, named.id, user.id])
  return { ...user, photoId: photo.id, namedPhotoId: named.id }
}

describe('deleting the account of someone tagged in a photo', () => {
  it('deletes the account, and no row names them afterwards', async () => {
    const person = await taggedViewer('Emma Merket')
    await deleteOwnAccount(await world.clientOf(person.id), serverClient(), person.id)
    expect(await one('select id from auth.users where id = $1', [person.id])).toBeUndefined()
    expect(await one('select id from public.people where id = $1', [person.id])).toBeUndefined()
    // The photo stays (a relative added it); the tag that named only them goes.
    expect(await one('select id from public.media_items where id = $1', [person.photoId])).toBeDefined()
    const left = await db<{ t: string }>(`
      select 'media_people' as t from public.media_people where person_id = $1
      union all select 'hearts' from public.guestbook_hearts where created_by = $1
      union all select 'requests' from public.media_removal_requests where requested_by = $1
      union all select 'notices' from public.guestbook_notice_preferences where user_id = $1`, [person.id])
    expect(left.rows).toEqual([])
    // The typed name stays on the other photo; only the link to the account is gone.
    expect(await one('select name, person_id from public.media_people where media_item_id = $1', [person.namedPhotoId]))
      .toEqual({ name: 'Emma', person_id: null })
  })
})
