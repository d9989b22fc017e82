// Removes for good what was deleted with undo once the undo time is over: the
// stored original and every variant first (through the Storage API, the only
// way on Supabase), then the row. Also removes album files that an upload
// stored but never recorded. Runs with the service role, from the server's
// sweep (server/plugins/media-purge.ts); the database says what is due.
import type { SupabaseClient } from '@supabase/supabase-js'

/** What one sweep removed. */
export interface PurgeResult {
  items: number
  files: number
  orphans: number
}

interface DueItem {
  id: string
  storage_path: string
  variants: Record<string, string | null> | null
}

// An upload stores the original and its variants in the item's own folder,
// "<resident>/media/<id>/". storage_path and variants are columns a contributor
// can write past the upload route, so a key outside that folder (someone else's
// photo, another resident's file) is never deleted from here with the secret key.
// Originals in the demo seed's older layout ("<resident>/albums/…") still go.
function filesOf(item: DueItem) {
  const folder = `${item.storage_path.split('/')[0]}/media/${item.id}/`
  const inFolder = (path: unknown): path is string =>
    typeof path === 'string' && path.startsWith(folder) && !path.split('/').includes('..')
  const olderLayout = !item.storage_path.includes('/media/')
  const original = inFolder(item.storage_path) || olderLayout ? [item.storage_path] : []
  return [...original, ...Object.values(item.variants ?? {}).filter(inFolder)]
}

async function purgeItems(admin: SupabaseClient, batch: number) {
  const { data, error } = await admin.rpc('media_to_purge', { max_items: batch })
  if (error) throw new Error(`listing deleted media failed: ${error.message}`)
  const due = (data ?? []) as DueItem[]
  if (!due.length) return { items: 0, files: 0 }
  const files = [...new Set(due.flatMap(filesOf))]
  const removed = files.length ? await admin.storage.from('media').remove(files) : { error: null }
  // Keep the rows when the files could not be removed, so the next sweep tries again.
  if (removed.error) throw new Error(`removing ${files.length} media files failed: ${removed.error.message}`)
  const rows = await admin.from('media_items').delete().in('id', due.map(item => item.id)).not('deleted_at', 'is', null)
  if (rows.error) throw new Error(`removing ${due.length} deleted media rows failed: ${rows.error.message}`)
  return { items: due.length, files: files.length }
}

async function purgeOrphans(admin: SupabaseClient, batch: number) {
  const { data, error } = await admin.rpc('orphaned_media_files', { max_files: batch })
  if (error) throw new Error(`listing orphaned media files failed: ${error.message}`)
  const names = ((data ?? []) as { name: string, created_at: string }[]).map(row => row.name)
  if (!names.length) return 0
  const removed = await admin.storage.from('media').remove(names)
  if (removed.error) throw new Error(`removing ${names.length} orphaned media files failed: ${removed.error.message}`)
  return names.length
}

/** One sweep: deleted items past their undo time, then files of uploads that never finished. */
export async function purgeDeletedMedia(admin: SupabaseClient, batch = 100): Promise<PurgeResult> {
  const { items, files } = await purgeItems(admin, batch)
  const orphans = await purgeOrphans(admin, batch)
  return { items, files, orphans }
}
