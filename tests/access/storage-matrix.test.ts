import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { actors, can, createWorld, db, one, serverClient, type Actor, type World } from './fixtures.ts'
import { storeUpload } from '../../server/utils/media/store'
import { taggedJpeg } from '../media/support'

// The bucket "media" follows the life story's rules for reading and deleting:
// readers download, moderators delete. Nobody writes files directly: every
// photo goes through the app's upload route, whose pipeline strips GPS and
// checks what the file is, and only the server (with its secret key) stores
// the result (migration 20261205170000).
const bucket = 'media'
const pngHeader = Buffer.from('89504e470d0a1a0a', 'hex')
const photo = (size: number) => new Blob([pngHeader, Buffer.alloc(size)], { type: 'image/png' })

const allowed: Record<string, readonly Actor[]> = {
  download: can.read,
  upload: can.nobody,
  upsert: can.nobody,
  replace: can.nobody,
  delete: can.moderate,
}

async function storedSize(name: string) {
  const row = await one(`select (metadata ->> 'size')::int as size from storage.objects
    where bucket_id = $1 and name = $2`, [bucket, name])
  return row?.size as number | undefined
}

/** A photo in the resident's folder, stored as the upload route stores it: with the server's key. */
async function existingFile(world: World) {
  const name = `${world.residentId}/${randomUUID()}.png`
  const { error } = await serverClient().storage.from(bucket).upload(name, photo(10), { contentType: 'image/png' })
  expect(error).toBeNull()
  return name
}

describe('bucket media', () => {
  let world: World
  beforeAll(async () => {
    world = await createWorld('storage')
  })

  for (const [command, actorsAllowed] of Object.entries(allowed)) {
    describe(command, () => {
      for (const actor of actors) {
        const may = actorsAllowed.includes(actor)
        it(`${actor} ${may ? 'can' : 'cannot'} ${command}`, async () => {
          const storage = (await world.client(actor)).storage.from(bucket)
          if (command === 'upload') {
            const name = `${world.residentId}/${randomUUID()}.png`
            const { error } = await storage.upload(name, photo(20), { contentType: 'image/png' })
            expect(error === null).toBe(may)
            expect(await storedSize(name)).toBe(may ? 28 : undefined)
            return
          }
          const name = await existingFile(world)
          if (command === 'upsert') {
            const { error } = await storage.upload(name, photo(40), { contentType: 'image/png', upsert: true })
            expect(error === null).toBe(may)
            expect(await storedSize(name)).toBe(may ? 48 : 18)
          }
          else if (command === 'download') {
            const { data, error } = await storage.download(name)
            expect(error === null).toBe(may)
            if (may) expect(data!.size).toBe(18)
          }
          else if (command === 'replace') {
            await storage.update(name, photo(40), { contentType: 'image/png' })
            expect(await storedSize(name)).toBe(may ? 48 : 18)
          }
          else {
            await storage.remove([name])
            expect(await storedSize(name)).toBe(may ? undefined : 18)
          }
        })
      }
    })
  }

  it('a relative can delete the files of a photo they uploaded through the route, which names them as owner', async () => {
    const clients = { uploader: await world.client('relative'), files: serverClient() }
    const stored = await storeUpload(clients, { residentId: world.residentId, fileName: 'egen.jpg' }, await taggedJpeg())
    const paths = [stored.storagePath, stored.variants.display!, stored.variants.thumbnail]
    const owners = await db(`select distinct owner_id from storage.objects where bucket_id = $1 and name = any($2)`, [bucket, paths])
    expect(owners.rows).toEqual([{ owner_id: world.users.relative }])
    await (await world.client('relative')).storage.from(bucket).remove(paths)
    for (const path of paths) expect(await storedSize(path), path).toBeUndefined()
  })

  it('only the server may name a file\'s owner', async () => {
    const stored = await storeUpload({ uploader: await world.client('staff'), files: serverClient() },
      { residentId: world.residentId, fileName: 'personalets.jpg' }, await taggedJpeg())
    const attempt = await (await world.client('relative')).rpc('stamp_media_file_owner', { item: stored.id })
    expect(attempt.error).not.toBeNull()
    const owners = await db(`select distinct owner_id from storage.objects where bucket_id = $1 and name like $2`,
      [bucket, `${world.residentId}/media/${stored.id}/%`])
    expect(owners.rows).toEqual([{ owner_id: world.users.staff }])
  })

  it('a relative can still delete a file from before, which names them as its owner', async () => {
    const name = await existingFile(world)
    // Files uploaded directly before 20261205170000 carry their uploader as owner.
    await db(`update storage.objects set owner_id = $1 where bucket_id = $2 and name = $3`, [world.users.relative, bucket, name])
    await (await world.client('relative')).storage.from(bucket).remove([name])
    expect(await storedSize(name)).toBeUndefined()
  })

  it('nobody can write their own person folder "people/<id>/" either', async () => {
    for (const actor of ['relative', 'staff', 'orgAdmin'] as const) {
      const storage = (await world.client(actor)).storage.from(bucket)
      const name = `people/${world.users[actor]}/${randomUUID()}.png`
      const { error } = await storage.upload(name, photo(5), { contentType: 'image/png' })
      expect(error, actor).not.toBeNull()
      expect(await storedSize(name), actor).toBeUndefined()
    }
  })

  it('nobody can copy or move a stored file to a new name', async () => {
    const name = await existingFile(world)
    const storage = (await world.client('primaryContact')).storage.from(bucket)
    const copy = `${world.residentId}/${randomUUID()}.png`
    await storage.copy(name, copy)
    await storage.move(name, `${world.residentId}/${randomUUID()}.png`)
    expect(await storedSize(copy)).toBeUndefined()
    expect(await storedSize(name)).toBe(18)
  })

  it('nobody can upload outside a resident\'s folder', async () => {
    const storage = (await world.client('orgAdmin')).storage.from(bucket)
    const name = `loose/${randomUUID()}.png`
    const { error } = await storage.upload(name, photo(5), { contentType: 'image/png' })
    expect(error).not.toBeNull()
    expect(await storedSize(name)).toBeUndefined()
  })

  it('refuses files that are not images or videos by their type', async () => {
    const storage = (await world.client('staff')).storage.from(bucket)
    const name = `${world.residentId}/${randomUUID()}.html`
    const { error } = await storage.upload(name, new Blob(['<script>'], { type: 'text/html' }),
      { contentType: 'text/html' })
    expect(error).not.toBeNull()
    expect(await storedSize(name)).toBeUndefined()
  })
})
