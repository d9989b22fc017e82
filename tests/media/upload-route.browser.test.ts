// POST /api/residents/:id/media through HTTP against the built Nuxt server
// (the word "browser" in this file's name makes the test setup build and start it).
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createWorld, one, type World } from '../access/fixtures'
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
