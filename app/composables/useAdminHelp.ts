// What the help page needs: the superusers and leaders of the person's units (by
// name, whom to ask), and the primary contact's reminder choices per resident.
export interface HelpContact { unitName: string, people: { name: string, role: string }[] }

/** The go-to people of every unit the person can see (RLS decides which units). */
export function useAdminHelpContacts() {
  const supabase = useSupabaseClient()
  return useAsyncData('help-contacts', async () => {
    const units = await fetchVisibleUnits(supabase)
    if (!units.length) return []
    const { data, error } = await supabase.from('unit_members').select('unit_id, user_id, role')
      .in('unit_id', units.map(unit => unit.id)).in('role', ['superuser', 'leader'])
    if (error) throw error
    const rows = (data ?? []) as { unit_id: string, user_id: string, role: string }[]
    const names = await fetchPeopleNames(supabase, rows.map(row => row.user_id))
    return units.map((unit): HelpContact => ({
      unitName: unit.name,
      people: rows.filter(row => row.unit_id === unit.id)
        .map(row => ({ name: names.get(row.user_id) ?? '', role: row.role }))
        .sort((a, b) => a.role.localeCompare(b.role) || a.name.localeCompare(b.name, 'nb')),
    }))
  }, { server: false })
}

/** The primary contact's reminder choice per resident, and a way to change it. */
export function useAdminNudgeChoices() {
  const supabase = useSupabaseClient()
  const access = useAccessStore()
  const residents = computed(() => access.access.residents.filter(r => r.role === 'primary_contact'))
  const choices = useAsyncData('nudge-choices', async () => {
    const { data, error } = await supabase.from('family_nudge_preferences').select('resident_id, enabled')
    if (error) throw error
    return new Map(((data ?? []) as { resident_id: string, enabled: boolean }[]).map(r => [r.resident_id, r.enabled]))
  }, { server: false })

  async function choose(residentId: string, enabled: boolean) {
    // Insert or update, not upsert: an upsert would also write resident_id, which nobody may change.
    const table = supabase.from('family_nudge_preferences')
    const { error } = choices.data.value?.has(residentId)
      ? await table.update({ enabled }).eq('resident_id', residentId)
      : await table.insert({ resident_id: residentId, enabled })
    if (error) throw error
    await choices.refresh()
  }

  return { residents, choices, choose }
}
