// Runs the privacy job every hour (retention reminders and deletions, choices
// about departed authors nobody made in time). Why a timer in the Nuxt server
// rather than pg_cron: deleting stored files needs the Storage API, which the
// server calls with its secret key, and the server holds the mail settings; it
// also runs the same under `npm run dev` as in production. Every step marks
// what it did in the database, so two servers or a late run do no harm.
// PRIVACY_JOBS_INTERVAL_SECONDS sets the pace (default 3600); 0 turns the
// timer off, for hosting where a scheduler calls POST /api/privacy/jobs instead.
import { runPrivacyJobs } from '../utils/privacy/jobs'

export default defineNitroPlugin((nitroApp) => {
  const appUrl = process.env.APP_URL?.replace(/\/$/, '')
    ?? `http://localhost:${process.env.PORT ?? process.env.NUXT_PORT ?? 3000}`
  startServerTimer(nitroApp, {
    name: 'privacy job',
    seconds: Number(process.env.PRIVACY_JOBS_INTERVAL_SECONDS ?? 3600),
    firstAfterSeconds: 30,
    async run(admin) {
      const result = await runPrivacyJobs(admin, mailerFromEnv(), appUrl)
      return Object.values(result).some(Boolean) ? JSON.stringify(result) : null
    },
  })
})
