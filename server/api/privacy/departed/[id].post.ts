// POST /api/privacy/departed/:id {"keep": true | false} — the primary contact
// (or a leader) chooses whether what a deleted account wrote stays on the profile.
import { serverSupabaseClient, serverSupabaseServiceRole, serverSupabaseUser } from '#supabase/server'
import { decideAndRemoveFiles, PrivacyRefusal } from '../../../utils/privacy/deletion'

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in first.', data: { reason: 'not_signed_in' } })
  const decisionId = getRouterParam(event, 'id') ?? ''
  const body = await readBody<{ keep?: boolean }>(event).catch(() => null)
  const keep = typeof body?.keep === 'boolean' ? body.keep : null
  try {
    return await decideAndRemoveFiles(await serverSupabaseClient(event), serverSupabaseServiceRole(event),
      'decide_departed_content', { decision: decisionId, keep },
      { not_allowed_to_decide: 403, invalid_decision: 400 })
  }
  catch (error) {
    if (error instanceof PrivacyRefusal) {
      throw createError({ statusCode: error.status, statusMessage: 'Refused', message: error.message, data: { reason: error.reason } })
    }
    console.error(`choice ${decisionId} about a departed author: ${(error as Error).message}`)
    throw createError({ statusCode: 503, statusMessage: 'Failed', data: { reason: 'decision_failed' } })
  }
})
