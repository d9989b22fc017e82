// Runs the privacy job every hour (retention reminders and deletions, choices
// about departed authors nobody made in time). Why a timer in the Nuxt server
// rather than pg_cron: deleting stored files needs the Storage API, which the
// server calls with its secret key, and the server holds the mail settings; it
// also runs the same under `npm run dev` as in production. Every step marks
// what it did in the database, so two servers or a late run do no harm.
// PRIVACY_JOBS_INTERVAL_SECONDS sets the pace (default 3600); 0 turns the
// timer off, for hosting where a scheduler calls POST /api/privacy/jobs instead.
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { runPrivacyJobs } from '../utils/privacy/jobs'

export default defineNitroPlugin((nitroApp) => {
  if (import.meta.prerender) return
  const seconds = Number(process.env.PRIVACY_JOBS_INTERVAL_SECONDS ?? 3600)
  if (!Number.isFinite(seconds) || seconds <= 0) return
  const config = useRuntimeConfig()
  const key = config.supabase.secretKey || config.supabase.serviceKey
  if (!key) {
    console.warn('privacy job is off: no Supabase secret key, so archived profiles are not deleted on time')
    return
  }
  const appUrl = process.env.APP_URL?.replace(/\/$/, '')
    ?? `http://localhost:${process.env.PORT ?? process.env.NUXT_PORT ?? 3000}`
  // Made at the first run: on Node 20 supabase-js needs the WebSocket another plugin installs.
  let admin: SupabaseClient | undefined
  let running = false
  async function run() {
    if (running) return
    running = true
    try {
      admin ??= createClient(config.public.supabase.url, key, { auth: { persistSession: false, autoRefreshToken: false } })
      const result = await runPrivacyJobs(admin, mailerFromEnv(), appUrl)
      if (Object.values(result).some(Boolean)) console.info(`privacy job: ${JSON.stringify(result)}`)
    }
    catch (error) {
      console.error(`privacy job failed: ${(error as Error).message}`)
    }
    finally {
      running = false
    }
  }
  const first = setTimeout(run, 30_000)
  const timer = setInterval(run, seconds * 1000)
  first.unref()
  timer.unref()
  nitroApp.hooks.hook('close', () => {
    clearTimeout(first)
    clearInterval(timer)
  })
})
