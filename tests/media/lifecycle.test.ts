// A photo's life after upload, against the real local stack: deleting hides it
// from everyone but the one who deleted it, undo brings it back within the
// window, and after the window the sweep leaves no object and no row. Also:
// a retried upload lands on the same item, and a video keeps the frame the
// browser drew as its poster.
import { describe, beforeAll, expect, it } from 'vitest'
import sharp from 'sharp'
import { createWorld, db, one, serverClient, type Actor, type World } from '../access/fixtures'
import { tinyMp4 } from './mp4'
import { taggedJpeg } from './support'
import { purgeDeletedMedia } from '../../server/utils/media/purge'
import { storeUpload, type UploadDetails } from '../../server/utils/media/store'

let world: World
beforeAll(async () => {
  world = await createWorld('Albumliv')
})

async function upload(actor: Exclude<Actor, 'anonymous'>, details: Partial<UploadDetails> = {}, bytes?: Buffer, poster?: Buffer) {
  // As the upload route does it: permission as the uploader, files with the server's key.
  const clients = { uploader: await world.client(actor), files: serverClient() }
  return storeUpload(clients, { residentId: world.residentId, fileName: 'bilde.jpg', ...details }, bytes ?? await taggedJpeg(), poster)
}

async function filesIn(folder: string) {
  const row = await one<{ n: string }>(`select count(*) as n from storage.objects where bucket_id = 'media' and name like $1`, [`${folder}%`])
  return Number(row!.n)
}

const folderOf = (id: string) => `${world.residentId}/media/${id}/`

/** Moves a deletion back in time, as if the undo window had passed. */
async function ageDeletion(id: string, seconds: number) {
  await db(`update public.media_items set deleted_at = deleted_at - make_interval(secs => $2) where id = $1`, [id, seconds])
}

describe('deleting a photo with undo', () => {
  it('hides it at once from everyone but who deleted it, and undo brings it back', async () => {
    const stored = await upload('relative')
    const relative = await world.client('relative')
    const until = await relative.rpc('delete_media_item', { media_item: stored.id })
    expect(until.error).toBeNull()
    expect(new Date(until.data as string).getTime() - Date.now()).toBeGreaterThan(100_000)

    for (const actor of ['staff', 'primaryContact', 'viewer'] as const) {
      const seen = await (await world.client(actor)).from('media_items').select('id').eq('id', stored.id)
      expect(seen.data, actor).toEqual([])
    }
    const own = await relative.from('media_items').select('id, deleted_by').eq('id', stored.id)
    expect(own.data).toEqual([{ id: stored.id, deleted_by: world.users.relative }])
    expect(await filesIn(folderOf(stored.id))).toBe(3)

    expect((await relative.rpc('restore_media_item', { media_item: stored.id })).error).toBeNull()
    const back = await (await world.client('viewer')).from('media_items').select('id').eq('id', stored.id)
    expect(back.data).toEqual([{ id: stored.id }])
  })

  it('removes the original and every variant, then the row, once the undo window is over', async () => {
    const stored = await upload('relative')
    const relative = await world.client('relative')
    await relative.rpc('delete_media_item', { media_item: stored.id })
    const admin = serverClient()

    await purgeDeletedMedia(admin)
    expect(await filesIn(folderOf(stored.id)), 'still inside the window').toBe(3)

    await ageDeletion(stored.id, 121)
    const undo = await relative.rpc('restore_media_item', { media_item: stored.id })
    expect(undo.error?.message).toBe('It is too late to undo; the photo or video is deleted for good.')

    const result = await purgeDeletedMedia(admin)
    expect(result.items).toBeGreaterThanOrEqual(1)
    expect(await filesIn(folderOf(stored.id))).toBe(0)
    expect(await one('select id from public.media_items where id = $1', [stored.id])).toBeUndefined()
    const download = await relative.storage.from('media').download(stored.storagePath)
    expect(download.error).not.toBeNull()
  })

  it('lets staff and the primary contact delete anyone\'s photo, but not a relative someone else\'s', async () => {
    const stored = await upload('relative')
    const other = await (await world.client('resident')).rpc('delete_media_item', { media_item: stored.id })
    expect(other.error?.message).toBe('Only the person who added it, staff and the primary contact can delete this.')
    const outsider = await (await world.client('otherRelative')).rpc('delete_media_item', { media_item: stored.id })
    expect(outsider.error?.message).toBe('There is no such photo or video.')
    expect((await one('select deleted_at from public.media_items where id = $1', [stored.id]))!.deleted_at).toBeNull()

    const byContact = await (await world.client('primaryContact')).rpc('delete_media_item', { media_item: stored.id })
    expect(byContact.error).toBeNull()
    const row = await one('select deleted_by from public.media_items where id = $1', [stored.id])
    expect(row!.deleted_by).toBe(world.users.primaryContact)
    const undoByOther = await (await world.client('relative')).rpc('restore_media_item', { media_item: stored.id })
    expect(undoByOther.error?.message).toBe('There is no deleted photo or video of yours to restore.')
  })

  it('refuses to mark a photo deleted, or back-date it, with a plain update', async () => {
    const stored = await upload('staff')
    const staff = await world.client('staff')
    const { error } = await staff.from('media_items').update({ deleted_at: '2020-01-01T00:00:00Z' }).eq('id', stored.id)
    expect(error?.message).toBe('Delete or restore a photo with delete_media_item or restore_media_item.')
    expect((await one('select deleted_at from public.media_items where id = $1', [stored.id]))!.deleted_at).toBeNull()
  })

  it('keeps the two sweep functions to the service role', async () => {
    const staff = await world.client('staff')
    expect((await staff.rpc('media_to_purge', {})).error).not.toBeNull()
    expect((await staff.rpc('orphaned_media_files', {})).error).not.toBeNull()
  })
})

describe('uploads that stop half-way', () => {
  it('removes files an upload stored without a row once they are an hour old', async () => {
    const id = crypto.randomUUID()
    const path = `${world.residentId}/media/${id}/original.jpg`
    // Stored as the upload route stores files (with the server's key), as if it had stopped before the row.
    expect((await serverClient().storage.from('media').upload(path, await taggedJpeg(), { contentType: 'image/jpeg' })).error).toBeNull()
    await purgeDeletedMedia(serverClient())
    expect(await filesIn(folderOf(id)), 'a fresh upload may still be on its way').toBe(1)

    await db(`update storage.objects set created_at = now() - interval '61 minutes' where name = $1`, [path])
    await purgeDeletedMedia(serverClient())
    expect(await filesIn(folderOf(id))).toBe(0)
  })

  it('removes a file left in a saved item\'s folder that the item does not name, once it is an hour old', async () => {
    const stored = await upload('relative')
    // What an attempt that lost to another at the same item leaves if removing its own files fails.
    const stray = `${folderOf(stored.id)}original-0badf00d.jpg`
    expect((await serverClient().storage.from('media').upload(stray, await taggedJpeg(), { contentType: 'image/jpeg' })).error).toBeNull()
    await db(`update storage.objects set created_at = now() - interval '61 minutes' where name like $1`, [`${folderOf(stored.id)}%`])
    await purgeDeletedMedia(serverClient())
    // The item's own three files stay, however old; only the stray one goes.
    const left = await db<{ name: string }>(`select name from storage.objects where bucket_id = 'media' and name like $1 order by name`, [`${folderOf(stored.id)}%`])
    expect(left.rows.map(row => row.name)).toEqual([stored.storagePath, stored.variants.display, stored.variants.thumbnail].sort())
  })

  it('refuses an upload key already used for another resident, storing nothing for either', async () => {
    const uploadKey = crypto.randomUUID()
    const first = await upload('staff', { uploadKey, uploaderId: world.users.staff })
    const again = upload('staff', { uploadKey, uploaderId: world.users.staff, residentId: world.otherResidentId })
    await expect(again).rejects.toMatchObject({ reason: 'key_reused', status: 409 })
    expect(await filesIn(`${world.otherResidentId}/media/`)).toBe(0)
    expect(await filesIn(folderOf(first.id))).toBe(3)
  })

  it('stores a file sent twice with the same upload key once', async () => {
    const uploadKey = crypto.randomUUID()
    const details = { uploadKey, uploaderId: world.users.relative, fileName: 'to ganger.jpg' }
    const first = await upload('relative', details)
    const second = await upload('relative', details)
    expect(first.created).toBe(true)
    expect(second.created).toBe(false)
    expect(second.id).toBe(first.id)
    expect(second.variants).toEqual(first.variants)
    const rows = await db('select id from public.media_items where file_name = $1 and resident_id = $2', ['to ganger.jpg', world.residentId])
    expect(rows.rows).toHaveLength(1)
    expect(await filesIn(folderOf(first.id))).toBe(3)
  })

  it('gives another uploader with the same key an item of their own', async () => {
    const uploadKey = crypto.randomUUID()
    const mine = await upload('relative', { uploadKey, uploaderId: world.users.relative })
    const theirs = await upload('staff', { uploadKey, uploaderId: world.users.staff })
    expect(theirs.id).not.toBe(mine.id)
    expect(theirs.created).toBe(true)
  })
})

describe('a video\'s poster', () => {
  it('keeps the frame the browser drew, as poster and thumbnail', async () => {
    const frame = await sharp({ create: { width: 360, height: 640, channels: 3, background: '#d04020' } }).jpeg().toBuffer()
    const stored = await upload('staff', { fileName: 'bursdag.mp4' }, tinyMp4(), frame)
    expect(stored.variants.poster).toMatch(new RegExp(`^${folderOf(stored.id)}poster-[0-9a-f]{8}\\.webp$`))
    const staff = await world.client('staff')
    const thumb = await staff.storage.from('media').download(stored.variants.thumbnail)
    const { dominant } = await sharp(Buffer.from(await thumb.data!.arrayBuffer())).stats()
    expect(dominant.r).toBeGreaterThan(180)
    expect(dominant.b).toBeLessThan(100)
  })

  it('falls back to a neutral poster when the frame is not a picture', async () => {
    const stored = await upload('staff', { fileName: 'bursdag.mp4' }, tinyMp4(), Buffer.from('<svg></svg>'))
    expect(stored.variants.poster).toBeUndefined()
    expect(await filesIn(folderOf(stored.id))).toBe(2)
  })
})
