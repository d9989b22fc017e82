// The newest guestbook posts for one or more residents, with their authors' names;
// how a post's text is shown (links) and how a failure is told apart from a lost network.
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

/**
 * Whether a failure means the network is away. supabase-js reports a failed fetch as an
 * error whose message is "TypeError: Failed to fetch" (Chromium), "NetworkError when
 * attempting to fetch resource." (Firefox) or "Load failed" (Safari), with no status.
 */
export function isNetworkFailure(error: unknown) {
  const message = String((error as { message?: unknown } | null)?.message ?? '')
  return /Failed to fetch|NetworkError|Load failed|ERR_INTERNET_DISCONNECTED|network/i.test(message)
}

/** A piece of a post's text: plain words, or a web address to show as a link. */
export type TextPart = { text: string, href: null } | { text: string, href: string }

// Only http(s) addresses become links; "javascript:" and the like stay plain text.
const webAddress = /\bhttps?:\/\/[^\s<>"]+/gi

/** Splits text into plain parts and http(s) links, so the page can render links without v-html. */
export function textWithLinks(text: string): TextPart[] {
  const parts: TextPart[] = []
  let last = 0
  for (const match of text.matchAll(webAddress)) {
    // A sentence's closing punctuation is not part of the address.
    const address = match[0].replace(/[.,;:!?)»"']+$/, '')
    const start = match.index
    if (start > last) parts.push({ text: text.slice(last, start), href: null })
    const href = safeHref(address)
    parts.push(href ? { text: address, href } : { text: address, href: null })
    last = start + address.length
  }
  if (last < text.length) parts.push({ text: text.slice(last), href: null })
  return parts
}

function safeHref(address: string) {
  try {
    const url = new URL(address)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null
  }
  catch {
    return null
  }
}
