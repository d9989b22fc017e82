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

/** How long a deleted item can still be brought back. */
export const undoSeconds = 6

/** Loads a section's items and offers the changes the database may allow. */
export function useLifeStoryItems(table: LifeStoryTable, residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const items = ref<LifeStoryItem[]>([])
  const authors = ref(new Map<string, string>())
  const pendingDeletes = new Map<string, ReturnType<typeof setTimeout>>()
  const loading = ref(true)

  async function load() {
    const { data, error } = await supabase.from(table).select('*').eq('resident_id', toValue(residentId))
      .order('position').order('created_at')
    if (error) throw error
    const rows = (data ?? []) as LifeStoryItem[]
    const ids = [...new Set(rows.flatMap(row => row.created_by ? [row.created_by] : []))]
      .filter(id => !authors.value.has(id))
    if (ids.length) {
      const { data: people, error: peopleError } = await supabase.from('people').select('id, display_name').in('id', ids)
      if (peopleError) throw peopleError
      const known = new Map(authors.value)
      for (const person of (people ?? []) as { id: string, display_name: string }[]) known.set(person.id, person.display_name)
      authors.value = known
    }
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

  /** Swaps an item with its neighbour in the given direction. */
  async function move(id: string, direction: -1 | 1) {
    const index = items.value.findIndex(item => item.id === id)
    const other = items.value[index + direction]
    const item = items.value[index]
    if (!item || !other) return
    const [a, b] = [item.position === other.position ? index : other.position, item.position === other.position ? index + direction : item.position]
    await update(item.id, { position: a })
    await update(other.id, { position: b })
  }

  let channel: RealtimeChannel | null = null
  /** Reloads whenever a row of this resident changes (RLS decides which changes reach us). */
  async function listen() {
    await supabase.realtime.setAuth()
    const id = toValue(residentId)
    channel = supabase.channel(`life-story:${table}:${id}`)
      .on('postgres_changes', { event: '*', schema: 'public', table, filter: `resident_id=eq.${id}` },
        () => void load().catch(() => {}))
      .subscribe()
  }

  // Leaving the page finishes the deletions that were waiting.
  onBeforeUnmount(() => {
    if (channel) void supabase.removeChannel(channel)
    for (const id of [...pendingDeletes.keys()]) {
      clearTimeout(pendingDeletes.get(id))
      void commitDelete(id).catch(() => {})
    }
  })

  return { items, authors, loading, load, listen, add, update, remove, undo, move }
}
