import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sql } from './support.ts'
import { confirmedUser, password, sessionClient } from './auth-helpers.ts'

// A throwaway function that shows what Postgres sees of the caller, dropped afterwards.
beforeAll(async () => {
  await sql(`create or replace function public.auth_test_who_am_i() returns jsonb
    language sql stable as $$
      select jsonb_build_object('uid', auth.uid(), 'role', auth.role(), 'email', auth.email(),
        'session_id', auth.jwt() ->> 'session_id', 'current_role', current_user)
    $$`)
  await sql(`notify pgrst, 'reload schema'`)
})

afterAll(async () => {
  await sql('drop function if exists public.auth_test_who_am_i()')
})

describe('an issued token in Postgres', () => {
  it('makes auth.uid(), auth.role() and auth.email() the signed-in user through REST', async () => {
    const { email, id } = await confirmedUser()
    const client = sessionClient()
    const { data: signIn } = await client.auth.signInWithPassword({ email, password })
    let result = await client.rpc('auth_test_who_am_i')
    // The schema cache reloads on NOTIFY; give it a moment when the first call is early.
    for (let i = 0; i < 20 && result.error; i++) {
      await new Promise(resolve => setTimeout(resolve, 100))
      result = await client.rpc('auth_test_who_am_i')
    }
    expect(result.error).toBeNull()
    expect(result.data).toEqual({ uid: id, role: 'authenticated', email,
      session_id: JSON.parse(atob(signIn.session!.access_token.split('.')[1])).session_id,
      current_role: 'authenticated' })
  })
})
