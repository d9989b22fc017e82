// How far each section of a resident's life story is filled in, for a quiet indicator.
// The schema-free list: the front page shows this note and should not load the form schemas.
import { lifeStorySectionList as lifeStorySections, type LifeStorySectionKey } from '#shared/lifeStorySectionList'

/** Items per section (hidden ones included for those who see them); who-I-am counts its filled fields. */
export function useLifeStoryCompleteness(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`life-story-completeness-${toValue(residentId)}`, async () => {
    const id = toValue(residentId)
    const [resident, ...sections] = await Promise.all([
      supabase.from('residents').select('grew_up_in, introduction').eq('id', id).maybeSingle(),
      ...lifeStorySections.map(section => supabase.from(section.table).select('id').eq('resident_id', id)),
      supabase.from('stories').select('id').eq('resident_id', id),
    ])
    const counts: Record<LifeStorySectionKey | 'whoIAm' | 'stories', number> = { whoIAm: 0, people: 0, life: 0, interests: 0, everyday: 0, stories: 0 }
    const row = resident.data as { grew_up_in: string | null, introduction: string | null } | null
    counts.whoIAm = [row?.grew_up_in, row?.introduction].filter(Boolean).length
    lifeStorySections.forEach((section, index) => {
      counts[section.key] = sections[index]?.data?.length ?? 0
    })
    counts.stories = sections[lifeStorySections.length]?.data?.length ?? 0
    return counts
  }, { watch: [() => toValue(residentId)] })
}
