// The Nuxt server's own timers (glimpse notices, family reminders, the privacy job,
// the media purge): each runs one job at a time with the server's secret key, logs a
// failure instead of stopping, and ends with the server. Why timers and not pg_cron:
// see each plugin; every job also takes a lease or marks its work in the database, so
// two servers, or a timer and a cron call, never do the same work twice.
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import type { NitroApp } from 'nitropack'

interface ServerTimer {
  /** For the log: "guestbook notices". */
  name: string
  /** How often, in seconds; 0 or less turns the timer off. */
  seconds: number
  /** When the first run comes, in seconds (default: after one interval). */
  firstAfterSeconds?: number
  /** One run, with the service-role client; a returned line is logged. */
  run: (admin: SupabaseClient) => Promise<string | null>
}

/** The server's secret (service-role) key, or null when it has none. */
export function serverSecretKey() {
  const config = useRuntimeConfig()
  return config.supabase.secretKey || config.supabase.serviceKey || null
}

/** Starts `timer.run` every `timer.seconds` when the server holds a secret key. */
export function startServerTimer(nitroApp: NitroApp, timer: ServerTimer) {
  if (import.meta.prerender || !Number.isFinite(timer.seconds) || timer.seconds <= 0) return
  const key = serverSecretKey()
  if (!key) {
    console.warn(`${timer.name}: not scheduled, the server has no Supabase secret key`)
    return
  }
  // Made at the first run, not at start-up: on Node 20 supabase-js needs the WebSocket
  // that server/plugins/websocket.ts installs, and plugins start in name order.
  let admin: SupabaseClient | undefined
  let running = false
  async function once() {
    if (running) return
    running = true
    try {
      admin ??= createClient(useRuntimeConfig().public.supabase.url, key!, {
        auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
      })
      const line = await timer.run(admin)
      if (line) console.info(`${timer.name}: ${line}`)
    }
    catch (error) {
      console.error(`${timer.name}: the scheduled run failed: ${(error as Error).message}`)
    }
    finally {
      running = false
    }
  }
  const first = timer.firstAfterSeconds === undefined ? undefined : setTimeout(once, timer.firstAfterSeconds * 1000)
  const every = setInterval(once, timer.seconds * 1000)
  first?.unref()
  every.unref()
  nitroApp.hooks.hook('close', () => {
    clearTimeout(first)
    clearInterval(every)
  })
}

/** The app's public address for links in e-mail: APP_URL, or localhost under `nuxt dev`. */
export function appUrlForMail() {
  if (process.env.APP_URL) return process.env.APP_URL.replace(/\/$/, '')
  // `nuxt dev` serves on localhost; a production server must be told its public address.
  if (import.meta.dev) return `http://localhost:${process.env.PORT ?? process.env.NUXT_PORT ?? 3000}`
  return null
}
