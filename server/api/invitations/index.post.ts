// Creates an invitation as the signed-in person (RLS and the RPC decide whether they
// may), then sends it through Auth with the service key, which never leaves the server.
import { serverSupabaseClient, serverSupabaseUser } from '#supabase/server'

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in to invite someone.' })

  const parsed = invitationInput.safeParse(await readBody(event))
  if (!parsed.success) {
    throw createError({ statusCode: 422, statusMessage: parsed.error.issues.map(issue => issue.message).join(' ') })
  }
  const input = parsed.data

  const supabase = await serverSupabaseClient(event)
  const { data, error } = await supabase.rpc('create_invitation', {
    resident_id: input.residentId ?? null,
    unit_id: input.unitId ?? null,
    role: input.role,
    relationship: input.relationship ?? null,
    email: input.email ?? null,
    phone: input.phone ?? null,
  })
  if (error) throw refused('create_invitation', error)

  const created = (Array.isArray(data) ? data[0] : data) as { id: string, token: string }
  await deliverInvitation(event, { token: created.token, email: input.email, phone: input.phone })
  return { id: created.id }
})
