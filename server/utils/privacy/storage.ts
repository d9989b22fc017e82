// Removing stored files for the privacy features. Only the Storage API may
// delete files (Supabase refuses plain SQL deletes on storage.objects), and
// the rows that pointed at them are already gone when this runs, so the
// server's secret-key client does it, for exactly the keys the database named.
import type { SupabaseClient } from '@supabase/supabase-js'

/** A stored file: bucket and key, as the privacy RPCs return them. */
export interface StoredKey { bucket_id: string, name: string }

/** Deletes the files in batches of 100; throws with how many could not be removed. */
export async function removeStoredFiles(admin: SupabaseClient, keys: StoredKey[], what: string) {
  const byBucket = new Map<string, string[]>()
  for (const key of keys) byBucket.set(key.bucket_id, [...byBucket.get(key.bucket_id) ?? [], key.name])
  for (const [bucket, names] of byBucket) {
    for (let start = 0; start < names.length; start += 100) {
      const { error } = await admin.storage.from(bucket).remove(names.slice(start, start + 100))
      if (error) throw new Error(`Could not delete ${names.length - start} files of ${what}: ${error.message}`)
    }
  }
  return keys.length
}

/** Every file under a folder (e.g. "people/<id>/"), found through the Storage API's listing. */
export async function listFolder(admin: SupabaseClient, bucket: string, folder: string): Promise<StoredKey[]> {
  const found: StoredKey[] = []
  const { data, error } = await admin.storage.from(bucket).list(folder, { limit: 1000 })
  if (error) throw new Error(`Could not list ${bucket}/${folder}: ${error.message}`)
  for (const entry of data ?? []) {
    const path = `${folder}/${entry.name}`
    if (entry.id) found.push({ bucket_id: bucket, name: path })
    else found.push(...await listFolder(admin, bucket, path))
  }
  return found
}
