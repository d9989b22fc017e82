import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js'
import { afterAll } from 'vitest'
import WebSocket from 'ws'
import type { JwtClaims } from '../src/jwt.ts'
import { stack, userToken } from './support.ts'

// Node 20 has no global WebSocket; supabase-js takes `ws` as its transport (browsers need nothing).
const options = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: WebSocket as never },
}
const clients: SupabaseClient[] = []

// Every client a test file opens is closed when the file ends, so no socket outlives it.
afterAll(async () => {
  await Promise.all(clients.map(c => c.removeAllChannels()))
  for (const c of clients) c.realtime.disconnect()
})

/** A supabase-js client whose Realtime connection acts as the given user (or with a key, when `sub` is absent). */
export async function realtimeClient(sub?: string, claims: JwtClaims = {}, apiUrl = stack.apiUrl) {
  const token = sub ? await userToken(sub, claims) : undefined
  const client = createClient(apiUrl, stack.anonKey, {
    ...options,
    ...(token ? { accessToken: async () => token } : {}),
  })
  clients.push(client)
  return client
}

/** A client with the service-role key. */
export function serviceRealtimeClient() {
  const client = createClient(stack.apiUrl, stack.serviceRoleKey, options)
  clients.push(client)
  return client
}

/** Subscribes and resolves once joined; rejects with the server's reason otherwise. */
export function subscribed(channel: RealtimeChannel, timeout = 10_000) {
  return new Promise<RealtimeChannel>((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') resolve(channel)
      else if (status === 'CHANNEL_ERROR' || status === 'TIMED_OUT') reject(error ?? new Error(status))
    }, timeout)
  })
}

/** Collects what a callback receives, and waits for a number of items. */
export class Inbox<T> {
  items: T[] = []
  private waiters: (() => void)[] = []

  readonly add = (item: T) => {
    this.items.push(item)
    for (const wake of this.waiters.splice(0)) wake()
  }

  /** Resolves with the items once there are at least `count`; fails after `timeout` ms. */
  async wait(count = 1, timeout = 5_000): Promise<T[]> {
    const deadline = Date.now() + timeout
    while (this.items.length < count) {
      const left = deadline - Date.now()
      if (left <= 0) throw new Error(`expected ${count} message(s) within ${timeout} ms, got ${this.items.length}`)
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left)
        this.waiters.push(() => {
          clearTimeout(timer)
          resolve()
        })
      })
    }
    return this.items
  }
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** A name no other test (or test file running alongside) uses. */
export function unique(prefix: string) {
  return `${prefix}_${Math.random().toString(36).slice(2, 8)}`
}
