// Helpers for the guestbook tests: clients whose Realtime connection acts as a
// user, a raw Phoenix socket that records every frame, and timing.
import { createClient, type RealtimeChannel, type SupabaseClient } from '@supabase/supabase-js'
import { afterAll } from 'vitest'
import WebSocket from 'ws'
import { stack, userToken } from '../../local-stack/tests/support.ts'

const clients: SupabaseClient[] = []
const sockets: WebSocket[] = []

afterAll(async () => {
  await Promise.all(clients.map(client => client.removeAllChannels()))
  for (const client of clients) client.realtime.disconnect()
  for (const socket of sockets) socket.close()
})

const opened = new WeakMap<SupabaseClient, WebSocket[]>()

/** Cuts a client's websocket as a lost network would, without telling the client. */
export function dropConnection(client: SupabaseClient) {
  for (const socket of opened.get(client) ?? []) socket.terminate()
}

/** A supabase-js client acting as the user for REST and Realtime alike. */
export async function liveClient(userId: string): Promise<SupabaseClient> {
  const token = await userToken(userId)
  const sockets: WebSocket[] = []
  // A transport that remembers its sockets, so a test can cut them.
  class TrackedSocket extends WebSocket {
    constructor(...args: ConstructorParameters<typeof WebSocket>) {
      super(...args)
      sockets.push(this)
    }
  }
  const client = createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
    // Quick reconnects keep the reconnect tests short; the default backs off for seconds.
    realtime: { transport: TrackedSocket as never, reconnectAfterMs: () => 300 },
    accessToken: async () => token,
  })
  clients.push(client)
  opened.set(client, sockets)
  return client
}

/** The private channel that carries one resident's guestbook. */
export function guestbookTopic(residentId: string) {
  return `resident:${residentId}:guestbook`
}

export interface LiveMessage {
  event: string
  payload: {
    operation: string
    table: string
    record: Record<string, unknown> | null
    old_record: Record<string, unknown> | null
  }
  at: number
}

/** Joins a resident's guestbook channel and records every broadcast with its arrival time. */
export async function listenToGuestbook(client: SupabaseClient, residentId: string) {
  const messages: LiveMessage[] = []
  const state = { joins: 0 }
  await client.realtime.setAuth()
  const channel = client.channel(guestbookTopic(residentId), { config: { private: true } })
    .on('broadcast', { event: '*' }, (message) => {
      messages.push({ event: message.event, payload: message.payload as LiveMessage['payload'], at: Date.now() })
    })
  await new Promise<void>((resolve, reject) => {
    channel.subscribe((status, error) => {
      if (status === 'SUBSCRIBED') {
        state.joins += 1
        resolve()
      }
      else if (status === 'CHANNEL_ERROR' && !state.joins) reject(error ?? new Error(status))
    })
  })
  return {
    channel,
    messages,
    get joins() {
      return state.joins
    },
  }
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

/** Resolves once `found` returns something, polling every 10 ms; fails after `timeout` ms. */
export async function waitFor<T>(found: () => T | undefined, timeout = 3_000, what = 'a message'): Promise<T> {
  const deadline = Date.now() + timeout
  for (;;) {
    const value = found()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`Waited ${timeout} ms for ${what} in vain.`)
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

export function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** A bare Phoenix websocket as the user, recording every frame it is sent. */
export async function rawSocket(userId: string) {
  const token = await userToken(userId)
  const url = `${stack.apiUrl.replace(/^http/, 'ws')}/realtime/v1/websocket?apikey=${stack.anonKey}&vsn=1.0.0`
  const socket = new WebSocket(url)
  sockets.push(socket)
  const frames: string[] = []
  socket.on('message', data => frames.push(String(data)))
  await new Promise((resolve, reject) => {
    socket.once('open', resolve)
    socket.once('error', reject)
  })
  let ref = 0
  return {
    frames,
    /** Sends a join for the topic with the given channel config; returns its ref. */
    join(topic: string, config: Record<string, unknown>) {
      ref += 1
      socket.send(JSON.stringify({ topic: `realtime:${topic}`, event: 'phx_join', ref: String(ref),
        join_ref: String(ref), payload: { config, access_token: token } }))
      return String(ref)
    },
  }
}
