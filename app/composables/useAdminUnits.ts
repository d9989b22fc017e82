// The units an admin area visitor manages: all units of their organisations for
// org admins, their own units for leaders and superusers (RLS and the
// access store decide; this only lists and changes them).
export interface AdminUnit {
  id: string
  name: string
  siteName: string | null
  organisationId: string
  closedAt: string | null
}

interface UnitRow { id: string, name: string, site_name: string | null, organisation_id: string, closed_at: string | null }

const toUnit = (row: UnitRow): AdminUnit => ({
  id: row.id, name: row.name, siteName: row.site_name, organisationId: row.organisation_id, closedAt: row.closed_at,
})

/** The managed units and the actions on them: create, rename, close and reopen. */
export function useAdminUnits() {
  const supabase = useSupabaseClient()
  const access = useAccessStore()
  const managedIds = computed(() => new Set(access.access.units
    .filter(unit => ['leader', 'superuser'].includes(unit.role)).map(unit => unit.id)))
  const organisationIds = computed(() => access.access.organisations.map(o => o.id))

  const units = useAsyncData('admin-units', async () => {
    const { data, error } = await supabase.from('units')
      .select('id, name, site_name, organisation_id, closed_at').order('name')
    if (error) throw error
    return ((data ?? []) as UnitRow[]).map(toUnit)
      .filter(unit => organisationIds.value.includes(unit.organisationId) || managedIds.value.has(unit.id))
  })

  async function create(organisationId: string, name: string, siteName: string) {
    const { error } = await supabase.from('units')
      .insert({ organisation_id: organisationId, name: name.trim(), site_name: siteName.trim() || null })
    if (error) throw error
    await Promise.all([units.refresh(), access.load(true)])
  }

  async function update(id: string, values: { name?: string, closed_at?: string | null }) {
    const { data, error } = await supabase.from('units').update(values).eq('id', id).select('id')
    if (error) throw error
    if (!data?.length) throw Object.assign(new Error('not allowed'), { hint: 'not_allowed_to_manage_unit' })
    await units.refresh()
  }

  return {
    units,
    create,
    rename: (id: string, name: string) => update(id, { name: name.trim() }),
    close: (id: string) => update(id, { closed_at: new Date().toISOString() }),
    reopen: (id: string) => update(id, { closed_at: null }),
  }
}
