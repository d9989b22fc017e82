// Sends the glimpse e-mails that are due. A scheduler calls it every few minutes
// (cron, or pg_cron with pg_net on Supabase) with the secret NOTICES_SECRET as a
// bearer token; "immediately" therefore means "at the next run". Without the
// secret set the route refuses everyone, so it is off until someone configures it.
import { timingSafeEqual } from 'node:crypto'
import { serverSupabaseServiceRole } from '#supabase/server'

function authorised(header: string | undefined, secret: string | undefined) {
  if (!secret || !header) return false
  const given = Buffer.from(header)
  const wanted = Buffer.from(`Bearer ${secret}`)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

export default defineEventHandler(async (event) => {
  if (!authorised(getHeader(event, 'authorization'), process.env.NOTICES_SECRET)) {
    throw createError({ statusCode: 401, statusMessage: 'Sending notices needs the scheduler\'s secret.' })
  }
  const appUrl = process.env.APP_URL ?? getRequestURL(event).origin
  return sendDueNotices(serverSupabaseServiceRole(event), mailerFromEnv(), appUrl)
})
