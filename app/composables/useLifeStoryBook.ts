// Everything the life-story book prints: the resident and every visible item and story.
import type { LifeStoryItem } from './useLifeStoryItems'
import type { StoryNode } from '#shared/schemas/story'

/** The book's contents, `null` when the resident is not visible. */
export function useLifeStoryBook(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`life-story-book-${toValue(residentId)}`, async () => {
    const id = toValue(residentId)
    const { data: resident, error } = await supabase.from('residents')
      .select('id, display_name, preferred_name, birth_year, grew_up_in, introduction').eq('id', id).maybeSingle()
    if (error) throw error
    if (!resident) return null
    const section = async (table: string, order: string[]) => {
      let query = supabase.from(table).select('*').eq('resident_id', id).eq('hidden', false)
      for (const column of order) query = query.order(column)
      const { data, error: sectionError } = await query
      if (sectionError) throw sectionError
      return (data ?? []) as LifeStoryItem[]
    }
    const [people, life, interests, everyday, stories] = await Promise.all([
      section('relations', ['position', 'created_at']),
      section('life_events', ['event_year', 'position', 'created_at']),
      section('interests', ['category', 'position']),
      section('everyday_wishes', ['category', 'position']),
      section('stories', ['position', 'created_at']),
    ])
    return {
      resident: resident as { id: string, display_name: string, preferred_name: string | null, birth_year: number | null, grew_up_in: string | null, introduction: string | null },
      people, life, interests, everyday,
      stories: stories as (LifeStoryItem & { title: string, body: StoryNode, body_text: string })[],
    }
  }, { watch: [() => toValue(residentId)] })
}
