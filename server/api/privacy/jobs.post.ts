// POST /api/privacy/jobs — runs the privacy job (retention reminders and
// deletions, departed authors' content) now. The server runs it by itself
// every hour (server/plugins/privacy-jobs.ts); this route is for hosting
// without a long-lived server, where a scheduler (cron, or pg_cron with
// pg_net on Supabase) calls it with PRIVACY_JOBS_SECRET as a bearer token.
// Without the secret set the route refuses everyone.
import { timingSafeEqual } from 'node:crypto'
import { serverSupabaseServiceRole } from '#supabase/server'
import { runPrivacyJobs } from '../../utils/privacy/jobs'

function authorised(header: string | undefined, secret: string | undefined) {
  if (!secret || !header) return false
  const given = Buffer.from(header)
  const wanted = Buffer.from(`Bearer ${secret}`)
  return given.length === wanted.length && timingSafeEqual(given, wanted)
}

export default defineEventHandler(async (event) => {
  if (!authorised(getHeader(event, 'authorization'), process.env.PRIVACY_JOBS_SECRET)) {
    throw createError({ statusCode: 401, statusMessage: 'The privacy job needs the scheduler\'s secret.' })
  }
  const appUrl = process.env.APP_URL ?? getRequestURL(event).origin
  return runPrivacyJobs(serverSupabaseServiceRole(event), mailerFromEnv(), appUrl)
})
