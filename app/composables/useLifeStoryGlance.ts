// "At a glance": the one-screen summary new staff read before meeting a resident —
// what they like to be called, three good topics, what calms, what to avoid, the latest greeting.
import type { SupabaseClient } from '@supabase/supabase-js'

/** One resident's summary card. */
export interface LifeStoryGlance {
  id: string
  name: string
  preferredName: string | null
  topics: string[]
  calming: string[]
  avoid: { title: string, sensitive: boolean }[]
  greeting: { body: string, createdAt: string } | null
}

interface Titled { resident_id: string, title: string, category?: string, sensitive?: boolean }
interface ResidentRow { id: string, display_name: string, preferred_name: string | null }
interface PostRow { resident_id: string, body: string, created_at: string }

function rows<T>(result: { data: unknown, error: unknown }): T[] {
  if (result.error) throw result.error
  return (result.data ?? []) as T[]
}

/** Builds the cards for these residents (in the given order) from what the person may read. */
export async function fetchGlances(supabase: SupabaseClient, residentIds: string[]): Promise<LifeStoryGlance[]> {
  if (!residentIds.length) return []
  const visible = (table: string, columns: string) => supabase.from(table).select(columns)
    .in('resident_id', residentIds).eq('hidden', false).order('position').order('created_at')
  const [residents, wishes, interests, sensitive, posts] = await Promise.all([
    supabase.from('residents').select('id, display_name, preferred_name').in('id', residentIds).then(r => rows<ResidentRow>(r)),
    visible('everyday_wishes', 'resident_id, title, category, sensitive').then(r => rows<Titled>(r)),
    visible('interests', 'resident_id, title, sensitive').then(r => rows<Titled>(r)),
    Promise.all(['relations', 'life_events'].map(table => supabase.from(table)
      .select(table === 'relations' ? 'resident_id, title:name' : 'resident_id, title')
      .in('resident_id', residentIds).eq('hidden', false).eq('sensitive', true).then(r => rows<Titled>(r)))),
    supabase.from('guestbook_posts').select('resident_id, body, created_at').in('resident_id', residentIds)
      .eq('kind', 'greeting').is('removed_at', null).order('created_at', { ascending: false }).limit(200)
      .then(r => rows<PostRow>(r)),
  ])
  const byId = new Map(residents.map(row => [row.id, row]))
  return residentIds.flatMap((id) => {
    const resident = byId.get(id)
    if (!resident) return []
    const own = <T extends { resident_id: string }>(list: T[]) => list.filter(row => row.resident_id === id)
    const wishesOf = own(wishes)
    // A sensitive topic is something to approach with care, never a good topic to suggest.
    const topics = [...wishesOf.filter(w => w.category === 'conversation'), ...own(interests)].filter(row => !row.sensitive)
      .map(row => row.title).slice(0, 3)
    const avoid = [
      ...wishesOf.filter(w => w.category === 'dislikes').map(w => ({ title: w.title, sensitive: Boolean(w.sensitive) })),
      ...[...own(sensitive.flat()), ...own(interests).filter(i => i.sensitive), ...wishesOf.filter(w => w.sensitive && w.category !== 'dislikes')]
        .map(row => ({ title: row.title, sensitive: true })),
    ]
    const post = posts.find(p => p.resident_id === id)
    return [{
      id, name: resident.display_name, preferredName: resident.preferred_name, topics,
      calming: wishesOf.filter(w => w.category === 'calming').map(w => w.title), avoid,
      greeting: post ? { body: post.body, createdAt: post.created_at } : null,
    }]
  })
}

/** The at-a-glance card of one resident. */
export function useLifeStoryGlance(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`life-story-glance-${toValue(residentId)}`,
    async () => (await fetchGlances(supabase, [toValue(residentId)]))[0] ?? null,
    { watch: [() => toValue(residentId)] })
}
