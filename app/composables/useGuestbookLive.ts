// The live side of the guestbook: one private Realtime channel per resident
// ("resident:<id>:guestbook", fed by database triggers, see the migration
// 20261204130000_guestbook_live.sql) and how each message changes a feed.
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js'
import { mergePosts, timeKey, toComment, toPost, type GuestbookPost } from './useGuestbookQueries'

export interface GuestbookChange {
  event: 'post' | 'comment' | 'heart' | 'media'
  operation: 'INSERT' | 'UPDATE' | 'DELETE'
  record: Record<string, unknown> | null
  oldRecord: Record<string, unknown> | null
}

/** The channel topic of a resident's guestbook. */
export function guestbookTopic(residentId: string) {
  return `resident:${residentId}:guestbook`
}

/**
 * The topics to join. When someone loses access, the database moves a resident's live
 * guestbook to a new topic (20261205120300_guestbook_live_ends_with_access.sql), so
 * the topic is asked for rather than built here.
 */
async function liveTopics(supabase: SupabaseClient, residentIds: string[]) {
  const { data, error } = await supabase.rpc('guestbook_live_topics', { resident_ids: residentIds })
  if (error) throw error
  return new Map(((data ?? []) as { resident_id: string, topic: string }[]).map(row => [row.resident_id, row.topic]))
}

/**
 * Joins each resident's channel; `onJoin` runs on every (re)join, so the feed can catch up;
 * `onRekey` runs when a topic moved after a change of access: the caller joins again.
 */
export async function joinGuestbookChannels(supabase: SupabaseClient, residentIds: string[],
  onChange: (change: GuestbookChange) => void, onJoin: () => void, onRekey?: () => void): Promise<RealtimeChannel[]> {
  // A private channel's join carries the user's token only if Realtime has it already;
  // without it the join goes out as anonymous and is refused (Supabase documents this).
  await supabase.realtime.setAuth()
  const topics = await liveTopics(supabase, residentIds)
  return residentIds.filter(residentId => topics.has(residentId)).map((residentId) => {
    const channel = supabase.channel(topics.get(residentId)!, { config: { private: true } })
    channel.on('broadcast', { event: 'rekey' }, () => onRekey?.())
    channel.on('broadcast', { event: '*' }, ({ event, payload }) => {
      if (event === 'rekey') return
      const message = payload as {
        operation: GuestbookChange['operation']
        record: GuestbookChange['record']
        old_record: GuestbookChange['oldRecord']
      }
      onChange({ event: event as GuestbookChange['event'], operation: message.operation,
        record: message.record, oldRecord: message.old_record })
    })
    channel.subscribe((status) => {
      if (status === 'SUBSCRIBED') onJoin()
    })
    return channel
  })
}

export interface FeedState {
  posts: GuestbookPost[]
  /** New posts held back while the reader is further down the page. */
  pending: GuestbookPost[]
}

/** Applies one change to the feed; returns the post ids whose attachments must be fetched again. */
export function applyGuestbookChange(state: FeedState, change: GuestbookChange, holdNew: boolean): string[] {
  const row = change.record ?? change.oldRecord ?? {}
  const postId = (change.event === 'post' ? row.id : row.post_id) as string
  const update = (fn: (post: GuestbookPost) => GuestbookPost | null) => {
    for (const list of ['posts', 'pending'] as const) {
      state[list] = state[list].flatMap((post) => {
        if (post.id !== postId) return [post]
        const next = fn(post)
        return next ? [next] : []
      })
    }
  }
  const known = () => state.posts.some(p => p.id === postId) || state.pending.some(p => p.id === postId)

  if (change.event === 'post') {
    if (change.operation === 'DELETE') update(() => null)
    else if (known()) update(post => toPost(change.record!, post))
    else if (change.operation === 'INSERT') {
      const post = toPost(change.record!)
      if (holdNew) state.pending = mergePosts(state.pending, [post])
      else state.posts = mergePosts(state.posts, [post])
    }
    return []
  }
  if (change.event === 'comment') {
    const id = row.id as string
    update((post) => {
      const others = post.comments.filter(c => c.id !== id)
      const comments = change.operation === 'DELETE' ? others : [...others, toComment(change.record!)]
      return { ...post, comments: comments.sort((a, b) => timeKey(a.createdAt) - timeKey(b.createdAt)) }
    })
    return []
  }
  if (change.event === 'heart') {
    const person = row.created_by as string
    update(post => ({ ...post, hearts: change.operation === 'DELETE'
      ? post.hearts.filter(h => h !== person)
      : [...new Set([...post.hearts, person])] }))
    return []
  }
  return known() ? [postId] : []
}
