// Sends a pending e-mail invitation's link again, to the address it was sent to. Whoever
// holds the token may ask (it came in that e-mail); the mail only ever goes to the
// invitee, and Auth limits how often. Needed because a link's sign-in part lasts a day
// (Auth's longest), while the invitation lasts two weeks.
import { createHash } from 'node:crypto'
import { z } from 'zod'
import { serverSupabaseServiceRole } from '#supabase/server'

interface PendingRow {
  id: string
  email: string | null
  accepted_at: string | null
  revoked_at: string | null
  expires_at: string
}

const body = z.object({ token: z.string().regex(/^[0-9a-f]{32}$/) })

export default defineEventHandler(async (event) => {
  const parsed = body.safeParse(await readBody(event).catch(() => null))
  if (!parsed.success) throw notFound()
  const { token } = parsed.data

  const tokenHash = createHash('sha256').update(token, 'utf8').digest('hex')
  const { data, error } = await serverSupabaseServiceRole(event).from('invitations')
    .select('id, email, accepted_at, revoked_at, expires_at').eq('token_hash', tokenHash).maybeSingle()
  if (error) {
    console.error(`invitation link (read) failed: ${error.code}`)
    throw createError({ statusCode: 502, statusMessage: 'The invitation could not be read.' })
  }
  const row = data as PendingRow | null
  const pending = row && !row.accepted_at && !row.revoked_at && new Date(row.expires_at) > new Date()
  if (!pending || !row.email) throw notFound()

  await deliverInvitation(event, { token, email: row.email })
  return { sent: true }
})

function notFound() {
  return createError({
    statusCode: 404, statusMessage: 'There is no pending e-mail invitation with this token.',
    data: { hint: 'invitation_not_found' },
  })
}
