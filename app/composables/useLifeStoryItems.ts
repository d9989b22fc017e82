// The items of one life-story section for one resident: loading with their authors,
// adding, editing, hiding, marking sensitive, reordering, and deleting with a short undo.
// Changes by others arrive through Realtime and reload the list.
import type { RealtimeChannel } from '@supabase/supabase-js'
import type { LifeStoryTable } from './useLifeStorySections'

/** One row of a life-story table, with the columns every such table has. */
export interface LifeStoryItem {
  id: string
  resident_id: string
  created_by: string | null
  created_at: string
  hidden: boolean
  sensitive: boolean
  position: number
  [column: string]: unknown
}

/** The private Realtime channel that announces changes to a resident's life-story items. */
export function lifeStoryTopic(residentId: string) {
  return `resident:${residentId}:life-story`
}

/** How long live news is gathered before the section is read again (ms). */
const liveGatherMs = 150

/** How long a deleted item can still be brought back. */
export const undoSeconds = 6

/** A list of stories needs neither the rich text nor the editing state (each can be large). */
const storyListColumns = 'id, resident_id, title, life_period, body_text, position, hidden, sensitive, created_by, created_at'

/** Loads a section's items and offers the changes the database may allow. */
export function useLifeStoryItems(table: LifeStoryTable, residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const items = ref<LifeStoryItem[]>([])
  const authors = ref(new Map<string, string>())
  const pendingDeletes = new Map<string, ReturnType<typeof setTimeout>>()
  const loading = ref(true)

  const columns = table === 'stories' ? storyListColumns : '*'
  let latest = 0
  async function load() {
    const request = ++latest
    let query = supabase.from(table).select(columns).eq('resident_id', toValue(residentId))
    // A timeline runs by year; the order within one year (and among undated events) is chosen.
    if (table === 'life_events') query = query.order('event_year', { nullsFirst: false })
    const { data, error } = await query.order('position').order('created_at')
    if (error) throw error
    const rows = (data ?? []) as LifeStoryItem[]
    // Names of those who added an item and of those who confirmed a living person's consent.
    const ids = [...new Set(rows.flatMap(row => [row.created_by, row.consent_confirmed_by]))]
      .filter((id): id is string => typeof id === 'string' && !authors.value.has(id))
    if (ids.length) {
      const { data: people, error: peopleError } = await supabase.from('people').select('id, display_name').in('id', ids)
      if (peopleError) throw peopleError
      const known = new Map(authors.value)
      for (const person of (people ?? []) as { id: string, display_name: string }[]) known.set(person.id, person.display_name)
      authors.value = known
    }
    // A late answer never overwrites a newer one (live changes can start loads close together).
    if (request !== latest) return
    // Items and their authors appear together, never an item with "someone" first.
    items.value = rows.filter(row => !pendingDeletes.has(row.id))
    loading.value = false
  }

  function withHealth<T extends { setHeader: (name: string, value: string) => T }>(query: T, healthConfirmed: boolean) {
    return healthConfirmed ? query.setHeader('x-health-confirmed', 'true') : query
  }

  /** Adds an item at the end of the section. */
  async function add(values: Record<string, unknown>, healthConfirmed = false) {
    const position = Math.max(0, ...items.value.map(item => item.position + 1))
    const { error } = await withHealth(supabase.from(table)
      .insert({ ...values, resident_id: toValue(residentId), position }), healthConfirmed)
    if (error) throw error
    await load()
  }

  /** Changes an item's columns. */
  async function update(id: string, values: Record<string, unknown>, healthConfirmed = false) {
    const { data, error } = await withHealth(supabase.from(table).update(values).eq('id', id).select('id'), healthConfirmed)
    if (error) throw error
    // An update RLS filtered out changes nothing and says nothing; say it.
    if (!data?.length) throw Object.assign(new Error('Not allowed'), { code: '42501' })
    await load()
  }

  /** Removes an item from view now and from the database after the undo time, unless undone. */
  function remove(id: string, onFailure: (error: unknown) => void) {
    items.value = items.value.filter(item => item.id !== id)
    pendingDeletes.set(id, setTimeout(() => void commitDelete(id).catch(onFailure), undoSeconds * 1000))
  }

  async function commitDelete(id: string) {
    pendingDeletes.delete(id)
    const { data, error } = await supabase.from(table).delete().eq('id', id).select('id')
    if (error || !data?.length) {
      await load()
      throw error ?? Object.assign(new Error('Not allowed'), { code: '42501' })
    }
  }

  /** Brings back an item whose deletion is still waiting. */
  async function undo(id: string) {
    clearTimeout(pendingDeletes.get(id))
    pendingDeletes.delete(id)
    await load()
  }

  let moving = Promise.resolve()
  /**
   * Moves an item one step up or down among `within` (the items shown together, e.g. one
   * life period), then numbers the whole section 0, 1, 2… so equal positions cannot tie.
   */
  function move(id: string, direction: -1 | 1, within?: LifeStoryItem[]) {
    // One move at a time: a second one starts from the order the first one wrote.
    const next = moving.then(() => moveNow(id, direction, within))
    moving = next.catch(() => {})
    return next
  }

  async function moveNow(id: string, direction: -1 | 1, groupOf?: LifeStoryItem[]) {
    // The group as it is now (the list may have been reloaded while waiting).
    const ids = new Set((groupOf ?? items.value).map(item => item.id))
    const within = items.value.filter(item => ids.has(item.id))
    const index = within.findIndex(item => item.id === id)
    const other = within[index + direction]
    if (index < 0 || !other) return
    const order = items.value.map(item => item.id)
    const [from, to] = [order.indexOf(id), order.indexOf(other.id)]
    order[from] = other.id
    order[to] = id
    const changed = order.flatMap((itemId, position) =>
      items.value.find(item => item.id === itemId)?.position === position ? [] : [{ itemId, position }])
    // Shown at once; written one row at a time, as RLS checks each row on its own.
    items.value = order.map((itemId, position) => ({ ...items.value.find(item => item.id === itemId)!, position }))
    try {
      for (const { itemId, position } of changed) {
        const { error } = await supabase.from(table).update({ position }).eq('id', itemId)
        if (error) throw error
      }
    }
    finally {
      await load()
    }
  }

  // Live news comes in bursts (a move renumbers a whole section, twenty rows changed in one
  // go): the news of a short moment shares one read, and news that arrives while a read is
  // under way gets one more read after it, rather than one read each. Either read starts
  // after the news, so it sees the change.
  let gathering: ReturnType<typeof setTimeout> | undefined
  let reading = false
  let readAgain = false
  function reload() {
    if (gathering) return
    if (reading) {
      readAgain = true
      return
    }
    gathering = setTimeout(async () => {
      gathering = undefined
      reading = true
      await load().catch(() => {})
      reading = false
      if (!readAgain) return
      readAgain = false
      reload()
    }, liveGatherMs)
  }

  let channel: RealtimeChannel | null = null
  /** The page was left: no channel is opened again. */
  let left = false
  // The topic moves when someone loses access to the resident (migration 20261205125300),
  // so it is asked for; "rekey" on the old one means: ask again.
  async function currentTopic() {
    const { data } = await supabase.rpc('life_story_live_topic', { resident: toValue(residentId) })
    return (data as string | null) ?? lifeStoryTopic(toValue(residentId))
  }

  /**
   * Reloads whenever a row of this section changes, deletes included. The database announces
   * each change (table, id, operation; no content) in the resident's private channel; the
   * reload goes through RLS, so a hidden item reaches only those who may see it.
   */
  async function listen() {
    await supabase.realtime.setAuth()
    const topic = await currentTopic()
    if (left) return
    const joining = supabase.channel(topic, { config: { private: true } })
    channel = joining
      .on('broadcast', { event: 'change' }, ({ payload }) => {
        if ((payload as { table?: string }).table === table) reload()
      })
      .on('broadcast', { event: 'rekey' }, () => void rejoin().catch(() => {}))
      .subscribe((status) => {
        if (status !== 'SUBSCRIBED' || joining !== channel) return
        // Each join (the first, and every rejoin after sleep or a lost network) reads the
        // section again: what changed while nobody was listening is not announced again.
        reload()
        // A move announced between asking for the topic and joining it was not heard: ask again.
        void currentTopic().then((now) => {
          if (joining === channel && now !== topic) void rejoin().catch(() => {})
        }).catch(() => {})
      })
  }

  // One rejoin at a time (see oneAtATime); news of another move meanwhile means one more round.
  const rejoin = oneAtATime(async () => {
    if (left) return
    if (channel) await supabase.removeChannel(channel)
    channel = null
    await listen()
  })

  /** Sends the deletions still waiting for their undo time now. */
  function flushDeletes() {
    for (const id of [...pendingDeletes.keys()]) {
      clearTimeout(pendingDeletes.get(id))
      void commitDelete(id).catch(() => {})
    }
  }

  // Closing or reloading the tab within the undo time would otherwise bring the item back. The
  // deletions go out as the page goes, as keepalive requests, which the browser finishes after
  // the page is gone (supabase-js cannot ask for that, so this one request is made by hand,
  // to the same REST endpoint and with the same token it would use).
  const session = useSupabaseSession()
  const { url, key } = useRuntimeConfig().public.supabase as { url: string, key: string }
  const flushOnUnload = () => {
    const token = session.value?.access_token
    for (const id of [...pendingDeletes.keys()]) {
      clearTimeout(pendingDeletes.get(id))
      pendingDeletes.delete(id)
      if (!token) continue
      void fetch(`${url}/rest/v1/${table}?id=eq.${encodeURIComponent(id)}`, {
        method: 'DELETE', keepalive: true, headers: { apikey: key, authorization: `Bearer ${token}` },
      }).catch(() => {})
    }
  }
  onMounted(() => window.addEventListener('pagehide', flushOnUnload))

  // Leaving the page finishes the deletions that were waiting.
  onBeforeUnmount(() => {
    left = true
    window.removeEventListener('pagehide', flushOnUnload)
    clearTimeout(gathering)
    if (channel) void supabase.removeChannel(channel)
    flushDeletes()
  })

  return { items, authors, loading, load, listen, add, update, remove, undo, move }
}
