// A resident's front page: who they are and the guestbook, newest first.
export interface ResidentProfile {
  id: string
  name: string
  preferredName: string | null
  introduction: string | null
  photoUrl: string | null
  unitId: string
}

interface ResidentRow {
  id: string
  display_name: string
  preferred_name: string | null
  introduction: string | null
  photo_path: string | null
  unit_id: string
}

/** Loads a resident and their latest guestbook posts; `null` when the person may not see them. */
export function useResidentPage(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`resident-${toValue(residentId)}`, async () => {
    const id = toValue(residentId)
    const { data, error } = await supabase.from('residents')
      .select('id, display_name, preferred_name, introduction, photo_path, unit_id').eq('id', id).maybeSingle()
    if (error) throw error
    if (!data) return null
    const row = data as ResidentRow

    const [photos, guestbook] = await Promise.all([
      signedPhotoUrls(supabase, [row.photo_path]),
      fetchGuestbook(supabase, new Map([[row.id, row.display_name]]), 20),
    ])
    const resident: ResidentProfile = {
      id: row.id, name: row.display_name, preferredName: row.preferred_name, introduction: row.introduction,
      photoUrl: row.photo_path ? photos[row.photo_path] ?? null : null, unitId: row.unit_id,
    }
    return { resident, guestbook }
  }, { watch: [() => toValue(residentId)] })
}
