// POST /api/privacy/removal-requests/:id {"decision": "remove_photo" | "remove_tag" | "decline"}
// Staff or the primary contact answer a tagged person's request. Removing the
// photo deletes its rows in the database and then its files here.
import { serverSupabaseClient, serverSupabaseServiceRole, serverSupabaseUser } from '#supabase/server'
import { decideAndRemoveFiles, PrivacyRefusal } from '../../../utils/privacy/deletion'

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in first.', data: { reason: 'not_signed_in' } })
  const requestId = getRouterParam(event, 'id') ?? ''
  const body = await readBody<{ decision?: string }>(event).catch(() => null)
  try {
    return await decideAndRemoveFiles(await serverSupabaseClient(event), serverSupabaseServiceRole(event),
      'decide_media_removal', { request: requestId, decision: body?.decision ?? null },
      { not_allowed_to_decide: 403, already_decided: 409, invalid_decision: 400 })
  }
  catch (error) {
    if (error instanceof PrivacyRefusal) {
      throw createError({ statusCode: error.status, statusMessage: 'Refused', message: error.message, data: { reason: error.reason } })
    }
    console.error(`answering removal request ${requestId}: ${(error as Error).message}`)
    throw createError({ statusCode: 503, statusMessage: 'Failed', data: { reason: 'decision_failed' } })
  }
})
