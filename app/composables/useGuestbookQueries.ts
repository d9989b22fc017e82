// The guestbook's reads, and how a feed keeps itself in order. Pure functions on a
// supabase-js client, so the same code runs in the app, in tests and in the bench.
import type { SupabaseClient } from '@supabase/supabase-js'

export type GuestbookKind = 'greeting' | 'glimpse'

export interface GuestbookComment {
  id: string
  postId: string
  body: string
  createdBy: string | null
  createdAt: string
  editedAt: string | null
  removedAt: string | null
}

export interface GuestbookAttachment {
  mediaItemId: string
  position: number
  /** The stored original; a video plays from it. */
  path: string
  kind: 'image' | 'video'
  /** The web-sized photo, or null for a video. */
  display: string | null
  /** The small still: a photo's thumbnail, a video's poster. */
  thumbnail: string | null
}

export interface GuestbookPost {
  id: string
  residentId: string
  kind: GuestbookKind
  body: string
  createdBy: string | null
  createdAt: string
  editedAt: string | null
  removedAt: string | null
  removedBy: string | null
  comments: GuestbookComment[]
  hearts: string[]
  attachments: GuestbookAttachment[]
}

export const guestbookPageSize = 20

const postColumns = 'id, resident_id, kind, body, created_by, created_at, edited_at, removed_at, removed_by'
const commentColumns = 'id, post_id, body, created_by, created_at, edited_at, removed_at'
const selection = `${postColumns}, guestbook_comments(${commentColumns}), guestbook_hearts(created_by), `
  + 'guestbook_post_media(media_item_id, position, media_items(storage_path, kind, variants))'

type Row = Record<string, unknown>

/** A comment row (from REST or a broadcast) in the app's shape. */
export function toComment(row: Row): GuestbookComment {
  return {
    id: row.id as string, postId: row.post_id as string, body: row.body as string,
    createdBy: (row.created_by as string | null) ?? null, createdAt: row.created_at as string,
    editedAt: (row.edited_at as string | null) ?? null, removedAt: (row.removed_at as string | null) ?? null,
  }
}

interface MediaRow {
  media_item_id: string
  position: number
  media_items: MediaItemRow | null
}

interface MediaItemRow {
  storage_path: string
  kind: 'image' | 'video'
  variants: { display?: string | null, thumbnail?: string | null } | null
}

function toAttachment(row: MediaRow): GuestbookAttachment {
  const item = row.media_items!
  return { mediaItemId: row.media_item_id, position: row.position, path: item.storage_path, kind: item.kind,
    display: item.variants?.display ?? null, thumbnail: item.variants?.thumbnail ?? null }
}

/** A post row (from REST, with or without its embeds, or a broadcast) in the app's shape. */
export function toPost(row: Row, previous?: GuestbookPost): GuestbookPost {
  const comments = row.guestbook_comments as Row[] | undefined
  const hearts = row.guestbook_hearts as { created_by: string }[] | undefined
  const media = row.guestbook_post_media as MediaRow[] | undefined
  return {
    id: row.id as string, residentId: row.resident_id as string, kind: row.kind as GuestbookKind,
    body: row.body as string, createdBy: (row.created_by as string | null) ?? null,
    createdAt: row.created_at as string, editedAt: (row.edited_at as string | null) ?? null,
    removedAt: (row.removed_at as string | null) ?? null, removedBy: (row.removed_by as string | null) ?? null,
    comments: comments ? sortComments(comments.map(toComment)) : previous?.comments ?? [],
    hearts: hearts ? hearts.map(h => h.created_by) : previous?.hearts ?? [],
    attachments: media
      ? media.filter(m => m.media_items).map(toAttachment).sort((a, b) => a.position - b.position)
      : previous?.attachments ?? [],
  }
}

/** Microseconds since 1970 from Postgres' ISO text, whatever its zone, so order never depends on a Date's ms. */
export function timeKey(value: string) {
  const match = value.match(/^(.*?:\d\d)(?:\.(\d+))?(Z|[+-]\d\d(?::?\d\d)?)?$/)
  if (!match) return Date.parse(value) * 1000
  const micros = Number((match[2] ?? '').padEnd(6, '0').slice(0, 6))
  return Date.parse(`${match[1]}${match[3] ?? 'Z'}`) * 1000 + micros
}

/** Newest first, ties broken by id, as the feed's keyset. */
export function comparePosts(a: Pick<GuestbookPost, 'createdAt' | 'id'>, b: Pick<GuestbookPost, 'createdAt' | 'id'>) {
  return timeKey(b.createdAt) - timeKey(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0)
}

function sortComments(comments: GuestbookComment[]) {
  return comments.sort((a, b) => timeKey(a.createdAt) - timeKey(b.createdAt))
}

/** Merges fetched or live posts into a feed: one entry per id, newest first. */
export function mergePosts(feed: GuestbookPost[], incoming: GuestbookPost[]) {
  const byId = new Map(feed.map(post => [post.id, post]))
  for (const post of incoming) byId.set(post.id, post)
  return [...byId.values()].sort(comparePosts)
}

const keyset = (op: 'lt' | 'gt', post: Pick<GuestbookPost, 'createdAt' | 'id'>) =>
  `created_at.${op}.${post.createdAt},and(created_at.eq.${post.createdAt},id.${op}.${post.id})`

/** One page of posts older than `before` (or the newest), newest first. */
export async function fetchGuestbookPage(supabase: SupabaseClient, residentIds: string[],
  before?: Pick<GuestbookPost, 'createdAt' | 'id'>, limit = guestbookPageSize) {
  let query = supabase.from('guestbook_posts').select(selection).in('resident_id', residentIds)
  if (before) query = query.or(keyset('lt', before))
  const { data, error } = await query.order('created_at', { ascending: false }).order('id', { ascending: false })
    .limit(limit)
  if (error) throw error
  return (data as Row[]).map(row => toPost(row))
}

/** Every post newer than `after`, for catching up after sleep or a lost connection. */
export async function fetchGuestbookNewer(supabase: SupabaseClient, residentIds: string[],
  after: Pick<GuestbookPost, 'createdAt' | 'id'>) {
  const { data, error } = await supabase.from('guestbook_posts').select(selection).in('resident_id', residentIds)
    .or(keyset('gt', after)).order('created_at', { ascending: false }).order('id', { ascending: false })
    .limit(500)
  if (error) throw error
  return (data as Row[]).map(row => toPost(row))
}

/** The given posts as they are now (edits, removals, comments and hearts missed while away). */
export async function fetchGuestbookPosts(supabase: SupabaseClient, ids: string[]) {
  if (!ids.length) return []
  const { data, error } = await supabase.from('guestbook_posts').select(selection).in('id', ids)
  if (error) throw error
  return (data as Row[]).map(row => toPost(row))
}
