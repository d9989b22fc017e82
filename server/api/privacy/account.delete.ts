// DELETE /api/privacy/account — the signed-in person deletes their own account.
// Memberships go at once; what they wrote waits for each profile's primary
// contact to keep or remove (see 20261205100200_departed_authors.sql), who is
// told by e-mail right away. The body must say {"confirm": true}.
import { serverSupabaseClient, serverSupabaseServiceRole, serverSupabaseUser } from '#supabase/server'
import { deleteOwnAccount } from '../../utils/privacy/deletion'
import { sendDepartedNotices } from '../../utils/privacy/jobs'

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  const userId = user?.sub ?? user?.id
  if (!userId) throw createError({ statusCode: 401, statusMessage: 'Sign in first.', data: { reason: 'not_signed_in' } })
  const body = await readBody<{ confirm?: boolean }>(event).catch(() => null)
  if (body?.confirm !== true) {
    throw createError({ statusCode: 400, statusMessage: 'Confirm the deletion.', data: { reason: 'not_confirmed' } })
  }
  const admin = serverSupabaseServiceRole(event)
  try {
    const result = await deleteOwnAccount(await serverSupabaseClient(event), admin, String(userId))
    // The families hear now rather than at the next scheduled run.
    await sendDepartedNotices(admin, mailerFromEnv(), process.env.APP_URL ?? getRequestURL(event).origin)
      .catch(error => console.error(`departed-author notices after an account deletion: ${(error as Error).message}`))
    return result
  }
  catch (error) {
    console.error(`deleting account ${userId}: ${(error as Error).message}`)
    throw createError({ statusCode: 503, statusMessage: 'Deletion failed', data: { reason: 'deletion_failed' } })
  }
})
