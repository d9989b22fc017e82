import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { inject } from 'vitest'

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
