import { randomBytes, randomInt } from 'node:crypto'
import { request } from 'node:http'
import { createClient, type SupabaseClient, type SupabaseClientOptions } from '@supabase/supabase-js'
import bcrypt from 'bcryptjs'
import WebSocket from 'ws'
import { stack } from './support.ts'

/** Shared fixtures for the auth tests: fresh addresses, the mailbox, raw requests. */

export const password = 'correct horse battery'

// Made once per test file: most tests need a user, not another 50 ms of bcrypt.
const passwordHash = bcrypt.hashSync(password, 10)

/** An address no other test uses. */
export function newEmail(label = 'person') {
  return `${label}-${randomBytes(5).toString('hex')}@minnespor.test`
}

/** A Norwegian mobile number no other test uses, as E.164 digits without '+'. */
export function newPhone() {
  return `479${String(randomInt(0, 10_000_000)).padStart(7, '0')}`
}

export interface MailboxMessage {
  kind: 'email' | 'sms'
  to: string
  subject?: string
  text: string
  meta: { type: string, link?: string, otp: string, token_hash: string, redirect_to?: string }
}

/** Messages to an address, newest first, from the mailbox JSON API. */
export async function mailTo(address: string): Promise<MailboxMessage[]> {
  const res = await fetch(`${stack.mailboxUrl}/api/messages?to=${encodeURIComponent(address)}`)
  return res.json() as Promise<MailboxMessage[]>
}

/** The newest message to an address; fails the test when there is none. */
export async function lastMessage(address: string) {
  const [message] = await mailTo(address)
  if (!message) throw new Error(`No message to ${address} in the mailbox`)
  return message
}

// supabase-js builds a realtime client in createClient, which on Node 20 needs a
// WebSocket implementation handed in; support.ts's clients lack it, so ours pass `ws`.
type Transport = NonNullable<SupabaseClientOptions<'public'>['realtime']>['transport']
const realtime = { transport: WebSocket as unknown as Transport }
const noSession = { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false }

/** A supabase-js client with the anon key, as a browser would have. */
export function anonClient(): SupabaseClient {
  return createClient(stack.apiUrl, stack.anonKey, { auth: noSession, realtime })
}

/** A supabase-js client with the service-role key, as a trusted server would have. */
export function serviceClient(): SupabaseClient {
  return createClient(stack.apiUrl, stack.serviceRoleKey, { auth: noSession, realtime })
}

/** A client that keeps its session in memory, as a browser tab would. */
export function sessionClient(
  options: { flowType?: 'implicit' | 'pkce', fetch?: typeof fetch } = {},
): SupabaseClient {
  const storage = new Map<string, string>()
  return createClient(stack.apiUrl, stack.anonKey, {
    auth: {
      persistSession: true, autoRefreshToken: false, detectSessionInUrl: false, flowType: options.flowType,
      storage: {
        getItem: key => storage.get(key) ?? null,
        setItem: (key, value) => void storage.set(key, value),
        removeItem: key => void storage.delete(key),
      },
    },
    global: options.fetch ? { fetch: options.fetch } : undefined,
    realtime,
  })
}

/** A confirmed e-mail user whose password is `password`, made through the admin API. */
export async function confirmedUser(metadata: Record<string, unknown> = {}) {
  const email = newEmail()
  const { data, error } = await serviceClient().auth.admin.createUser({
    email, password_hash: passwordHash, email_confirm: true, user_metadata: metadata,
  })
  if (error) throw error
  return { email, id: data.user.id }
}

/** A plain request to the auth API with the anon key; `headers` may override the defaults. */
export function authFetch(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${stack.apiUrl}/auth/v1${path}`, {
    ...init,
    headers: { 'apikey': stack.anonKey, 'authorization': `Bearer ${stack.anonKey}`,
      'content-type': 'application/json', ...init.headers },
  })
}

/**
 * A fetch whose connections come from another loopback address (127.0.0.0/8),
 * so per-address limits can be tested without touching the other tests' count.
 */
export function fetchFrom(localAddress: string): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const headers = new Headers(input instanceof Request ? input.headers : undefined)
    new Headers(init?.headers).forEach((value, key) => headers.set(key, value))
    const body = init?.body == null ? undefined : String(init.body)
    return new Promise<Response>((resolve, reject) => {
      const req = request(url, { method: init?.method ?? 'GET', localAddress,
        headers: Object.fromEntries(headers) }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', chunk => chunks.push(chunk))
        res.on('end', () => resolve(new Response(res.statusCode === 204 ? null : Buffer.concat(chunks), {
          status: res.statusCode, headers: res.headers as Record<string, string>,
        })))
      })
      req.on('error', reject)
      req.end(body)
    })
  }
}
