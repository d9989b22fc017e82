import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { actors, can, createWorld, one, type Actor, type World } from './fixtures.ts'

// The bucket "media" follows the life story's rules: readers download,
// contributors upload, moderators replace or delete what others uploaded.
const bucket = 'media'
const pngHeader = Buffer.from('89504e470d0a1a0a', 'hex')
const photo = (size: number) => new Blob([pngHeader, Buffer.alloc(size)], { type: 'image/png' })

const allowed: Record<string, readonly Actor[]> = {
  download: can.read,
  upload: can.contribute,
  replace: can.moderate,
  delete: can.moderate,
}

async function storedSize(name: string) {
  const row = await one(`select (metadata ->> 'size')::int as size from storage.objects
    where bucket_id = $1 and name = $2`, [bucket, name])
  return row?.size as number | undefined
}

/** A photo in the resident's folder, uploaded by the fixture's author. */
async function existingFile(world: World) {
  const name = `${world.residentId}/${randomUUID()}.png`
  const author = await world.clientOf(world.authorId)
  const { error } = await author.storage.from(bucket).upload(name, photo(10), { contentType: 'image/png' })
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
          if (command === 'download') {
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

  it('a relative can delete a photo they uploaded themselves', async () => {
    const storage = (await world.client('relative')).storage.from(bucket)
    const name = `${world.residentId}/${randomUUID()}.png`
    expect((await storage.upload(name, photo(5), { contentType: 'image/png' })).error).toBeNull()
    await storage.remove([name])
    expect(await storedSize(name)).toBeUndefined()
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
