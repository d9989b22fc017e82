// Uploading straight into the bucket "media" with supabase-js, past the app's
// upload route and its pipeline (sniffing, GPS stripped, variants): refused for
// every contributor since 20261205170000, be it a new file, an upsert or update
// over a stored one, a signed upload address, or a web page declared as a photo.
// The route itself still stores, as the uploader, with the location gone.
// (The route part needs the built app: the whole suite builds it, as does any run
// given a file whose name says "browser", e.g. tests/media/upload-route.browser.test.ts.)
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { createWorld, one, type World } from '../access/fixtures'
import { leftoverMetadata, sessionCookie, taggedJpeg } from '../media/support'

const app = inject('app')
let world: World

beforeAll(async () => {
  world = await createWorld('Direkte opplasting')
})

/** Size and version of a stored object, read past RLS; undefined when there is none. */
async function storedObject(name: string) {
  return one<{ size: number, version: string | null }>(`select (metadata ->> 'size')::int as size, version
    from storage.objects where bucket_id = 'media' and name = $1`, [name])
}

/** Sends one file to the app's upload route as the given user, as the album page does. */
async function postToRoute(userId: string, bytes: Buffer, fileName: string) {
  expect(app.url, 'the upload route needs the built app (see the comment at the top)').not.toBe('')
  const form = new FormData()
  form.append('file', new Blob([bytes]), fileName)
  const response = await fetch(`${app.url}/api/residents/${world.residentId}/media`, {
    method: 'POST', body: form, headers: { cookie: await sessionCookie(userId) },
  })
  return { status: response.status, body: await response.json() as { id: string, storagePath: string } }
}

const contributors = ['relative', 'primaryContact', 'staff', 'resident', 'orgAdmin'] as const

describe('a contributor uploading directly with their own token', () => {
  it.each(contributors)('%s cannot store a photo with GPS in their resident\'s folder', async (actor) => {
    const storage = (await world.client(actor)).storage.from('media')
    const path = `${world.residentId}/media/${randomUUID()}/original.jpg`
    const attempt = await storage.upload(path, await taggedJpeg(), { contentType: 'image/jpeg' })
    expect(attempt.error).not.toBeNull()
    expect(await storedObject(path)).toBeUndefined()
  })

  it('cannot store a web page declared as a JPEG', async () => {
    const storage = (await world.client('relative')).storage.from('media')
    const path = `${world.residentId}/media/${randomUUID()}/original.jpg`
    const attempt = await storage.upload(path, new Blob(['<html><script>alert(1)</script></html>']), { contentType: 'image/jpeg' })
    expect(attempt.error).not.toBeNull()
    expect(await storedObject(path)).toBeUndefined()
  })

  it('cannot get a signed upload address for their resident\'s folder', async () => {
    const storage = (await world.client('staff')).storage.from('media')
    const path = `${world.residentId}/media/${randomUUID()}/original.jpg`
    const signed = await storage.createSignedUploadUrl(path)
    expect(signed.error).not.toBeNull()
    expect(signed.data?.token).toBeFalsy()
    expect(await storedObject(path)).toBeUndefined()
  })
})

describe('a file the server stored for them', () => {
  let stored: { id: string, storagePath: string }
  beforeAll(async () => {
    const answer = await postToRoute(world.users.relative, await taggedJpeg(), 'hytta.jpg')
    expect(answer.status).toBe(201)
    stored = answer.body
  })

  it('cannot be overwritten by its own uploader with upsert, or with update', async () => {
    const before = await storedObject(stored.storagePath)
    const storage = (await world.client('relative')).storage.from('media')
    const upsert = await storage.upload(stored.storagePath, await taggedJpeg(), { contentType: 'image/jpeg', upsert: true })
    expect(upsert.error).not.toBeNull()
    const update = await storage.update(stored.storagePath, new Blob(['<svg onload="alert(1)"/>']), { contentType: 'image/jpeg' })
    expect(update.error).not.toBeNull()
    expect(await storedObject(stored.storagePath)).toEqual(before)
  })

  it('nor by a moderator of the resident', async () => {
    const before = await storedObject(stored.storagePath)
    const storage = (await world.client('primaryContact')).storage.from('media')
    const upsert = await storage.upload(stored.storagePath, await taggedJpeg(), { contentType: 'image/jpeg', upsert: true })
    expect(upsert.error).not.toBeNull()
    expect(await storedObject(stored.storagePath)).toEqual(before)
  })
})

describe('the app\'s upload route', () => {
  it('still stores a contributor\'s photo, as them, with the GPS position stripped', async () => {
    const sent = await taggedJpeg()
    expect(await leftoverMetadata(sent)).toContain('GPS')
    const answer = await postToRoute(world.users.relative, sent, 'med posisjon.jpg')
    expect(answer.status).toBe(201)

    const row = await one('select created_by, file_name from public.media_items where id = $1', [answer.body.id])
    expect(row).toEqual({ created_by: world.users.relative, file_name: 'med posisjon.jpg' })
    // Read back as the relative would, through RLS: the stored original carries no location.
    const download = await (await world.client('relative')).storage.from('media').download(answer.body.storagePath)
    expect(download.error).toBeNull()
    const bytes = Buffer.from(await download.data!.arrayBuffer())
    expect(await leftoverMetadata(bytes)).not.toContain('GPS')
  })

  it('stores nothing for someone who may not add photos', async () => {
    const count = async () => one<{ files: string, rows: string }>(`select
      (select count(*) from storage.objects where bucket_id = 'media' and name like $1) as files,
      (select count(*) from public.media_items where resident_id = $2) as rows`, [`${world.residentId}/%`, world.residentId])
    const before = await count()
    const answer = await postToRoute(world.users.viewer, await taggedJpeg(), 'seer.jpg')
    expect(answer.status).toBe(403)
    expect(await count()).toEqual(before)
  })
})
