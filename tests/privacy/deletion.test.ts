// Deletion (issue 10, point 4): an org admin deletes a whole profile and
// nothing of it is left in any table, in storage.objects or on disk; the
// audit trail says who did it, without content. Only org admins may.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, one, serverClient, type World } from '../access/fixtures'
import { deleteWholeProfile, PrivacyRefusal } from '../../server/utils/privacy/deletion'
import { addPhoto, filesOnDisk, jpeg, objectCount, rowsNaming } from './support'

let world: World

/** Fills the profile with at least one row in every table that can hold one. */
async function fillProfile() {
  const r = world.residentId
  const by = world.users.relative
  await db(`update public.residents set introduction = 'Jeg heter Ingrid.', photo_path = $1 where id = $2`,
    [`${r}/media/profile.jpg`, r])
  const album = await one<{ id: string }>(`insert into public.albums (resident_id, title, created_by) values ($1, 'Hytta', $2) returning id`, [r, by])
  const photo = await addPhoto(world, 'relative', { albumId: album!.id, caption: 'Sommer', tagged: [world.users.viewer] })
  const video = await addPhoto(world, 'staff', { caption: 'Dans' })
  await db(`insert into public.relations (resident_id, name, is_living, description, consent_confirmed_at, consent_confirmed_by, created_by)
    values ($1, 'Per', true, 'Sønn', now(), $2, $2)`, [r, by])
  await db(`insert into public.life_events (resident_id, title, created_by) values ($1, 'Konfirmasjon', $2)`, [r, by])
  await db(`insert into public.stories (resident_id, title, body_text, created_by) values ($1, 'Krigen', 'Vi gjemte oss.', $2)`, [r, by])
  await db(`insert into public.interests (resident_id, title, created_by) values ($1, 'Prøysen', $2)`, [r, by])
  await db(`insert into public.everyday_wishes (resident_id, title, created_by) values ($1, 'Kaffe', $2)`, [r, by])
  const post = await one<{ id: string }>(`insert into public.guestbook_posts (resident_id, body, created_by) values ($1, 'Hei mamma', $2) returning id`, [r, by])
  await db(`insert into public.guestbook_comments (post_id, resident_id, body, created_by) values ($1, $2, 'Fint!', $3)`, [post!.id, r, world.users.staff])
  await db(`insert into public.guestbook_hearts (post_id, resident_id, created_by) values ($1, $2, $3)`, [post!.id, r, world.users.staff])
  await db(`insert into public.guestbook_post_media (post_id, media_item_id, resident_id, created_by) values ($1, $2, $3, $4)`, [post!.id, photo.id, r, by])
  await db(`insert into public.guestbook_read_markers (user_id, resident_id, read_until) values ($1, $2, now())`, [by, r])
  await db(`insert into public.guestbook_notice_preferences (user_id, resident_id, frequency) values ($1, $2, 'daily')`, [by, r])
  await db(`insert into public.media_removal_requests (resident_id, media_item_id, requested_by) values ($1, $2, $3)`, [r, photo.id, world.users.viewer])
  await db(`insert into public.health_flags (resident_id, table_name, row_id, column_name, matched_terms, categories, confirmed)
    values ($1, 'guestbook_posts', $2, 'body', '{demens}', '{diagnosis}', false)`, [r, post!.id])
  await db(`insert into public.invitations (resident_id, member_role, email, token_hash) values ($1, 'relative', 'ny@test.minnespor.no', md5(random()::text))`, [r])
  const upload = await serverClient().storage.from('media')
    .upload(`${r}/media/profile.jpg`, await jpeg(), { contentType: 'image/jpeg' })
  expect(upload.error).toBeNull()
  return { photo, video }
}

beforeAll(async () => {
  world = await createWorld('Sletting')
})

describe('deleting a whole profile', () => {
  it('is refused to everyone but an org admin, changing nothing', async () => {
    for (const actor of ['leader', 'superuser', 'staff', 'primaryContact', 'relative'] as const) {
      const attempt = deleteWholeProfile(await world.client(actor), serverClient(), world.residentId)
      await expect(attempt, actor).rejects.toBeInstanceOf(PrivacyRefusal)
    }
    expect(await one('select id from public.residents where id = $1', [world.residentId])).toBeDefined()
  })

  it('leaves no row in any table, no object in storage and no file on disk', async () => {
    await fillProfile()
    const before = await rowsNaming(world.residentId)
    const filled = Object.entries(before).filter(([, n]) => n > 0).map(([t]) => t)
    expect(filled).toEqual(expect.arrayContaining(['public.relations', 'public.life_events', 'public.stories',
      'public.interests', 'public.everyday_wishes', 'public.albums', 'public.media_items', 'public.media_people',
      'public.guestbook_posts', 'public.guestbook_comments', 'public.guestbook_hearts', 'public.guestbook_post_media',
      'public.guestbook_read_markers', 'public.guestbook_notice_preferences', 'public.media_removal_requests',
      'public.health_flags', 'public.invitations', 'public.resident_members']))
    expect(await objectCount(`${world.residentId}/`)).toBe(7)
    expect(filesOnDisk(world.residentId)).toHaveLength(7)

    const result = await deleteWholeProfile(await world.client('orgAdmin'), serverClient(), world.residentId)
    expect(result).toEqual({ files: 7 })

    const after = await rowsNaming(world.residentId)
    const left = Object.entries(after).filter(([table, n]) => n > 0 && table !== 'public.audit_events')
    expect(left).toEqual([])
    expect(await one('select id from public.residents where id = $1', [world.residentId])).toBeUndefined()
    expect(await objectCount(`${world.residentId}/`)).toBe(0)
    expect(filesOnDisk(world.residentId)).toEqual([])
  })

  it('records who deleted it, and nothing of the content', async () => {
    const audit = await db(`select actor_id, action, details from public.audit_events where resident_id = $1`, [world.residentId])
    expect(audit.rows).toEqual([{ actor_id: world.users.orgAdmin, action: 'resident_deleted', details: {} }])
  })
})
