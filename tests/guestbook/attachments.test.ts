// What a post may carry, as Postgres enforces it for every client: up to 10 photos, or
// one video on its own. A refused attachment changes nothing.
import type { SupabaseClient } from '@supabase/supabase-js'
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures.ts'

let world: World
let relative: SupabaseClient

beforeAll(async () => {
  world = await createWorld('Vedlegg')
  relative = await world.client('relative')
})

async function mediaItems(kind: 'image' | 'video', count: number) {
  const { rows } = await db(`insert into public.media_items (resident_id, storage_path, kind, created_by)
    select $1::uuid, $1::text || '/media/' || gen_random_uuid() || '/original', $2, $3 from generate_series(1, $4)
    returning id`, [world.residentId, kind, world.users.relative, count])
  return rows.map(row => row.id as string)
}

async function newPost() {
  const { data, error } = await relative.from('guestbook_posts')
    .insert({ resident_id: world.residentId, kind: 'greeting', body: 'Hilsen med bilder' }).select('id').single()
  expect(error).toBeNull()
  return data!.id as string
}

function attach(postId: string, ids: string[]) {
  return relative.from('guestbook_post_media').insert(ids.map((id, position) => ({
    post_id: postId, resident_id: world.residentId, media_item_id: id, position })))
}

async function attachedCount(postId: string) {
  const { rows } = await db(`select count(*)::int as n from public.guestbook_post_media where post_id = $1`, [postId])
  return rows[0].n as number
}

describe('what one post may carry', () => {
  it('takes ten photos', async () => {
    const post = await newPost()
    expect((await attach(post, await mediaItems('image', 10))).error).toBeNull()
    expect(await attachedCount(post)).toBe(10)
  })

  it('refuses an eleventh photo, in one go or one at a time', async () => {
    const post = await newPost()
    const { error } = await attach(post, await mediaItems('image', 11))
    expect(error?.message).toBe('A guestbook post can carry at most 10 photos.')
    expect(await attachedCount(post)).toBe(0)

    expect((await attach(post, await mediaItems('image', 10))).error).toBeNull()
    const late = await attach(post, await mediaItems('image', 1))
    expect(late.error?.message).toBe('A guestbook post can carry at most 10 photos.')
    expect(await attachedCount(post)).toBe(10)
  })

  it('takes one video on its own, and nothing beside it', async () => {
    const post = await newPost()
    expect((await attach(post, await mediaItems('video', 1))).error).toBeNull()
    const photo = await attach(post, await mediaItems('image', 1))
    expect(photo.error?.message).toBe('A guestbook post can carry one video on its own, or photos.')
    const video = await attach(post, await mediaItems('video', 1))
    expect(video.error?.message).toBe('A guestbook post can carry one video on its own, or photos.')
    expect(await attachedCount(post)).toBe(1)
  })

  it('refuses a video beside photos', async () => {
    const post = await newPost()
    expect((await attach(post, await mediaItems('image', 2))).error).toBeNull()
    const video = await attach(post, await mediaItems('video', 1))
    expect(video.error?.message).toBe('A guestbook post can carry one video on its own, or photos.')
    expect(await attachedCount(post)).toBe(2)
  })
})
