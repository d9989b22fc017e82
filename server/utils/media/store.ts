// Stores one upload for a resident. Whether the uploader may add it is decided
// with their own token (can_upload_media, then the media_items insert, where RLS
// decides and created_by names them). The files themselves are written with the
// server's secret key: storage RLS lets nobody write resident media directly
// (migration 20261205170000), so every stored file is one the pipeline made,
// with no GPS and a sniffed type. Files go under "<resident_id>/media/<media_id>/"
// with ASCII names; the name the file had on the phone is kept as data. A
// refusal stores nothing, and on any later failure the files are removed again.
//
// A phone on a weak connection may send the same file twice: the first request
// can reach the server whole and be stored while its answer is lost. So the
// app names each file with an upload key, and the media id is derived from the
// uploader and that key: a repeat finds the item already stored and gets it
// back instead of a copy, and nobody can aim at someone else's item's folder.
// Each attempt names its files with a mark of its own ("original-<mark>.jpg"):
// two attempts at one id at once (or one after the item was deleted) never
// overwrite each other's files, and the one whose row is not saved removes
// only its own.
import { randomBytes, randomUUID } from 'node:crypto'
import type { SupabaseClient } from '@supabase/supabase-js'
import { uploadMediaId } from '../../../shared/utils/mediaId'
import { processMedia, type ProcessedMedia, type StoredFile } from './pipeline'
import { MediaRefusal } from './sniff'

/** What the uploader says about the file, besides its bytes. */
export interface UploadDetails {
  residentId: string
  fileName: string
  albumId?: string | null
  caption?: string | null
  takenYear?: number | null
  place?: string | null
  showsLivingPeople?: boolean
  consentConfirmed?: boolean
  /** The app's name for this file (a uuid), the same on every retry of it. */
  uploadKey?: string | null
  /** The signed-in uploader's id; with `uploadKey` it makes retries land on one item. */
  uploaderId?: string | null
}

/** The stored media item as the app needs it after an upload. */
export interface StoredMedia {
  id: string
  kind: 'image' | 'video'
  storagePath: string
  variants: { display: string | null, thumbnail: string, poster?: string | null }
  width: number
  height: number
  durationSeconds: number | null
  fileName: string
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A file name as data: NFC (iOS sends decomposed letters), no paths or control characters, at most 255 characters. */
export function cleanFileName(name: string) {
  const base = name.normalize('NFC').split(/[/\\]/).pop() ?? ''
  // eslint-disable-next-line no-control-regex
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  return Array.from(clean).slice(0, 255).join('') || 'uten navn'
}

async function mayUpload(supabase: SupabaseClient, residentId: string) {
  const { data, error } = await supabase.rpc('can_upload_media', { resident: residentId })
  return !error && data === true
}

/** The media id for an upload: stable for one uploader's retries of one file (see uploadMediaId). */
export async function mediaIdFor(userId: string | null | undefined, uploadKey: string | null | undefined) {
  if (!userId || !uploadKey || !uuid.test(uploadKey)) return randomUUID()
  return uploadMediaId(userId, uploadKey)
}

// No upsert: every attempt writes files of its own names (see putAll).
// `files` holds the secret key, so the path is only ever one this module built
// from a checked resident id and a media id; the uploader named neither freely.
async function put(files: SupabaseClient, path: string, file: StoredFile) {
  const { error } = await files.storage.from('media').upload(path, file.bytes, {
    contentType: file.contentType, upsert: false, cacheControl: '31536000',
  })
  if (error) {
    // The uploader's permission was checked before; a refusal here is the server's own setup.
    console.error(`media upload: storing ${path} failed: ${error.message}`)
    throw new MediaRefusal('storage_failed', 'The file could not be stored; please try again.', 503)
  }
  return path
}

function checkDetails(details: UploadDetails) {
  if (!uuid.test(details.residentId)) throw new MediaRefusal('not_allowed', 'There is no such resident.', 404)
  if (details.albumId && !uuid.test(details.albumId)) throw new MediaRefusal('not_allowed', 'There is no such album.', 404)
  if (details.showsLivingPeople && !details.consentConfirmed) {
    throw new MediaRefusal('consent_missing', 'Confirm that the living people shown agreed before adding the photo.', 422)
  }
}

interface StoredPaths { original: string, display: string | null, poster: string | null, thumbnail: string }

function rowFor(id: string, details: UploadDetails, media: ProcessedMedia, paths: StoredPaths, fileName: string) {
  return {
    id, resident_id: details.residentId, album_id: details.albumId || null,
    storage_path: paths.original, kind: media.kind, mime_type: media.original.contentType,
    size_bytes: media.original.bytes.length, width: media.width, height: media.height,
    duration_seconds: media.durationSeconds,
    variants: variantsOf(paths),
    file_name: fileName, caption: details.caption || null, taken_year: details.takenYear || null,
    place: details.place || null, shows_living_people: details.showsLivingPeople ?? false,
    consent_confirmed_at: details.showsLivingPeople ? new Date().toISOString() : null,
  }
}

function variantsOf(paths: StoredPaths) {
  return paths.poster
    ? { display: paths.display, thumbnail: paths.thumbnail, poster: paths.poster }
    : { display: paths.display, thumbnail: paths.thumbnail }
}

/**
 * The item as stored earlier under this id (a retry of an upload that did arrive), or null.
 * The same upload key sent for another resident is refused: the file would otherwise be
 * answered as stored while it went nowhere.
 */
async function alreadyStored(supabase: SupabaseClient, id: string, residentId: string): Promise<StoredMedia | null> {
  const { data } = await supabase.from('media_items')
    .select('id, resident_id, kind, storage_path, variants, width, height, duration_seconds, file_name, deleted_at').eq('id', id).maybeSingle()
  if (!data) return null
  if (data.resident_id !== residentId) {
    throw new MediaRefusal('key_reused', 'This upload was already sent to another profile; choose the file again.', 409)
  }
  if (data.deleted_at) throw removedMeanwhile()
  return {
    id: data.id, kind: data.kind, storagePath: data.storage_path, variants: data.variants,
    width: data.width, height: data.height, fileName: data.file_name,
    durationSeconds: data.duration_seconds === null ? null : Number(data.duration_seconds),
  }
}

/** The same upload key once named an item that has been deleted since: it is not brought back. */
function removedMeanwhile() {
  return new MediaRefusal('removed', 'This photo or video was deleted after it was first sent.', 410)
}

async function putAll(files: SupabaseClient, folder: string, media: ProcessedMedia, stored: string[]) {
  const mark = randomBytes(4).toString('hex')
  const save = async (name: string, file: StoredFile | null) => {
    if (!file) return null
    stored.push(await put(files, `${folder}/${name}-${mark}.${file.extension}`, file))
    return stored.at(-1)!
  }
  return {
    original: (await save('original', media.original))!,
    display: await save('display', media.display),
    poster: await save('poster', media.poster),
    thumbnail: (await save('thumb', media.thumbnail))!,
  }
}

async function insertRow(supabase: SupabaseClient, row: ReturnType<typeof rowFor>) {
  const { error } = await supabase.from('media_items').insert(row)
  if (!error) return 'inserted'
  // The same upload arrived twice and the other request saved it first: same files, same row.
  if (error.code === '23505') return 'duplicate'
  if (error.code === '42501') throw new MediaRefusal('not_allowed', 'You may not add photos for this resident.', 403)
  if (error.code === '23503') throw new MediaRefusal('not_allowed', 'There is no such album for this resident.', 404)
  throw new MediaRefusal('storage_failed', 'The photo could not be saved; please try again.', 503)
}

// A failed removal is logged, not thrown: the refusal that caused it is what the
// uploader must hear, and the server's sweep removes files that no row names an hour later
// (orphaned_media_files, migration 20261205180000).
async function removeAgain(files: SupabaseClient, paths: string[]) {
  const { error } = await files.storage.from('media').remove(paths)
  if (error) console.error(`media upload: removing ${paths.length} files of a failed upload failed: ${error.message}`)
}

// Files written with the secret key name no owner; the row (created_by, set by RLS to
// the uploader) says who it is. Storage's delete policy and account deletion use the
// owner. The photo is saved by now, so a failure here is logged, never thrown (a throw
// would remove the files of a saved row).
async function nameUploaderAsOwner(files: SupabaseClient, id: string) {
  const failed = (message: string) => console.error(`media upload: naming the uploader of ${id} as owner failed: ${message}`)
  try {
    const { error } = await files.rpc('stamp_media_file_owner', { item: id })
    if (error) failed(error.message)
  }
  catch (error) {
    failed((error as Error).message)
  }
}

/** The two clients an upload needs: the uploader's own (every permission) and the server's (file writes only). */
export interface UploadClients {
  /** Signed in as the uploader: RLS decides with their token. */
  uploader: SupabaseClient
  /** Holds the server's secret key; used for nothing but this upload's files (write, name the owner, remove). */
  files: SupabaseClient
}

/**
 * Checks, cleans and stores one uploaded file; throws MediaRefusal with a reason code on any refusal.
 * `created` is false when the same upload had been stored before (a retry).
 */
export async function storeUpload(clients: UploadClients, details: UploadDetails, bytes: Buffer, poster?: Buffer): Promise<StoredMedia & { created: boolean }> {
  const { uploader: supabase, files } = clients
  checkDetails(details)
  if (!await mayUpload(supabase, details.residentId)) {
    throw new MediaRefusal('not_allowed', 'You may not add photos for this resident.', 403)
  }
  const id = await mediaIdFor(details.uploaderId, details.uploadKey)
  const earlier = await alreadyStored(supabase, id, details.residentId)
  if (earlier) return { ...earlier, created: false }

  const media = await processMedia(bytes, poster)
  const folder = `${details.residentId}/media/${id}`
  const fileName = cleanFileName(details.fileName)
  const stored: string[] = []
  // Our files stay only when our row is saved; on a refusal, a failure, or another attempt
  // having saved this id first, they are removed again (that attempt's files stay).
  let saved = false
  try {
    const paths = await putAll(files, folder, media, stored)
    if (await insertRow(supabase, rowFor(id, details, media, paths, fileName)) === 'duplicate') {
      const earlier = await alreadyStored(supabase, id, details.residentId)
      if (!earlier) throw removedMeanwhile()
      return { ...earlier, created: false }
    }
    saved = true
    await nameUploaderAsOwner(files, id)
    return {
      id, kind: media.kind, storagePath: paths.original, width: media.width, height: media.height,
      variants: variantsOf(paths), durationSeconds: media.durationSeconds, fileName, created: true,
    }
  }
  finally {
    if (!saved && stored.length) await removeAgain(files, stored)
  }
}
