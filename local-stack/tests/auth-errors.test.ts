import { describe, expect, it } from 'vitest'
import { signJwt } from '../src/jwt.ts'
import { sql, stack, userToken } from './support.ts'
import { anonClient, authFetch, confirmedUser, newEmail, password, serviceClient } from './auth-helpers.ts'

const versioned = { 'x-supabase-api-version': '2024-01-01' }
const wrongLogin = (email: string) => JSON.stringify({ email, password: 'not the password' })

describe('error shapes', () => {
  it('answers {code, message} and echoes the header when the client names an API version', async () => {
    const { email } = await confirmedUser()
    const res = await authFetch('/token?grant_type=password', {
      method: 'POST', body: wrongLogin(email), headers: versioned,
    })
    expect(res.status).toBe(400)
    expect(res.headers.get('x-supabase-api-version')).toBe('2024-01-01')
    expect(res.headers.get('x-sb-error-code')).toBe('invalid_credentials')
    expect(await res.json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' })
  })

  it('answers the legacy {code, error_code, msg} without a version header', async () => {
    const { email } = await confirmedUser()
    const res = await authFetch('/token?grant_type=password', { method: 'POST', body: wrongLogin(email) })
    expect(res.headers.get('x-supabase-api-version')).toBeNull()
    expect(res.headers.get('x-sb-error-code')).toBe('invalid_credentials')
    expect(await res.json())
      .toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' })
  })

  it('reports a weak password with its reasons', async () => {
    const res = await authFetch('/signup', { method: 'POST', headers: versioned,
      body: JSON.stringify({ email: newEmail(), password: '12345' }) })
    expect(res.status).toBe(422)
    expect(await res.json()).toEqual({ code: 'weak_password', message: 'Password should be at least 6 characters.',
      weak_password: { reasons: ['length'] } })
  })
})

describe('bad input never crashes or half-writes', () => {
  it.each([
    ['broken JSON', '{"email": ', 400, 'bad_json'],
    ['a JSON array', '[1, 2]', 400, 'bad_json'],
    ['a JSON string', '"hello"', 400, 'bad_json'],
    ['a number as e-mail', JSON.stringify({ email: 42, password }), 400, 'validation_failed'],
    ['metadata that is not an object', JSON.stringify({ email: 'x@minnespor.test', password, data: 'x' }),
      400, 'validation_failed'],
    ['an e-mail without a domain', JSON.stringify({ email: 'kari@', password }), 400, 'validation_failed'],
    ['a password over 72 characters', JSON.stringify({ email: 'y@minnespor.test', password: 'p'.repeat(73) }),
      400, 'validation_failed'],
    ['a phone number with letters', JSON.stringify({ phone: '+47abc', password }), 400, 'validation_failed'],
  ])('answers %s on /signup with a GoTrue error', async (_, body, status, code) => {
    const res = await authFetch('/signup', { method: 'POST', body, headers: versioned })
    expect(res.status).toBe(status)
    expect((await res.json()).code).toBe(code)
  })

  it('refuses a body over 1 MB', async () => {
    const body = JSON.stringify({ email: newEmail(), password, data: { story: 'x'.repeat(1_100_000) } })
    const res = await authFetch('/signup', { method: 'POST', body, headers: versioned })
    expect(res.status).toBe(413)
    expect(res.headers.get('x-sb-error-code')).toBe('request_too_large')
  })

  it('refuses an unknown grant type and an unknown route', async () => {
    const grant = await authFetch('/token?grant_type=magic', { method: 'POST', body: '{}', headers: versioned })
    expect(grant.status).toBe(400)
    expect((await grant.json()).code).toBe('validation_failed')
    const route = await authFetch('/nowhere', { headers: versioned })
    expect(route.status).toBe(404)
  })

  it('leaves no user, identity or session when an app trigger on auth.users fails', async () => {
    await sql(`create or replace function public.auth_test_refuse_user() returns trigger
      language plpgsql as $$ begin raise exception 'refused by the test trigger'; end $$`)
    await sql(`create trigger auth_test_refuse_user after insert on auth.users for each row
      when (new.email like '%@refused.minnespor.test') execute function public.auth_test_refuse_user()`)
    try {
      const email = newEmail().replace('@minnespor.test', '@refused.minnespor.test')
      const res = await authFetch('/signup', { method: 'POST', headers: versioned,
        body: JSON.stringify({ email, password }) })
      expect(res.status).toBe(500)
      expect(await res.json()).toEqual({ code: 'unexpected_failure', message: 'Database error saving new user' })
      // auth-js treats every 5xx as a retryable network failure and keeps no message.
      const { error } = await anonClient().auth.signUp({ email, password })
      expect(error).toMatchObject({ name: 'AuthRetryableFetchError', status: 500 })
      const { rows } = await sql(`select (select count(*)::int from auth.users where email = $1) as users,
        (select count(*)::int from auth.identities where email = $1) as identities`, [email])
      expect(rows[0]).toEqual({ users: 0, identities: 0 })
    }
    finally {
      await sql('drop trigger auth_test_refuse_user on auth.users')
      await sql('drop function public.auth_test_refuse_user()')
    }
  })

  it('creates no user when the admin sends a bad ban duration', async () => {
    const email = newEmail()
    const { error } = await serviceClient().auth.admin.createUser({ email, password, ban_duration: 'forever' })
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' })
    const { rows } = await sql('select count(*)::int as n from auth.users where email = $1', [email])
    expect(rows[0].n).toBe(0)
  })
})

describe('odd bodies on every route', () => {
  const routes = [
    ['POST', '/signup'], ['POST', '/token?grant_type=password'], ['POST', '/token?grant_type=refresh_token'],
    ['POST', '/token?grant_type=pkce'], ['PUT', '/user'], ['POST', '/otp'], ['POST', '/recover'],
    ['POST', '/resend'], ['POST', '/verify'], ['POST', '/invite'], ['POST', '/admin/users'],
    ['POST', '/admin/generate_link'], ['PUT', '/admin/users/7d6c4e1a-0000-4000-8000-000000000009'],
    ['DELETE', '/admin/users/7d6c4e1a-0000-4000-8000-000000000009'], ['POST', '/logout?scope=nowhere'],
  ]
  const bodies = [
    '', 'null', '{}', '{"email":{},"phone":[],"password":1}', '{"data":[1],"user_metadata":"x","app_metadata":7}',
    '{"type":"nonsense","token":123,"token_hash":false}', '{"email":"a@b.c","password":null,"create_user":"yes"}',
    '{"refresh_token":{"$ne":null},"auth_code":[],"code_verifier":1}', '{"ban_duration":"1y","id":"x"}',
    '{"email":"\u0000@x.y","phone":"+0"}', '{"should_soft_delete":"maybe"}', '\u0000\u0001',
  ]

  it('never answers with a server error or a non-GoTrue shape', async () => {
    const { email } = await confirmedUser()
    const session = (await anonClient().auth.signInWithPassword({ email, password })).data.session!
    for (const [method, path] of routes) {
      const token = path.startsWith('/admin') || path === '/invite' ? stack.serviceRoleKey : session.access_token
      for (const body of bodies) {
        const headers = { authorization: `Bearer ${token}`, ...versioned }
        const res = await authFetch(path, { method, body, headers })
        const text = await res.text()
        const outcome = { method, path, body, status: res.status }
        expect(outcome.status, JSON.stringify(outcome)).toBeLessThan(500)
        if (res.status >= 400) expect(JSON.parse(text).code, JSON.stringify(outcome)).toBeTypeOf('string')
      }
    }
  })
})

describe('tokens the auth API refuses', () => {
  const someone = '7d6c4e1a-0000-4000-8000-000000000001'
  const now = () => Math.floor(Date.now() / 1000)
  const cases: [string, () => Promise<string | undefined>, number, string][] = [
    ['no token at all', async () => undefined, 401, 'no_authorization'],
    ['a malformed token', async () => 'not.a.jwt', 403, 'bad_jwt'],
    ['an expired token', () => userToken(someone, { exp: now() - 120 }), 403, 'bad_jwt'],
    ['a token signed with another secret', () => signJwt('a-different-secret-of-enough-length-123', {
      sub: someone, role: 'authenticated', exp: now() + 60 }), 403, 'bad_jwt'],
    ['the anon key (no user in it)', async () => stack.anonKey, 403, 'bad_jwt'],
    ['an unsigned token (alg none)', async () => [
      Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url'),
      Buffer.from(JSON.stringify({ sub: someone, role: 'service_role', exp: now() + 60 })).toString('base64url'),
      ''].join('.'), 403, 'bad_jwt'],
  ]

  it.each(cases)('answers GET /user with %s', async (_, token, status, code) => {
    const value = await token()
    const res = await fetch(`${stack.apiUrl}/auth/v1/user`, {
      headers: value ? { authorization: `Bearer ${value}`, ...versioned } : versioned,
    })
    expect(res.status).toBe(status)
    expect((await res.json()).code).toBe(code)
  })

  it('says user_not_found for a well-signed token of a user who does not exist', async () => {
    const token = await userToken('7d6c4e1a-0000-4000-8000-0000000000ff')
    const res = await authFetch('/user', { headers: { authorization: `Bearer ${token}`, ...versioned } })
    expect(res.status).toBe(403)
    expect((await res.json()).code).toBe('user_not_found')
  })

  it.each([
    ['the anon key', () => stack.anonKey],
    ['a signed-in user', async () => {
      const { email } = await confirmedUser()
      return (await anonClient().auth.signInWithPassword({ email, password })).data.session!.access_token
    }],
  ])('keeps %s out of the admin routes', async (_, token) => {
    const bearer = await token()
    for (const [method, path] of [['GET', '/admin/users'], ['POST', '/admin/users'], ['POST', '/invite'],
      ['POST', '/admin/generate_link']]) {
      const res = await authFetch(path, { method, body: method === 'POST' ? '{}' : undefined,
        headers: { authorization: `Bearer ${bearer}`, ...versioned } })
      const outcome = { path, status: res.status, code: (await res.json()).code }
      expect(outcome).toEqual({ path, status: 403, code: 'not_admin' })
    }
  })

  it('lets the opaque secret key in like the service-role key', async () => {
    const res = await fetch(`${stack.apiUrl}/auth/v1/admin/users?per_page=1`, {
      headers: { apikey: stack.secretKey },
    })
    expect(res.status).toBe(200)
  })
})

describe('sign-ins that are switched off or broken', () => {
  it('refuses anonymous sign-ins, which the CLI leaves off', async () => {
    const { error } = await anonClient().auth.signInAnonymously()
    expect(error).toMatchObject({ status: 422, code: 'anonymous_provider_disabled' })
  })

  it('redirects a mail link with an unknown type or token to the site with the error', async () => {
    for (const query of ['token=abc&type=nonsense', 'type=recovery', 'token=' + 'a'.repeat(56) + '&type=signup']) {
      const res = await fetch(`${stack.apiUrl}/auth/v1/verify?${query}&redirect_to=https://evil.example/`,
        { redirect: 'manual' })
      expect(res.status).toBe(303)
      const location = new URL(res.headers.get('location')!)
      expect(location.origin).toBe('http://localhost:3000')
      expect(new URLSearchParams(location.hash.slice(1)).get('error_code')).toBe('otp_expired')
    }
  })
})

describe('service endpoints', () => {
  it('answers /health, /settings and an empty JWKS for HS256', async () => {
    const health = await fetch(`${stack.apiUrl}/auth/v1/health`)
    expect(await health.json()).toMatchObject({ name: 'GoTrue' })
    const settings = await authFetch('/settings')
    expect(await settings.json()).toMatchObject({ external: { email: true, phone: true, google: false },
      disable_signup: false, mailer_autoconfirm: true })
    const jwks = await fetch(`${stack.apiUrl}/auth/v1/.well-known/jwks.json`)
    expect(await jwks.json()).toEqual({ keys: [] })
  })
})
