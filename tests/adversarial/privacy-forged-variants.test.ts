// Attacks through media_items.variants, a column any contributor writes straight
// through supabase-js and that nothing checks: the server later trusts it with
// its secret key, to delete files (the purge after "delete with undo", the
// answer to a removal request) and to sign picture addresses ("Bilder av meg").
// A forged variant that names someone else's file must never make the server
// delete or hand out that file.
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { purgeDeletedMedia } from '../../server/utils/media/purge'
import { decideAndRemoveFiles } from '../../server/utils/privacy/deletion'
import { createWorld, db, serverClient, type World } from '../access/fixtures'
import { addPhoto, objectCount } from '../privacy/support'

let world: World

beforeAll(async () => {
  world = await createWorld('Falske varianter')
})

/** A media item row the relative writes past the upload route, whose variants name `target`. */
async function forgedItem(target: string) {
  const id = randomUUID()
  const relative = await world.client('relative')
  const { error } = await relative.from('media_items').insert({
    id, resident_id: world.residentId, kind: 'image', created_by: world.users.relative,
    storage_path: `${world.residentId}/media/${id}/original.jpg`,
    variants: { thumbnail: target, display: target },
  })
  return { id, refused: error !== null }
}

/** Deletes the item as the relative and moves the deletion past the undo window. */
async function deleteAndAge(id: string) {
  const relative = await world.client('relative')
  expect((await relative.rpc('delete_media_item', { media_item: id })).error).toBeNull()
  await db(`update public.media_items set deleted_at = now() - interval '3 minutes' where id = $1`, [id])
}

describe('forged variants and the purge after delete with undo', { timeout: 30_000 }, () => {
  it('a relative cannot make the purge delete a photo that staff added to the same profile', async () => {
    const staffPhoto = await addPhoto(world, 'staff', { caption: 'Vaffeldag' })
    // The relative cannot delete it directly…
    const direct = await (await world.client('relative')).rpc('delete_media_item', { media_item: staffPhoto.id })
    expect(direct.error).not.toBeNull()
    // …so they add an item of their own that claims staff's original as its variant, and delete that.
    const forged = await forgedItem(staffPhoto.original)
    if (!forged.refused) {
      await deleteAndAge(forged.id)
      await purgeDeletedMedia(serverClient())
    }
    expect(await objectCount(staffPhoto.original)).toBe(1)
  })

  it('nor by claiming staff\'s display picture as the original of an item of their own', async () => {
    const staffPhoto = await addPhoto(world, 'staff', { caption: 'Sang i stua' })
    const relative = await world.client('relative')
    const id = randomUUID()
    const { error } = await relative.from('media_items').insert({ id, resident_id: world.residentId, kind: 'image',
      created_by: world.users.relative, storage_path: staffPhoto.display })
    if (!error) {
      await deleteAndAge(id)
      await purgeDeletedMedia(serverClient())
    }
    expect(await objectCount(staffPhoto.display)).toBe(1)
  })

  it('a relative cannot make the purge delete a file of another resident they once knew the key of', async () => {
    const elsewhere = await addPhoto(world, 'otherRelative', { residentId: world.otherResidentId })
    const forged = await forgedItem(elsewhere.original)
    if (!forged.refused) {
      await deleteAndAge(forged.id)
      await purgeDeletedMedia(serverClient())
    }
    expect(await objectCount(elsewhere.original)).toBe(1)
  })

  it('the purge still removes every file of the relative\'s own deleted photo', async () => {
    const own = await addPhoto(world, 'relative')
    await deleteAndAge(own.id)
    await purgeDeletedMedia(serverClient())
    for (const path of [own.original, own.display, own.thumbnail]) expect(await objectCount(path)).toBe(0)
  })
})

describe('forged variants and a removal request', { timeout: 30_000 }, () => {
  // Fixed in 20261205150200: a check refuses variants outside "<resident_id>/media/<id>/", and
  // private.media_item_storage_keys keeps only keys in that folder, so the primary contact's
  // "remove the photo" cannot delete another resident's file with the server's key.
  it('answering "remove the photo" deletes no file outside that photo\'s folder', async () => {
    const elsewhere = await addPhoto(world, 'otherRelative', { residentId: world.otherResidentId })
    const forged = await forgedItem(elsewhere.original)
    // Each step below may be refused once this is fixed; only the file's fate is the verdict.
    if (!forged.refused) {
      const relative = await world.client('relative')
      await relative.from('media_people').insert({ resident_id: world.residentId, media_item_id: forged.id,
        person_id: world.users.relative, created_by: world.users.relative })
      const request = await relative.rpc('request_media_removal', { media_item: forged.id, reason: 'Fjern meg' })
      if (!request.error) {
        await decideAndRemoveFiles(await world.client('primaryContact'), serverClient(), 'decide_media_removal',
          { request: request.data, decision: 'remove_photo' }, {})
      }
    }
    expect(await objectCount(elsewhere.original)).toBe(1)
  })
})
