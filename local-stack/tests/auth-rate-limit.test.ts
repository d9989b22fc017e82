import { describe, expect, it } from 'vitest'
import { createClient } from '@supabase/supabase-js'
import WebSocket from 'ws'
import { sql, stack } from './support.ts'
import { confirmedUser, fetchFrom, lastMessage, newEmail, password } from './auth-helpers.ts'

// Each test speaks from its own loopback address, so its failures never count
// against 127.0.0.1, which every other test file signs in from.
function clientFrom(address: string) {
  return createClient(stack.apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    global: { fetch: fetchFrom(address) },
    realtime: { transport: WebSocket as never },
  })
}

const wrong = 'not my password'

describe('wrong passwords are rate-limited', () => {
  it('per account: after 5 failures even the right password waits, and works again after the window', async () => {
    const { email } = await confirmedUser()
    const client = clientFrom('127.0.0.21')
    for (let i = 0; i < 5; i++) {
      const { error } = await client.auth.signInWithPassword({ email, password: wrong })
      expect(error?.code).toBe('invalid_credentials')
    }
    const blocked = await client.auth.signInWithPassword({ email, password })
    expect(blocked.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' })
    expect(blocked.error?.message).toMatch(/^Too many wrong passwords for this account\. Try again in \d+ seconds\.$/)

    // From another address the account is still locked: the limit follows the account.
    const elsewhere = await clientFrom('127.0.0.22').auth.signInWithPassword({ email, password })
    expect(elsewhere.error?.code).toBe('over_request_rate_limit')

    // Ageing the failures past the 5-minute window stands in for waiting it out.
    await sql(`update _local_stack.auth_sign_in_failures set failed_at = now() - interval '6 minutes'
      where key = $1`, [`password:${email}`])
    const after = await client.auth.signInWithPassword({ email, password })
    expect(after.error).toBeNull()
    expect(after.data.user?.email).toBe(email)
  })

  it('per address: 30 failures on any accounts block that address only', async () => {
    const attacker = clientFrom('127.0.0.23')
    // 27 earlier failures on other accounts are written directly, to spare 27 bcrypt rounds.
    await sql(`insert into _local_stack.auth_sign_in_failures (key)
      select 'password-ip:127.0.0.23' from generate_series(1, 27)`)
    for (const email of [newEmail('target'), newEmail('target'), newEmail('target')]) {
      const { error } = await attacker.auth.signInWithPassword({ email, password: wrong })
      expect(error?.code).toBe('invalid_credentials')
    }
    const { email } = await confirmedUser()
    const blocked = await attacker.auth.signInWithPassword({ email, password })
    expect(blocked.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' })
    expect(blocked.error?.message).toContain('for this address')

    const honest = await clientFrom('127.0.0.24').auth.signInWithPassword({ email, password })
    expect(honest.error).toBeNull()
  })

  it('answers 429 with Retry-After and GoTrue error shape on plain requests', async () => {
    const { email } = await confirmedUser()
    const send = fetchFrom('127.0.0.25')
    const attempt = () => send(`${stack.apiUrl}/auth/v1/token?grant_type=password`, {
      method: 'POST',
      headers: { 'apikey': stack.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: wrong }),
    })
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(400)
    const res = await attempt()
    expect(res.status).toBe(429)
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(res.headers.get('x-sb-error-code')).toBe('over_request_rate_limit')
    expect(await res.json()).toMatchObject({ code: 429, error_code: 'over_request_rate_limit' })
  })

  it('a right password clears the account count', async () => {
    const { email } = await confirmedUser()
    const client = clientFrom('127.0.0.26')
    for (let i = 0; i < 4; i++) await client.auth.signInWithPassword({ email, password: wrong })
    expect((await client.auth.signInWithPassword({ email, password })).error).toBeNull()
    for (let i = 0; i < 4; i++) await client.auth.signInWithPassword({ email, password: wrong })
    expect((await client.auth.signInWithPassword({ email, password })).error).toBeNull()
  })
})

describe('wrong one-time codes are rate-limited', () => {
  it('after 10 wrong codes for an address even the right code waits', async () => {
    const { email } = await confirmedUser()
    const client = clientFrom('127.0.0.27')
    await client.auth.signInWithOtp({ email })
    const { otp } = (await lastMessage(email)).meta
    const wrongCode = otp === '000000' ? '111111' : '000000'
    for (let i = 0; i < 10; i++) {
      const { error } = await client.auth.verifyOtp({ email, token: wrongCode, type: 'email' })
      expect(error?.code).toBe('otp_expired')
    }
    const blocked = await clientFrom('127.0.0.28').auth.verifyOtp({ email, token: otp, type: 'email' })
    expect(blocked.error).toMatchObject({ status: 429, code: 'over_request_rate_limit' })
    expect(blocked.error?.message).toMatch(/^Too many wrong codes for this address\./)

    await sql(`update _local_stack.auth_sign_in_failures set failed_at = now() - interval '6 minutes'
      where key = $1`, [`code:${email}`])
    const after = await client.auth.verifyOtp({ email, token: otp, type: 'email' })
    expect(after.error).toBeNull()
  })
})
