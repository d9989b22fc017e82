// A live guestbook feed for one or more residents: the newest 20, older pages on
// demand (keyset on created_at, id, so new posts never shift a page), changes as
// they happen, and a catch-up after sleep, a lost network or a rejoined channel.
import type { RealtimeChannel } from '@supabase/supabase-js'
import {
  fetchGuestbookNewer, fetchGuestbookPage, fetchGuestbookPosts, guestbookPageSize, mergePosts,
} from './useGuestbookQueries'
import { applyGuestbookChange, joinGuestbookChannels, type FeedState } from './useGuestbookLive'

export interface GuestbookFeedOptions {
  /** True while the reader is at the top of the feed; otherwise new posts wait behind a banner. */
  atTop?: MaybeRefOrGetter<boolean>
}

/** Loads and follows the guestbook of the given residents, newest first. */
export function useGuestbookFeed(residentIds: MaybeRefOrGetter<string[]>, options: GuestbookFeedOptions = {}) {
  const supabase = useSupabaseClient()
  const user = useSupabaseUser()
  const state = reactive<FeedState>({ posts: [], pending: [] })
  const status = ref<'idle' | 'loading' | 'done' | 'error'>('idle')
  const error = ref<unknown>(null)
  const hasMore = ref(true)
  const loadingMore = ref(false)
  const online = ref(true)
  let channels: RealtimeChannel[] = []
  // Each (re)load starts a generation; answers for an older one are dropped.
  let generation = 0

  const ids = () => [...toValue(residentIds)].sort()
  const holdNew = () => !(toValue(options.atTop) ?? true)

  async function load() {
    const mine = ++generation
    status.value = 'loading'
    error.value = null
    try {
      const page = await fetchGuestbookPage(supabase, ids())
      if (mine !== generation) return
      state.posts = page
      state.pending = []
      hasMore.value = page.length === guestbookPageSize
      status.value = 'done'
    }
    catch (failure) {
      if (mine !== generation) return
      error.value = failure
      status.value = 'error'
    }
  }

  /** Loads the next older page, keyed on the oldest post shown. */
  async function loadMore() {
    const oldest = state.posts.at(-1)
    if (!oldest || !hasMore.value || loadingMore.value) return
    const mine = generation
    loadingMore.value = true
    try {
      const page = await fetchGuestbookPage(supabase, ids(), oldest)
      if (mine !== generation) return
      state.posts = mergePosts(state.posts, page)
      hasMore.value = page.length === guestbookPageSize
    }
    catch (failure) {
      error.value = failure
    }
    finally {
      loadingMore.value = false
    }
  }

  /** Fetches what happened while away: new posts, and the current state of those shown. */
  async function catchUp() {
    if (status.value !== 'done') return load()
    const mine = generation
    const newest = [...state.pending, ...state.posts][0]
    const shown = state.posts.slice(0, 200).map(post => post.id)
    try {
      const [newer, current] = await Promise.all([
        newest ? fetchGuestbookNewer(supabase, ids(), newest) : fetchGuestbookPage(supabase, ids()),
        fetchGuestbookPosts(supabase, shown),
      ])
      if (mine !== generation) return
      const still = new Set(current.map(post => post.id))
      state.posts = mergePosts(state.posts.filter(post => !shown.includes(post.id) || still.has(post.id)), current)
      const unseen = newer.filter(post => !state.posts.some(p => p.id === post.id))
      if (holdNew()) state.pending = mergePosts(state.pending, unseen)
      else state.posts = mergePosts(state.posts, unseen)
    }
    catch (failure) {
      error.value = failure
    }
  }

  /** Shows the posts that waited behind the banner. */
  function showPending() {
    state.posts = mergePosts(state.posts, state.pending)
    state.pending = []
  }

  async function refreshPosts(postIds: string[]) {
    const fresh = await fetchGuestbookPosts(supabase, postIds)
    state.posts = mergePosts(state.posts, fresh.filter(post => state.posts.some(p => p.id === post.id)))
  }

  // One join at a time (see oneAtATime): two rekeys at once would otherwise join twice.
  const join = oneAtATime(async () => {
    await Promise.all(leave())
    const joining = generation
    const joined = await joinGuestbookChannels(supabase, ids(), (change) => {
      // Your own new post goes straight to the top: you just wrote it.
      const own = change.record?.created_by === user.value?.sub
      const stale = applyGuestbookChange(state, change, holdNew() && !own)
      if (stale.length) {
        refreshPosts(stale).catch((failure) => {
          error.value = failure
        })
      }
      // Every join, the first included, closes the gap since the last read.
    }, () => catchUp(), () => join())
    // The residents changed while we waited for the token: these channels are already stale.
    if (joining !== generation) joined.forEach(channel => supabase.removeChannel(channel))
    else channels = joined
  })

  /** Leaves every channel; the promises settle once each is closed. */
  function leave() {
    const leaving = channels.map(channel => supabase.removeChannel(channel))
    channels = []
    return leaving
  }

  if (import.meta.client) {
    useEventListener(document, 'visibilitychange', () => {
      if (document.visibilityState === 'visible') catchUp()
    })
    useEventListener(window, 'online', () => {
      online.value = true
      catchUp()
    })
    useEventListener(window, 'offline', () => {
      online.value = false
    })
    watch(() => ids().join(), async () => {
      await load()
      await join()
    }, { immediate: true })
    onScopeDispose(leave)
  }

  return {
    posts: toRef(state, 'posts'), pending: toRef(state, 'pending'), status, error, hasMore, loadingMore, online,
    load, loadMore, catchUp, showPending,
  }
}
