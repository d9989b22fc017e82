// Builds a profile's export as a stream of ZIP bytes: the data as JSON, the
// photos and videos in full size with a captions file, and the printable
// book. Everything is read with the downloader's own client, so the database
// (export_resident) and storage RLS decide, and the export is audited there.
import type { SupabaseClient } from '@supabase/supabase-js'
import nbTexts from '../../../i18n/locales/nb/privacy.json'
import enTexts from '../../../i18n/locales/en/privacy.json'
import { bookHtml } from './book'
import { captionsText, plannedFiles, safeFileName, type ExportData } from './export-data'
import { ZipWriter } from './zip'

/** Why an export could not start, with the HTTP status the route answers. */
export class ExportRefusal extends Error {
  constructor(public reason: string, public status: number, message: string) {
    super(message)
  }
}

/** Reads the profile's data (and records the export); refuses as the database does. */
export async function readExportData(client: SupabaseClient, residentId: string): Promise<ExportData> {
  const { data, error } = await client.rpc('export_resident', { resident_id: residentId })
  if (error) {
    if (error.hint === 'not_allowed_to_export' || error.code === '22P02') {
      throw new ExportRefusal('not_allowed', 403, 'Only the primary contact and org admins can download the life story.')
    }
    throw new Error(`export_resident failed for resident ${residentId}: ${error.message}`)
  }
  return { ...(data as ExportData), files: {}, missing_files: [] }
}

/** The name the downloaded file gets, e.g. "Minnespor – Ingrid Bakken.zip". */
export function exportFileName(data: ExportData) {
  return `Minnespor – ${safeFileName(String(data.resident.display_name))}.zip`
}

async function download(client: SupabaseClient, path: string) {
  const { data, error } = await client.storage.from('media').download(path)
  if (error || !data) return null
  return new Uint8Array(await data.arrayBuffer())
}

/** The ZIP, chunk by chunk: files first (as they are read), then captions, book and JSON. */
export async function* exportZip(client: SupabaseClient, data: ExportData, locale = 'nb') {
  const zip = new ZipWriter()
  for (const [path, target] of plannedFiles(data)) {
    const bytes = await download(client, path)
    if (!bytes) {
      data.missing_files.push(path)
      continue
    }
    data.files[path] = target
    yield* zip.add(target, bytes)
  }
  const texts = (locale === 'en' ? enTexts : nbTexts).privacy.book
  const encoder = new TextEncoder()
  if (data.media_items.length) yield* zip.add(`photos/${texts.captionsFile}`, encoder.encode(captionsText(data)))
  const html = bookHtml(data, texts, locale, path => typeof path === 'string' ? data.files[path] : undefined)
  yield* zip.add(`${texts.bookFile}`, encoder.encode(html))
  yield* zip.add('data.json', encoder.encode(JSON.stringify(data, null, 2)))
  yield* zip.finish()
}
