// POST /api/residents/:id/delete — an org admin deletes a whole profile: every
// row (delete_resident, which also writes the audit row without content) and
// then every stored file and variant, through the Storage API.
import { serverSupabaseClient, serverSupabaseServiceRole, serverSupabaseUser } from '#supabase/server'
import { deleteWholeProfile, PrivacyRefusal } from '../../../utils/privacy/deletion'

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in first.', data: { reason: 'not_signed_in' } })
  // A uuid in capitals is the same resident; stored paths use the lower-case form.
  const residentId = (getRouterParam(event, 'id') ?? '').toLowerCase()
  try {
    return await deleteWholeProfile(await serverSupabaseClient(event), serverSupabaseServiceRole(event), residentId)
  }
  catch (error) {
    if (error instanceof PrivacyRefusal) {
      throw createError({ statusCode: error.status, statusMessage: 'Not allowed', message: error.message, data: { reason: error.reason } })
    }
    console.error(`deleting resident ${residentId}: ${(error as Error).message}`)
    throw createError({ statusCode: 503, statusMessage: 'Deletion failed', data: { reason: 'deletion_failed' } })
  }
})
