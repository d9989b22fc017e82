// POST /api/residents/:id/media through HTTP against the built Nuxt server
// (the word "browser" in this file's name makes the test setup build and start it).
import { randomUUID } from 'node:crypto'
import sharp from 'sharp'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { clientFor, createWorld, db, one, serverClient, type World } from '../access/fixtures'
import { sessionCookie, taggedJpeg } from './support'

const app = inject('app')
let world: World

beforeAll(async () => {
  world = await createWorld('Albumrute')
})

async function post(residentId: string, file: Blob, fileName: string, cookie?: string, fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  form.append('file', file, fileName)
  const response = await fetch(`${app.url}/api/residents/${residentId}/media`, {
    method: 'POST', body: form, headers: cookie ? { cookie } : {},
  })
  return { status: response.status, body: await response.json() as Record<string, unknown> & { data?: { reason?: string } } }
}

describe('POST /api/residents/:id/media', () => {
  it('stores a relative\'s photo upright, keeping a Norwegian and emoji name as data', async () => {
    const name = 'Bestemor på hytta – Ål 🎉.jpg'
    const answer = await post(world.residentId, new Blob([await taggedJpeg(6)]), name, await sessionCookie(world.users.relative), { caption: 'Sommar' })
    expect(answer.status).toBe(201)
    const row = await one('select file_name, caption, width, height, created_by from public.media_items where id = $1', [answer.body.id])
    expect(row).toEqual({ file_name: name, caption: 'Sommar', width: 40, height: 60, created_by: world.users.relative })
  })

  const refusals: [string, number, string, () => Promise<[string, Blob, string, string | undefined]>][] = [
    ['an HTML page named .jpg', 422, 'not_media', async () => [world.residentId, new Blob(['<html><script>alert(1)</script></html>']), 'x.jpg', await sessionCookie(world.users.staff)]],
    ['a viewer', 403, 'not_allowed', async () => [world.residentId, new Blob([await taggedJpeg()]), 'x.jpg', await sessionCookie(world.users.viewer)]],
    ['another resident\'s relative', 403, 'not_allowed', async () => [world.residentId, new Blob([await taggedJpeg()]), 'x.jpg', await sessionCookie(world.users.otherRelative)]],
    ['nobody signed in', 401, 'not_signed_in', async () => [world.residentId, new Blob([await taggedJpeg()]), 'x.jpg', undefined]],
    ['a resident id that is not one', 404, 'not_allowed', async () => ['not-a-uuid', new Blob([await taggedJpeg()]), 'x.jpg', await sessionCookie(world.users.staff)]],
  ]
  it.each(refusals)('refuses %s with %i (%s)', async (_, status, reason, request) => {
    const answer = await post(...await request())
    expect(answer.status).toBe(status)
    expect(answer.body.data?.reason).toBe(reason)
  })
})

describe('POST /api/residents/:id/media with odd addresses and reused upload keys', () => {
  const filesIn = async (id: string) => (await db<{ name: string }>(
    `select name from storage.objects where bucket_id = 'media' and name like $1 order by name`, [`${world.residentId}/media/${id}/%`])).rows.map(row => row.name)
  /** A plain JPEG of the given size, so two uploads can be told apart by what is stored. */
  const jpeg = (width: number, height: number) => sharp({ create: { width, height, channels: 3, background: '#7a9' } }).jpeg().toBuffer()

  it('takes a resident id written in capitals as the same resident', async () => {
    const answer = await post(world.residentId.toUpperCase(), new Blob([await taggedJpeg()]), 'store-bokstaver.jpg', await sessionCookie(world.users.relative))
    expect(answer.status).toBe(201)
    const row = await one('select resident_id, storage_path from public.media_items where id = $1', [answer.body.id])
    expect(row.resident_id).toBe(world.residentId)
    expect(String(row.storage_path).startsWith(`${world.residentId}/media/${answer.body.id}/`)).toBe(true)
  })

  it('stores one item when two different files come at once under one upload key, its files matching its row', async () => {
    const cookie = await sessionCookie(world.users.relative)
    const uploadKey = randomUUID()
    const answers = await Promise.all([
      post(world.residentId, new Blob([await jpeg(30, 20)]), 'samme-nøkkel-a.jpg', cookie, { uploadKey }),
      post(world.residentId, new Blob([await jpeg(20, 30)]), 'samme-nøkkel-b.jpg', cookie, { uploadKey }),
    ])
    expect(answers.map(answer => answer.status).sort()).toEqual([200, 201])
    expect(answers[0]!.body.id).toBe(answers[1]!.body.id)
    const id = String(answers[0]!.body.id)
    const row = await one('select width, height, storage_path, variants from public.media_items where id = $1', [id])
    // Only the saved attempt's files are left, and the original is the file the row describes.
    expect(await filesIn(id)).toEqual([row.storage_path, row.variants.display, row.variants.thumbnail].sort())
    const { data } = await serverClient().storage.from('media').download(row.storage_path)
    const stored = await sharp(Buffer.from(await data!.arrayBuffer())).metadata()
    expect([stored.width, stored.height]).toEqual([row.width, row.height])
  })

  it('refuses, as deleted, a file sent again under the key of an item deleted meanwhile, leaving its files alone', async () => {
    const cookie = await sessionCookie(world.users.relative)
    const uploadKey = randomUUID()
    const first = await post(world.residentId, new Blob([await jpeg(30, 20)]), 'slettet.jpg', cookie, { uploadKey })
    expect(first.status).toBe(201)
    const id = String(first.body.id)
    const before = await filesIn(id)
    // Removed by staff (the uploader would still see it, to undo): the key now names a deleted item.
    const staff = await clientFor(world.users.staff)
    expect((await staff.rpc('delete_media_item', { media_item: id })).error).toBeNull()
    const again = await post(world.residentId, new Blob([await jpeg(20, 30)]), 'slettet.jpg', cookie, { uploadKey })
    expect(again.status).toBe(410)
    expect(again.body.data?.reason).toBe('removed')
    expect(await filesIn(id)).toEqual(before)
    expect(await one('select width, height from public.media_items where id = $1', [id])).toEqual({ width: 30, height: 20 })
  })
})
