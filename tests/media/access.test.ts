// Who can read an album file, through supabase-js and plain fetch against the real
// local stack: another resident's relative gets nothing by guessing paths, and a
// signed URL made before someone lost access stops working when it expires
// (album links live albumUrlSeconds; Storage does not ask RLS again for them).
import { beforeAll, describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { createWorld, db, serverClient, type World } from '../access/fixtures'
import { taggedJpeg } from './support'
import { albumUrlSeconds, signedAlbumUrls, signedPhotoUrls } from '../../app/utils/storage'
import { purgeDeletedMedia } from '../../server/utils/media/purge'
import { storeUpload, type StoredMedia } from '../../server/utils/media/store'

let world: World
let photo: StoredMedia

beforeAll(async () => {
  world = await createWorld('Albumtilgang')
  photo = await storeUpload(await clientsOf('relative'), { residentId: world.residentId, fileName: 'hytta.jpg' }, await taggedJpeg())
})

/** As the upload route does it: permission as the uploader, files with the server's key. */
async function clientsOf(actor: 'relative' | 'staff') {
  return { uploader: await world.client(actor), files: serverClient() }
}

const pathsOf = (item: StoredMedia) => [item.storagePath, item.variants.display!, item.variants.thumbnail]
const fetchStatus = async (url: string) => (await fetch(url)).status

describe('another resident\'s relative', () => {
  it('cannot download, sign or list the photo\'s files, even with the exact paths', async () => {
    const outsider = await world.client('otherRelative')
    for (const path of pathsOf(photo)) {
      expect((await outsider.storage.from('media').download(path)).error, path).not.toBeNull()
      expect((await outsider.storage.from('media').createSignedUrl(path, 60)).error, path).not.toBeNull()
    }
    const listed = await outsider.storage.from('media').list(`${world.residentId}/media/${photo.id}`)
    expect(listed.data ?? []).toEqual([])
  })

  it('cannot read guessed paths in the resident\'s folder', async () => {
    const outsider = await world.client('otherRelative')
    const guesses = ['original.jpg', 'display.webp', 'thumb.webp'].map(name => `${world.residentId}/media/${photo.id}/${name}`)
    guesses.push(`${world.residentId}/media/${crypto.randomUUID()}/original.jpg`, `${world.residentId}/photo.jpg`)
    for (const path of guesses) {
      expect((await outsider.storage.from('media').download(path)).error, path).not.toBeNull()
    }
  })

  it('cannot read the files with a signed URL that was not made for them', async () => {
    const outsider = await world.client('otherRelative')
    const own = await storeUpload({ uploader: outsider, files: serverClient() }, { residentId: world.otherResidentId, fileName: 'egen.jpg' }, await taggedJpeg())
    const [url] = Object.values(await signedAlbumUrls(outsider, [own.storagePath]))
    expect(await fetchStatus(url!)).toBe(200)
    // Swap the path in the URL for the other resident's photo, keeping the token.
    const forged = url!.replace(own.storagePath, photo.storagePath)
    expect(forged).not.toBe(url)
    expect(await fetchStatus(forged)).toBeGreaterThanOrEqual(400)
  })
})

describe('a signed URL made before access was removed', () => {
  it('lives as long as albumUrlSeconds says: ten minutes', async () => {
    const urls = await signedAlbumUrls(await world.client('viewer'), [photo.variants.thumbnail])
    const token = new URL(urls[photo.variants.thumbnail]!).searchParams.get('token')!
    const { exp, iat } = decodeJwt(token)
    expect(albumUrlSeconds).toBe(600)
    expect(exp! - iat!).toBe(600)
  })

  it('stops working when it expires, and the person cannot sign a new one', async () => {
    const leaving = await world.clientOf(world.authorId)
    // One second instead of ten minutes, so the test does not wait: the same mechanism.
    const urls = await signedPhotoUrls(leaving, [photo.variants.display], 1)
    const url = urls[photo.variants.display!]!
    expect(await fetchStatus(url)).toBe(200)

    await db('delete from public.resident_members where resident_id = $1 and user_id = $2', [world.residentId, world.authorId])
    expect((await leaving.storage.from('media').createSignedUrl(photo.variants.display!, 60)).error).not.toBeNull()
    expect((await leaving.storage.from('media').download(photo.variants.display!)).error).not.toBeNull()

    await new Promise(resolve => setTimeout(resolve, 2100))
    expect(await fetchStatus(url)).toBeGreaterThanOrEqual(400)
  })

  it('stops working at once when the photo is deleted for good', async () => {
    const doomed = await storeUpload(await clientsOf('staff'), { residentId: world.residentId, fileName: 'bort.jpg' }, await taggedJpeg())
    const urls = await signedAlbumUrls(await world.client('viewer'), pathsOf(doomed))
    expect(await fetchStatus(urls[doomed.storagePath]!)).toBe(200)

    await (await world.client('staff')).rpc('delete_media_item', { media_item: doomed.id })
    await db(`update public.media_items set deleted_at = now() - interval '3 minutes' where id = $1`, [doomed.id])
    await purgeDeletedMedia(serverClient())
    for (const path of pathsOf(doomed)) expect(await fetchStatus(urls[path]!), path).toBeGreaterThanOrEqual(400)
  })
})
