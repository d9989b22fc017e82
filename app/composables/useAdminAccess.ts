// Who has access to one profile (public.resident_access_overview): members, the
// unit's staff and org admins, with role, inviter, since when and last visit.
export interface AccessHolder {
  userId: string
  name: string
  access: 'profile' | 'unit' | 'organisation'
  role: string
  relationship: string | null
  invitedByName: string | null
  since: string
  lastSeenAt: string | null
}

interface Row {
  user_id: string
  display_name: string
  access: AccessHolder['access']
  role: string
  relationship: string | null
  invited_by_name: string | null
  since: string
  last_seen_at: string | null
}

/** The access overview of a resident, with the resident's name for the heading. */
export function useAdminAccess(residentId: string) {
  const supabase = useSupabaseClient()
  return useAsyncData(`admin-access-${residentId}`, async () => {
    const [resident, overview] = await Promise.all([
      supabase.from('residents').select('id, display_name, unit_id').eq('id', residentId).maybeSingle(),
      supabase.rpc('resident_access_overview', { resident: residentId }),
    ])
    if (resident.error) throw resident.error
    if (!resident.data) return null
    if (overview.error) throw overview.error
    const holders = ((overview.data ?? []) as Row[]).map((row): AccessHolder => ({
      userId: row.user_id, name: row.display_name, access: row.access, role: row.role,
      relationship: row.relationship, invitedByName: row.invited_by_name, since: row.since,
      lastSeenAt: row.last_seen_at,
    }))
    return { resident: resident.data as { id: string, display_name: string, unit_id: string }, holders }
  }, { server: false })
}
