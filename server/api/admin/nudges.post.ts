// Sends the family reminders that are due. Like the glimpse notices, a scheduler
// calls it with NOTICES_SECRET as a bearer token: once a day is plenty (the
// quiet period is weeks). On Supabase: pg_cron + pg_net posting here; elsewhere
// a cron job with curl. Without the secret set the route refuses everyone.
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
    throw createError({ statusCode: 401, statusMessage: 'Sending reminders needs the scheduler\'s secret.' })
  }
  const appUrl = process.env.APP_URL ?? getRequestURL(event).origin
  return sendFamilyNudges(serverSupabaseServiceRole(event), mailerFromEnv(), appUrl)
})
