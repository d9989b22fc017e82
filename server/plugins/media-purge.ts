// Every minute the server removes for good the photos and videos whose undo
// time is over (see server/utils/media/purge.ts). What is due is kept in the
// database, so a restart loses nothing: the next sweep picks it up.
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import { purgeDeletedMedia } from '../utils/media/purge'

const everyMs = 60_000

export default defineNitroPlugin((nitro) => {
  if (import.meta.prerender) return
  const config = useRuntimeConfig()
  const key = config.supabase.secretKey || config.supabase.serviceKey
  if (!key) {
    console.warn('media purge is off: no Supabase secret key, so deleted photos keep their files')
    return
  }
  // Made on first use: the WebSocket shim that supabase-js needs on Node 20 is another plugin.
  let admin: SupabaseClient | undefined
  let running = false
  const sweep = async () => {
    if (running) return
    running = true
    try {
      admin ??= createClient(config.public.supabase.url, key, { auth: { persistSession: false, autoRefreshToken: false } })
      await purgeDeletedMedia(admin)
    }
    catch (error) {
      console.error('media purge failed:', (error as Error).message)
    }
    finally {
      running = false
    }
  }
  const first = setTimeout(sweep, 10_000)
  const timer = setInterval(sweep, everyMs)
  first.unref()
  timer.unref()
  nitro.hooks.hook('close', () => {
    clearTimeout(first)
    clearInterval(timer)
  })
})
