// One unit in the admin area: its staff and residents, and the RPCs that change
// them (each checks the caller's role in the database and writes the audit trail).
export interface AdminStaffMember { userId: string, name: string, role: string, since: string }
export interface AdminResident { id: string, name: string, status: string, arrivedOn: string | null }

interface StaffRow { user_id: string, role: string, created_at: string }
interface ResidentRow { id: string, display_name: string, status: string, arrived_on: string | null }

function check<T>(result: { data: unknown, error: unknown }): T {
  if (result.error) throw result.error
  return result.data as T
}

/** Loads a unit's staff and residents; `null` when the unit is not visible. */
export function useAdminUnit(unitId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const data = useAsyncData(`admin-unit-${toValue(unitId)}`, async () => {
    const id = toValue(unitId)
    const unit = check<{ id: string, name: string, organisation_id: string, closed_at: string | null } | null>(
      await supabase.from('units').select('id, name, organisation_id, closed_at').eq('id', id).maybeSingle())
    if (!unit) return null
    const [staff, residents] = await Promise.all([
      supabase.from('unit_members').select('user_id, role, created_at')
        .eq('unit_id', id).then(result => check<StaffRow[]>(result)),
      supabase.from('residents').select('id, display_name, status, arrived_on').eq('unit_id', id)
        .order('display_name').then(result => check<ResidentRow[]>(result)),
    ])
    const names = await fetchPeopleNames(supabase, staff.map(row => row.user_id))
    return {
      unit,
      staff: staff.map((row): AdminStaffMember => ({
        userId: row.user_id, name: names.get(row.user_id) ?? '', role: row.role, since: row.created_at,
      })).sort((a, b) => a.name.localeCompare(b.name, 'nb')),
      residents: residents.map((row): AdminResident => ({
        id: row.id, name: row.display_name, status: row.status, arrivedOn: row.arrived_on,
      })),
    }
  }, { watch: [() => toValue(unitId)] })

  async function call(name: string, args: Record<string, unknown>) {
    check(await supabase.rpc(name as never, args as never))
    await data.refresh()
  }

  return {
    ...data,
    changeRole: (userId: string, role: string) =>
      call('change_unit_member_role', { unit_id: toValue(unitId), user_id: userId, role }),
    removeStaff: (userId: string) => call('remove_unit_member', { unit_id: toValue(unitId), user_id: userId }),
    moveResident: (residentId: string, toUnitId: string) =>
      call('move_resident', { resident_id: residentId, unit_id: toUnitId }),
  }
}
