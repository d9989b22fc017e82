// Sends the glimpse e-mails that are due, every few minutes, without anyone pressing a
// button. Why a timer in the Nuxt server and not pg_cron: the server already holds the
// mail settings and the texts in both languages, it runs the same way under `npm run dev`
// as in production, and pg_cron on Supabase would need pg_net only to call this server
// back. Two servers, or this timer and a cron call, never send twice: each run takes a
// lease in the database first (start_guestbook_notice_run).
// NOTICES_INTERVAL_SECONDS sets the pace (default 300, so "immediately" means within five
// minutes); 0 turns the timer off, for hosting without a long-lived server, where pg_cron
// calls POST /api/guestbook/notices instead (docs/admin.md).
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
  const seconds = Number(process.env.NOTICES_INTERVAL_SECONDS ?? 300)
  if (!Number.isFinite(seconds) || seconds <= 0) return
  const mailer = mailerFromEnv()
  const url = appUrl()
  const key = serverKey()
  // Without a way to deliver, a run would mark e-mails as sent that nobody got.
  if (mailer.delivers === false || !url || !key) {
    console.warn('guestbook notices: not scheduled; set SMTP_URL, APP_URL and the Supabase secret key to send them.')
    return
  }

  let running = false
  let admin: ReturnType<typeof serviceClient> | null = null
  async function run() {
    if (running) return
    running = true
    try {
      admin ??= serviceClient(key!)
      const result = await sendDueNotices(admin, mailer, url!, new Date(), { leaseAttempts: 1 })
      if (result.sent || result.failed) console.info(`guestbook notices: ${result.sent} sent, ${result.failed} failed`)
    }
    catch (error) {
      console.error(`guestbook notices: the scheduled run failed: ${(error as Error).message}`)
    }
    finally {
      running = false
    }
  }

  const timer = setInterval(run, seconds * 1000)
  timer.unref()
  nitroApp.hooks.hook('close', () => clearInterval(timer))
})
