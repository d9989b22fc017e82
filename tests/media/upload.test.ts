// Storing uploads against the real local stack: RLS decides with the uploader's
// own token, the files are written with the server's key, refusals are reason
// codes, and a refusal or failure at any step leaves nothing behind.
import exifr from 'exifr'
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, one, serverClient, type Actor, type World } from '../access/fixtures'
import { tinyMp4 } from './mp4'
import { taggedJpeg } from './support'
import type { MediaRefusal } from '../../server/utils/media/sniff'
import { mediaIdFor, storeUpload, type UploadDetails } from '../../server/utils/media/store'

let world: World
beforeAll(async () => {
  world = await createWorld('Album')
})

async function upload(actor: Actor, bytes: Buffer, details: Partial<UploadDetails> = {}) {
  // As the upload route does it: permission as the uploader, files with the server's key.
  const clients = { uploader: await world.client(actor), files: serverClient() }
  return storeUpload(clients, { residentId: world.residentId, fileName: 'bilde.jpg', ...details }, bytes)
}

async function refusal(actor: Actor, bytes: Buffer, details: Partial<UploadDetails> = {}) {
  return upload(actor, bytes, details).then(() => undefined, (error: MediaRefusal) => error)
}

async function filesIn(prefix: string) {
  const row = await one<{ n: string }>(`select count(*) as n from storage.objects where bucket_id = 'media' and name like $1`, [`${prefix}%`])
  return Number(row!.n)
}

async function itemsBy(userId: string) {
  return Number((await one<{ n: string }>(`select count(*) as n from public.media_items where created_by = $1`, [userId]))!.n)
}

describe('storeUpload', () => {
  it('stores a relative\'s photo: row, original, display size and thumbnail, with the name as data', async () => {
    const name = 'Bestemor på hytta – Ål (æøå ÆØÅ) 🎉.jpg'
    const stored = await upload('relative', await taggedJpeg(6), { fileName: name, caption: 'Sommar på hytta', takenYear: 1962 })
    const folder = `${world.residentId}/media/${stored.id}`
    // Each attempt marks its file names (original-<mark>.jpg), so two attempts never overwrite each other.
    const mark = stored.storagePath.slice(`${folder}/original-`.length, -'.jpg'.length)
    expect(mark).toMatch(/^[0-9a-f]{8}$/)
    expect(stored.storagePath).toBe(`${folder}/original-${mark}.jpg`)
    expect(stored.variants).toEqual({ display: `${folder}/display-${mark}.webp`, thumbnail: `${folder}/thumb-${mark}.webp` })
    expect([stored.width, stored.height]).toEqual([40, 60])
    const row = await one('select * from public.media_items where id = $1', [stored.id])
    expect(row).toMatchObject({
      resident_id: world.residentId, kind: 'image', mime_type: 'image/jpeg', file_name: name,
      caption: 'Sommar på hytta', taken_year: 1962, width: 40, height: 60, created_by: world.users.relative,
      variants: { display: `${folder}/display-${mark}.webp`, thumbnail: `${folder}/thumb-${mark}.webp` },
    })
    expect(await filesIn(`${folder}/`)).toBe(3)

    const own = await world.client('relative')
    const original = await own.storage.from('media').download(stored.storagePath)
    expect(original.error).toBeNull()
    expect(await exifr.gps(Buffer.from(await original.data!.arrayBuffer())).catch(() => undefined)).toBeUndefined()
  })

  it('keeps another resident\'s relative out, even with the exact path or a signed URL request', async () => {
    const stored = await upload('primaryContact', await taggedJpeg())
    const outsider = await world.client('otherRelative')
    for (const path of [stored.storagePath, stored.variants.thumbnail, stored.variants.display!]) {
      expect((await outsider.storage.from('media').download(path)).error, path).not.toBeNull()
      expect((await outsider.storage.from('media').createSignedUrl(path, 60)).error, path).not.toBeNull()
    }
    const seen = await outsider.from('media_items').select('id').eq('id', stored.id)
    expect(seen.data).toEqual([])
  })

  const refusedActors: Actor[] = ['viewer', 'otherRelative', 'otherUnitStaff', 'formerStaff']
  it.each(refusedActors)('refuses %s with "not_allowed" and stores nothing', async (actor) => {
    const before = await filesIn(`${world.residentId}/`)
    const result = await refusal(actor, await taggedJpeg())
    expect(result?.reason).toBe('not_allowed')
    expect(result?.status).toBe(403)
    expect(await filesIn(`${world.residentId}/`)).toBe(before)
    expect(await itemsBy(world.users[actor as Exclude<Actor, 'anonymous'>])).toBe(0)
  })

  it('refuses an HTML page named .jpg with "not_media" and stores nothing', async () => {
    const before = await filesIn(`${world.residentId}/`)
    const result = await refusal('staff', Buffer.from('<!doctype html><script>alert(1)</script>'), { fileName: 'ferie.jpg' })
    expect(result?.reason).toBe('not_media')
    expect(await filesIn(`${world.residentId}/`)).toBe(before)
    expect(await itemsBy(world.users.staff)).toBe(0)
  })

  it('removes the stored files again when the row cannot be saved (an album that does not exist)', async () => {
    const before = await filesIn(`${world.residentId}/`)
    const result = await refusal('resident', await taggedJpeg(), { albumId: crypto.randomUUID() })
    expect(result?.reason).toBe('not_allowed')
    expect(result?.status).toBe(404)
    expect(await filesIn(`${world.residentId}/`)).toBe(before)
    expect(await itemsBy(world.users.resident)).toBe(0)
  })

  it('answers "storage_failed" and saves no row when the server cannot write the files', async () => {
    const before = await filesIn(`${world.residentId}/`)
    // A files client without the secret key: storage RLS lets nobody write there directly.
    const clients = { uploader: await world.client('staff'), files: await world.client('staff') }
    const result = await storeUpload(clients, { residentId: world.residentId, fileName: 'uten nøkkel.jpg' }, await taggedJpeg())
      .then(() => undefined, (error: MediaRefusal) => error)
    expect(result?.reason).toBe('storage_failed')
    expect(result?.status).toBe(503)
    expect(await filesIn(`${world.residentId}/`)).toBe(before)
    expect(await one('select id from public.media_items where file_name = $1', ['uten nøkkel.jpg'])).toBeUndefined()
  })

  it('refuses to put a photo into another resident\'s album', async () => {
    const album = await one<{ id: string }>(`insert into public.albums (resident_id, title) values ($1, 'Olavs album') returning id`, [world.otherResidentId])
    const before = await filesIn(`${world.residentId}/`)
    const result = await refusal('staff', await taggedJpeg(), { albumId: album!.id })
    expect(result?.status).toBe(404)
    expect(await filesIn(`${world.residentId}/`)).toBe(before)
  })

  it('asks for consent when living people are shown, and records who gave it', async () => {
    expect((await refusal('leader', await taggedJpeg(), { showsLivingPeople: true }))?.reason).toBe('consent_missing')
    const stored = await upload('leader', await taggedJpeg(), { showsLivingPeople: true, consentConfirmed: true })
    const row = await one('select consent_confirmed_by, consent_confirmed_at from public.media_items where id = $1', [stored.id])
    expect(row!.consent_confirmed_by).toBe(world.users.leader)
    expect(row!.consent_confirmed_at).toBeInstanceOf(Date)
  })

  it('lets the database refuse a row that claims living people without consent', async () => {
    const leader = await world.client('leader')
    const { error } = await leader.from('media_items').insert({
      resident_id: world.residentId, storage_path: `${world.residentId}/media/x/original.jpg`, kind: 'image',
      shows_living_people: true,
    })
    expect(error?.code).toBe('23514')
  })

  it('stores a video as it came, less its location, with its length and a poster', async () => {
    const stored = await upload('superuser', tinyMp4(), { fileName: 'bursdag.mp4' })
    expect(stored.kind).toBe('video')
    expect(stored.variants.display).toBeNull()
    const row = await one('select kind, mime_type, duration_seconds, width, height from public.media_items where id = $1', [stored.id])
    expect(row).toEqual({ kind: 'video', mime_type: 'video/mp4', duration_seconds: '2.50', width: 360, height: 640 })
    expect(await filesIn(`${world.residentId}/media/${stored.id}/`)).toBe(2)
  })
})

describe('the media folder', () => {
  it('holds only ASCII keys', async () => {
    const rows = await db<{ name: string }>(`select name from storage.objects where bucket_id = 'media' and name like $1`, [`${world.residentId}/media/%`])
    expect(rows.rows.length).toBeGreaterThan(0)

    for (const { name } of rows.rows) expect(name).toMatch(/^[\x20-\x7e]+$/)
  })
})

describe('the media id of an upload', () => {
  it('is one uuid per uploader and upload key, whatever the key\'s case, and differs between uploaders', async () => {
    const key = '0F8FAD5B-D9CB-469F-A165-70867728950E'
    const first = await mediaIdFor('user-a', key)
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(await mediaIdFor('user-a', key.toLowerCase())).toBe(first)
    expect(await mediaIdFor('user-b', key)).not.toBe(first)
    // Without a usable key every upload is its own item.
    expect(await mediaIdFor('user-a', 'not-a-uuid')).not.toBe(await mediaIdFor('user-a', 'not-a-uuid'))
  })
})
