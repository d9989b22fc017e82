// Sends the family reminders that are due, from the Nuxt server's own timer, so they
// go out under `npm run dev` and on any long-lived server without a cron job. The
// quiet period is weeks, so once an hour is plenty. Two servers, or this timer and a
// cron call to POST /api/admin/nudges, never send twice: each run takes a lease in
// the database first (start_family_nudge_run).
// NUDGES_INTERVAL_SECONDS sets the pace (default 3600); 0 turns the timer off, for
// hosting without a long-lived server, where the cron route is used instead (docs/admin.md).
import { createClient } from '@supabase/supabase-js'

function appUrl() {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, '')
  // `nuxt dev` serves on localhost; a production server must be told its public address.
  if (import.meta.dev) return `http://localhost:${process.env.PORT ?? process.env.NUXT_PORT ?? 3000}`
  return null
}

function serverKey() {
  const config = useRuntimeConfig()
  return config.supabase.secretKey || config.supabase.serviceKey || null
}

// Made at the first run, not at start-up: on Node 20 supabase-js needs the WebSocket
// that server/plugins/websocket.ts installs, and plugins start in name order.
function serviceClient(key: string) {
  return createClient(useRuntimeConfig().public.supabase.url, key, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  })
}

export default defineNitroPlugin((nitroApp) => {
  const seconds = Number(process.env.NUDGES_INTERVAL_SECONDS ?? 3600)
  if (!Number.isFinite(seconds) || seconds <= 0) return
  const mailer = mailerFromEnv()
  const url = appUrl()
  const key = serverKey()
  // Without a way to deliver, a run would record reminders as sent that nobody got.
  if (mailer.delivers === false || !url || !key) {
    console.warn('family reminders: not scheduled; set SMTP_URL, APP_URL and the Supabase secret key to send them.')
    return
  }

  let running = false
  let admin: ReturnType<typeof serviceClient> | null = null
  async function run() {
    if (running) return
    running = true
    try {
      admin ??= serviceClient(key!)
      const result = await sendFamilyNudges(admin, mailer, url!, new Date(), { leaseAttempts: 1 })
      if (result.sent || result.failed) console.info(`family reminders: ${result.sent} sent, ${result.failed} failed`)
    }
    catch (error) {
      console.error(`family reminders: the scheduled run failed: ${(error as Error).message}`)
    }
    finally {
      running = false
    }
  }

  const timer = setInterval(run, seconds * 1000)
  timer.unref()
  nitroApp.hooks.hook('close', () => clearInterval(timer))
})
