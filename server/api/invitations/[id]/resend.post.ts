// Sends a pending invitation again. The RPC checks (as the signed-in person) that they
// may manage it and hands back a fresh token, so an old link stops working.
import { serverSupabaseClient, serverSupabaseUser } from '#supabase/server'

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in to resend an invitation.' })

  const id = getRouterParam(event, 'id')
  const supabase = await serverSupabaseClient(event)
  const { data, error } = await supabase.rpc('resend_invitation', { invitation_id: id })
  if (error) throw refused('resend_invitation', error)

  const renewed = (Array.isArray(data) ? data[0] : data) as { token: string, email: string | null, phone: string | null }
  await deliverInvitation(event, renewed)
  return { id }
})
