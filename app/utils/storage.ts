// Photos live in the private "media" bucket; pages show them through short-lived signed URLs.
import type { SupabaseClient } from '@supabase/supabase-js'

/** Signed URLs (one hour) for the given storage paths, keyed by path; missing ones are left out. */
export async function signedPhotoUrls(supabase: SupabaseClient, paths: (string | null | undefined)[], seconds = 3600) {
  const wanted = [...new Set(paths.filter((p): p is string => Boolean(p)))]
  if (!wanted.length) return {} as Record<string, string>
  const { data, error } = await supabase.storage.from('media').createSignedUrls(wanted, seconds)
  if (error) throw error
  return Object.fromEntries((data ?? []).filter(d => d.signedUrl && d.path).map(d => [d.path!, d.signedUrl]))
}

// A signed URL is its own permission: Supabase Storage does not ask RLS again when
// it is used, so a link made before someone lost access keeps working until it
// expires, even after the person was removed from the profile. Album photos and
// videos therefore get links that live ten minutes; the album pages sign again
// before that (albumUrlRefreshMs), so a long slideshow never runs into one.
/** How long a signed URL for an album photo or video lives, in seconds. */
export const albumUrlSeconds = 600
/** How often the album pages sign their URLs again, in milliseconds. */
export const albumUrlRefreshMs = (albumUrlSeconds - 120) * 1000

/** Signed URLs (ten minutes) for album photos and videos, keyed by path. */
export function signedAlbumUrls(supabase: SupabaseClient, paths: (string | null | undefined)[]) {
  return signedPhotoUrls(supabase, paths, albumUrlSeconds)
}
