// Pending invitations to a resident profile or a unit, with send, resend and revoke.
export type InvitationTarget = { residentId: string } | { unitId: string }

export interface PendingInvitation {
  id: string
  role: string
  relationship: string | null
  email: string | null
  phone: string | null
  createdAt: string
  expiresAt: string | null
}

export interface NewInvitation {
  role: string
  relationship?: string
  email?: string
  phone?: string
}

/** Loads pending invitations for a target and offers the actions on them. */
export function useInvitations(target: InvitationTarget) {
  const supabase = useSupabaseClient()
  const key = 'residentId' in target ? `invitations-resident-${target.residentId}` : `invitations-unit-${target.unitId}`

  const list = useAsyncData(key, async () => {
    let query = supabase.from('invitations')
      .select('id, member_role, unit_role, relationship, email, phone, created_at, expires_at')
      .is('accepted_at', null).is('revoked_at', null).order('created_at', { ascending: false })
    query = 'residentId' in target ? query.eq('resident_id', target.residentId) : query.eq('unit_id', target.unitId)
    const { data, error } = await query
    if (error) throw error
    return (data ?? []).map(row => ({
      id: row.id, role: row.member_role ?? row.unit_role, relationship: row.relationship, email: row.email, phone: row.phone,
      createdAt: row.created_at, expiresAt: row.expires_at,
    })) as PendingInvitation[]
  })

  async function send(invitation: NewInvitation) {
    await $fetch('/api/invitations', { method: 'POST', body: { ...target, ...invitation } })
    await list.refresh()
  }

  async function resend(id: string) {
    await $fetch(`/api/invitations/${id}/resend`, { method: 'POST' })
    await list.refresh()
  }

  async function revoke(id: string) {
    const { error } = await supabase.rpc('revoke_invitation', { invitation_id: id })
    if (error) throw error
    await list.refresh()
  }

  return { ...list, send, resend, revoke }
}
