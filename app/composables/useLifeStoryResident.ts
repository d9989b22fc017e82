// The few facts about a resident that the life-story pages need above their sections.
export interface LifeStoryResident {
  id: string
  name: string
  preferredName: string | null
  grewUpIn: string | null
  introduction: string | null
  birthYear: number | null
  /** The exact birth date (yyyy-mm-dd) when known. */
  birthDate: string | null
  photoPath: string | null
  unitId: string
}

interface Row {
  id: string
  display_name: string
  preferred_name: string | null
  grew_up_in: string | null
  introduction: string | null
  birth_year: number | null
  birth_date: string | null
  photo_path: string | null
  unit_id: string
}

/** Loads the resident; `null` when the person may not see them. */
export function useLifeStoryResident(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`life-story-resident-${toValue(residentId)}`, async () => {
    const { data, error } = await supabase.from('residents')
      .select('id, display_name, preferred_name, grew_up_in, introduction, birth_year, birth_date, photo_path, unit_id')
      .eq('id', toValue(residentId)).maybeSingle()
    if (error) throw error
    if (!data) return null
    const row = data as Row
    return {
      id: row.id, name: row.display_name, preferredName: row.preferred_name, grewUpIn: row.grew_up_in,
      introduction: row.introduction, birthYear: row.birth_year, birthDate: row.birth_date, photoPath: row.photo_path, unitId: row.unit_id,
    } satisfies LifeStoryResident
  }, { watch: [() => toValue(residentId)] })
}
