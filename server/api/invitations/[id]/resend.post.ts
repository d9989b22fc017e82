// Sends a pending invitation again. Only the hash of a token is stored, so resending
// issues a new invitation with the same details (as the signed-in person, so the RPC
// checks they may) and withdraws the old one: the old link stops working.
import { serverSupabaseClient, serverSupabaseUser } from '#supabase/server'

interface InvitationRow {
  id: string
  resident_id: string | null
  unit_id: string | null
  member_role: string | null
  unit_role: string | null
  relationship: string | null
  email: string | null
  phone: string | null
}

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in to resend an invitation.' })

  const supabase = await serverSupabaseClient(event)
  const { data, error } = await supabase.from('invitations')
    .select('id, resident_id, unit_id, member_role, unit_role, relationship, email, phone')
    .eq('id', getRouterParam(event, 'id')!).is('accepted_at', null).is('revoked_at', null).maybeSingle()
  if (error) throw refused('resend (read)', error)
  if (!data) throw createError({ statusCode: 404, statusMessage: 'There is no pending invitation you can resend with this id.', data: { hint: 'invitation_not_found' } })
  const old = data as InvitationRow

  const created = await supabase.rpc('create_invitation', {
    resident_id: old.resident_id, unit_id: old.unit_id, role: old.member_role ?? old.unit_role,
    relationship: old.relationship, email: old.email, phone: old.phone,
  })
  if (created.error) throw refused('resend (create)', created.error)
  const renewed = (Array.isArray(created.data) ? created.data[0] : created.data) as { id: string, token: string }

  const revoked = await supabase.rpc('revoke_invitation', { invitation_id: old.id })
  if (revoked.error) throw refused('resend (revoke)', revoked.error)

  await deliverInvitation(event, { token: renewed.token, email: old.email, phone: old.phone ? `+${old.phone}` : null })
  return { id: renewed.id }
})
