// The bucket "media" poked at directly through supabase-js, past the upload
// route: listing from the top to learn other residents' ids, listing their
// folders, searching, signing and moving other people's files, uploading a web
// page declared as one, and a removed relative still holding a signed address.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures'
import { addPhoto, objectCount, type StoredPhoto } from '../privacy/support'

let world: World
let theirs: StoredPhoto
let ours: StoredPhoto

beforeAll(async () => {
  world = await createWorld('Bøtte angrep')
  theirs = await addPhoto(world, 'otherRelative', { residentId: world.otherResidentId })
  ours = await addPhoto(world, 'staff')
})

describe('listing and searching the bucket', () => {
  it('a relative listing from the top, or the people folder, learns no other resident\'s id', async () => {
    const storage = (await world.client('relative')).storage.from('media')
    for (const folder of ['', 'people', `${world.otherResidentId}`, `${world.otherResidentId}/media`]) {
      const { data } = await storage.list(folder, { limit: 1000 })
      expect(JSON.stringify(data ?? []), `listing "${folder}"`).not.toContain(world.otherResidentId)
      expect(JSON.stringify(data ?? []), `listing "${folder}"`).not.toContain(theirs.id)
    }
    const searched = await storage.list('', { search: world.otherResidentId.slice(0, 8) })
    expect(JSON.stringify(searched.data ?? [])).not.toContain(world.otherResidentId)
  })
})

describe('other people\'s files', () => {
  it('cannot be signed, copied or moved into one\'s own folder by another resident\'s relative', async () => {
    const storage = (await world.client('relative')).storage.from('media')
    expect((await storage.createSignedUrl(theirs.original, 60)).data?.signedUrl).toBeFalsy()
    const target = `${world.residentId}/media/${randomUUID()}/stolen.jpg`
    await storage.copy(theirs.original, target)
    await storage.move(theirs.display, target)
    expect(await objectCount(target)).toBe(0)
    expect(await objectCount(theirs.display)).toBe(1)
  })

  it('a relative cannot overwrite or remove what staff stored for the same resident', async () => {
    const storage = (await world.client('relative')).storage.from('media')
    const replaced = await storage.upload(ours.original, new Blob(['<html>nope</html>']), { contentType: 'image/jpeg', upsert: true })
    expect(replaced.error).not.toBeNull()
    await storage.remove([ours.original, ours.display])
    expect(await objectCount(ours.original)).toBe(1)
    expect(await objectCount(ours.display)).toBe(1)
    const size = await db<{ size: string }>(`select (metadata->>'size') as size from storage.objects where name = $1`, [ours.original])
    expect(Number(size.rows[0]!.size)).toBeGreaterThan(100)
  })

  it('a web page cannot be stored in the bucket under its real type', async () => {
    const storage = (await world.client('relative')).storage.from('media')
    const path = `${world.residentId}/media/${randomUUID()}/side.html`
    const attempt = await storage.upload(path, new Blob(['<script>alert(1)</script>'], { type: 'text/html' }), { contentType: 'text/html' })
    expect(attempt.error).not.toBeNull()
    expect(await objectCount(path)).toBe(0)
  })
})

describe('a relative removed from the profile', () => {
  it('can no longer sign or download, and a signed address made before stops at its expiry', async () => {
    const storage = (await world.client('primaryContact')).storage.from('media')
    const before = await storage.createSignedUrl(ours.thumbnail, 1)
    expect(before.error).toBeNull()
    await db('delete from public.resident_members where resident_id = $1 and user_id = $2', [world.residentId, world.users.primaryContact])
    expect((await storage.download(ours.thumbnail)).error).not.toBeNull()
    expect((await storage.createSignedUrl(ours.thumbnail, 60)).data?.signedUrl).toBeFalsy()
    await new Promise(resolve => setTimeout(resolve, 2_100))
    const late = await fetch(before.data!.signedUrl)
    expect(late.status).toBeGreaterThanOrEqual(400)
  })
})
