// Photos live in the private "media" bucket; pages show them through short-lived signed URLs.
import type { SupabaseClient } from '@supabase/supabase-js'

/** Signed URLs (one hour) for the given storage paths, keyed by path; missing ones are left out. */
export async function signedPhotoUrls(supabase: SupabaseClient, paths: (string | null | undefined)[]) {
  const wanted = [...new Set(paths.filter((p): p is string => Boolean(p)))]
  if (!wanted.length) return {} as Record<string, string>
  const { data, error } = await supabase.storage.from('media').createSignedUrls(wanted, 3600)
  if (error) throw error
  return Object.fromEntries((data ?? []).filter(d => d.signedUrl && d.path).map(d => [d.path!, d.signedUrl]))
}
