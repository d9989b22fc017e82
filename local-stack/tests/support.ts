import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { inject } from 'vitest'
import WebSocket from 'ws'
import { signJwt, type JwtClaims } from '../src/jwt.ts'

// supabase-js builds a realtime client with every client; Node 20 has no global WebSocket.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

/** The stack the test run started (see tests/setup/stack.ts). */
export const stack = inject('stack')

const noSession = { auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false } }

/** A supabase-js client with the anon key, as a browser would have. */
export function anonClient(): SupabaseClient {
  return createClient(stack.apiUrl, stack.anonKey, noSession)
}

/** A supabase-js client with the service-role key, as a trusted server would have. */
export function serviceClient(): SupabaseClient {
  return createClient(stack.apiUrl, stack.serviceRoleKey, noSession)
}

/** A plain Postgres connection as `postgres` (bypasses RLS), for setting up and checking. */
export async function sql(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: stack.dbUrl })
  await client.connect()
  try {
    return await client.query(text, params)
  }
  finally {
    await client.end()
  }
}

/** A user access token signed with the stack's secret, for tests that need no real sign-in. */
export async function userToken(sub: string, claims: JwtClaims = {}) {
  const iat = Math.floor(Date.now() / 1000)
  return signJwt(stack.jwtSecret, { sub, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600, ...claims })
}

/** A supabase-js client that acts as the given user (by a signed token, no session). */
export async function clientAs(sub: string, claims: JwtClaims = {}): Promise<SupabaseClient> {
  const token = await userToken(sub, claims)
  return createClient(stack.apiUrl, stack.anonKey, {
    ...noSession,
    global: { headers: { Authorization: `Bearer ${token}` } },
  })
}
