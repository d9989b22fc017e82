// Stores one upload for a resident, as the uploader: RLS on the table and on
// storage.objects decides with the uploader's own token, never the service key.
// Files go under "<resident_id>/media/<media_id>/" with ASCII names; the name
// the file had on the phone is kept as data. On any failure nothing is left.
import { randomUUID } from 'node:crypto'
import type { SupabaseClient } from '@supabase/supabase-js'
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
}

/** The stored media item as the app needs it after an upload. */
export interface StoredMedia {
  id: string
  kind: 'image' | 'video'
  storagePath: string
  variants: { display: string | null, thumbnail: string }
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

async function put(supabase: SupabaseClient, path: string, file: StoredFile) {
  const { error } = await supabase.storage.from('media').upload(path, file.bytes, {
    contentType: file.contentType, upsert: false, cacheControl: '31536000',
  })
  if (error) {
    const status = Number((error as { statusCode?: string | number }).statusCode)
    if (status === 403 || status === 401) throw new MediaRefusal('not_allowed', 'You may not add photos for this resident.', 403)
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

function rowFor(id: string, details: UploadDetails, media: ProcessedMedia, paths: string[], fileName: string) {
  return {
    id, resident_id: details.residentId, album_id: details.albumId || null,
    storage_path: paths[0], kind: media.kind, mime_type: media.original.contentType,
    size_bytes: media.original.bytes.length, width: media.width, height: media.height,
    duration_seconds: media.durationSeconds,
    variants: { display: media.display ? paths[1] : null, thumbnail: paths[2] },
    file_name: fileName, caption: details.caption || null, taken_year: details.takenYear || null,
    place: details.place || null, shows_living_people: details.showsLivingPeople ?? false,
    consent_confirmed_at: details.showsLivingPeople ? new Date().toISOString() : null,
  }
}

/** Checks, cleans and stores one uploaded file; throws MediaRefusal with a reason code on any refusal. */
export async function storeUpload(supabase: SupabaseClient, details: UploadDetails, bytes: Buffer): Promise<StoredMedia> {
  checkDetails(details)
  if (!await mayUpload(supabase, details.residentId)) {
    throw new MediaRefusal('not_allowed', 'You may not add photos for this resident.', 403)
  }
  const media = await processMedia(bytes)
  const id = randomUUID()
  const folder = `${details.residentId}/media/${id}`
  const fileName = cleanFileName(details.fileName)
  const stored: string[] = []
  try {
    stored.push(await put(supabase, `${folder}/original.${media.original.extension}`, media.original))
    if (media.display) stored.push(await put(supabase, `${folder}/display.${media.display.extension}`, media.display))
    stored.push(await put(supabase, `${folder}/thumb.${media.thumbnail.extension}`, media.thumbnail))
    const paths = media.display ? stored : [stored[0]!, '', stored[1]!]
    const { error } = await supabase.from('media_items').insert(rowFor(id, details, media, paths, fileName))
    if (error) {
      if (error.code === '42501') throw new MediaRefusal('not_allowed', 'You may not add photos for this resident.', 403)
      if (error.code === '23503') throw new MediaRefusal('not_allowed', 'There is no such album for this resident.', 404)
      throw new MediaRefusal('storage_failed', 'The photo could not be saved; please try again.', 503)
    }
    return {
      id, kind: media.kind, storagePath: paths[0]!, width: media.width, height: media.height,
      variants: { display: media.display ? paths[1]! : null, thumbnail: paths[2]! },
      durationSeconds: media.durationSeconds, fileName,
    }
  }
  catch (error) {
    if (stored.length) await supabase.storage.from('media').remove(stored)
    throw error
  }
}
