// Stamps "last visited" for the access overview and the weekly activity figures.
// The database keeps one row per person, profile and week and moves it at most
// every ten minutes, so calling this on every page view is cheap.
/** Records, in the browser, that the signed-in person opened the resident's profile. */
export function useAdminVisit(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const stamp = async () => {
    const { error } = await supabase.rpc('record_resident_visit', { resident: toValue(residentId) })
    // A missed stamp only makes "last visited" a little older; the page must not fail for it.
    if (error) console.warn(`visit stamp for resident ${toValue(residentId)} failed: ${error.message}`)
  }
  onMounted(stamp)
  watch(() => toValue(residentId), stamp)
}
