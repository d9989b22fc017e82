// GET /api/privacy/photos-of-me — the photos and videos the signed-in person is
// tagged in, on any profile, with short-lived picture addresses. The database
// (photos_of_me) decides which; the server signs the addresses with its key,
// because the person may not be a member of the profile the photo is on.
import { serverSupabaseClient, serverSupabaseServiceRole, serverSupabaseUser } from '#supabase/server'

interface PhotoOfMe { media_item_id: string, resident_id: string, thumbnail_path: string | null, display_path: string | null }

/** The key to sign for a photo: only one in its own resident's folder. The variants column is
 *  written by contributors, so a forged key naming another resident's file is never signed. */
function pictureKey(row: PhotoOfMe) {
  const key = row.thumbnail_path ?? row.display_path
  return key && key.startsWith(`${row.resident_id}/`) && !key.split('/').includes('..') ? key : null
}

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in first.', data: { reason: 'not_signed_in' } })
  const client = await serverSupabaseClient(event)
  const [photos, answers] = await Promise.all([client.rpc('photos_of_me'), client.rpc('my_removal_answers')])
  if (photos.error || answers.error) {
    console.error(`photos of me: ${(photos.error ?? answers.error)!.message}`)
    throw createError({ statusCode: 503, statusMessage: 'Failed', data: { reason: 'load_failed' } })
  }
  const rows = (photos.data ?? []) as PhotoOfMe[]
  const paths = rows.map(pictureKey).filter((p): p is string => Boolean(p))
  const signed = paths.length
    ? await serverSupabaseServiceRole(event).storage.from('media').createSignedUrls(paths, 600)
    : { data: [] }
  const urls = new Map((signed.data ?? []).map(s => [s.path, s.signedUrl]))
  return {
    photos: rows.map(row => ({ ...row, url: urls.get(pictureKey(row) ?? '') ?? null })),
    answered: answers.data ?? [],
  }
})
