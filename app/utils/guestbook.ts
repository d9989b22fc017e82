// The newest guestbook posts for one or more residents, with their authors' names.
import type { SupabaseClient } from '@supabase/supabase-js'

export interface GuestbookActivity {
  id: string
  residentId: string
  residentName: string
  kind: 'greeting' | 'glimpse'
  body: string
  createdAt: string
  author: string | null
}

interface PostRow { id: string, resident_id: string, kind: 'greeting' | 'glimpse', body: string, created_at: string, created_by: string | null }

/** Reads the newest visible posts (removed ones left out) for the given residents. */
export async function fetchGuestbook(
  supabase: SupabaseClient, residentNames: Map<string, string>, limit: number,
): Promise<GuestbookActivity[]> {
  const ids = [...residentNames.keys()]
  if (!ids.length) return []
  const { data, error } = await supabase.from('guestbook_posts')
    .select('id, resident_id, kind, body, created_at, created_by')
    .in('resident_id', ids).is('removed_at', null)
    .order('created_at', { ascending: false }).limit(limit)
  if (error) throw error
  const posts = (data ?? []) as PostRow[]
  const authors = await fetchPeopleNames(supabase, posts.map(post => post.created_by))
  return posts.map(post => ({
    id: post.id,
    residentId: post.resident_id,
    residentName: residentNames.get(post.resident_id) ?? '',
    kind: post.kind,
    body: post.body,
    createdAt: post.created_at,
    author: post.created_by ? authors.get(post.created_by) ?? null : null,
  }))
}
