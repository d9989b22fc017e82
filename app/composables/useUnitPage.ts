// A unit's page: its residents (with photos) and the latest guestbook activity across them.
export interface UnitResident { id: string, name: string, photoUrl: string | null }

interface ResidentRow { id: string, display_name: string, preferred_name: string | null, photo_path: string | null }

/** Loads a unit, its active residents and the ten newest guestbook posts; `null` when not visible. */
export function useUnitPage(unitId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`unit-${toValue(unitId)}`, async () => {
    const id = toValue(unitId)
    const { data: unit, error } = await supabase.from('units').select('id, name').eq('id', id).maybeSingle()
    if (error) throw error
    if (!unit) return null

    const { data, error: residentsError } = await supabase.from('residents')
      .select('id, display_name, preferred_name, photo_path').eq('unit_id', id).eq('status', 'active')
      .order('display_name')
    if (residentsError) throw residentsError
    const rows = (data ?? []) as ResidentRow[]
    const names = new Map(rows.map(row => [row.id, row.display_name]))
    const [photos, activity] = await Promise.all([
      signedPhotoUrls(supabase, rows.map(row => row.photo_path)),
      fetchGuestbook(supabase, names, 10),
    ])
    const residents: UnitResident[] = rows.map(row => ({
      id: row.id, name: row.display_name, photoUrl: row.photo_path ? photos[row.photo_path] ?? null : null,
    }))
    return { unit: unit as { id: string, name: string }, residents, activity }
  }, { watch: [() => toValue(unitId)] })
}
