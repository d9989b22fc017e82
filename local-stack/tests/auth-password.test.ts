import { describe, expect, it } from 'vitest'
import { decodeJwt } from 'jose'
import { verifyJwt } from '../src/jwt.ts'
import { sql, stack } from './support.ts'
import {
  anonClient, authFetch, confirmedUser, newEmail, newPhone, password, serviceClient, sessionClient,
} from './auth-helpers.ts'

describe('signing up and in with a password', () => {
  it('gives a new e-mail user a session at once, like the CLI with autoconfirm', async () => {
    const email = newEmail('Relative')
    const options = { data: { full_name: 'Kari Nordmann' } }
    const { data, error } = await anonClient().auth.signUp({ email, password, options })
    expect(error).toBeNull()
    expect(data.session?.access_token).toBeTruthy()
    expect(data.user?.email).toBe(email.toLowerCase())
    expect(data.user?.email_confirmed_at).toBeTruthy()
    expect(data.user?.user_metadata).toMatchObject({ full_name: 'Kari Nordmann', email_verified: true })
    expect(data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'] })
    expect(data.user?.identities?.[0]).toMatchObject({ provider: 'email', id: data.user?.id })
  })

  it('stores the user, its identity and only a bcrypt hash of the password', async () => {
    const email = newEmail()
    const { data } = await anonClient().auth.signUp({ email, password })
    const { rows } = await sql(`select u.encrypted_password, i.provider, i.identity_data ->> 'email' as email
      from auth.users u join auth.identities i on i.user_id = u.id where u.id = $1`, [data.user!.id])
    expect(rows).toHaveLength(1)
    expect(rows[0].encrypted_password).toMatch(/^\$2[aby]\$10\$/)
    expect(rows[0]).toMatchObject({ provider: 'email', email })
  })

  it('refuses a second sign-up with the same address', async () => {
    const email = newEmail()
    await anonClient().auth.signUp({ email, password })
    const { error } = await anonClient().auth.signUp({ email: email.toUpperCase(), password })
    expect(error).toMatchObject({ status: 422, code: 'user_already_exists', message: 'User already registered' })
  })

  it('lets exactly one of several simultaneous sign-ups with one address win', async () => {
    const email = newEmail('race')
    const results = await Promise.all(Array.from({ length: 5 }, () => anonClient().auth.signUp({ email, password })))
    expect(results.filter(r => r.error === null)).toHaveLength(1)
    expect(new Set(results.filter(r => r.error).map(r => r.error?.code))).toEqual(new Set(['user_already_exists']))
    const { rows } = await sql(`select (select count(*)::int from auth.users where email = $1) as users,
      (select count(*)::int from auth.identities where email = $1) as identities`, [email])
    expect(rows[0]).toEqual({ users: 1, identities: 1 })
  })

  it('refuses a password shorter than six characters and leaves no user behind', async () => {
    const email = newEmail()
    const { error } = await anonClient().auth.signUp({ email, password: 'abc' })
    expect(error).toMatchObject({ status: 422, code: 'weak_password' })
    const { rows } = await sql('select count(*)::int as n from auth.users where email = $1', [email])
    expect(rows[0].n).toBe(0)
  })

  it('signs in with e-mail and password', async () => {
    const { email, id } = await confirmedUser()
    const { data, error } = await anonClient().auth.signInWithPassword({ email, password })
    expect(error).toBeNull()
    expect(data.user?.id).toBe(id)
    expect(data.session?.refresh_token).toMatch(/^[A-Za-z0-9]{12}$/)
    expect(data.session?.expires_in).toBe(3600)
  })

  it('signs in with phone and password, storing the number without +', async () => {
    const phone = newPhone()
    const signUp = await anonClient().auth.signUp({ phone: `+${phone}`, password })
    expect(signUp.error).toBeNull()
    expect(signUp.data.user?.phone).toBe(phone)
    const { data, error } = await anonClient().auth.signInWithPassword({ phone: `+${phone}`, password })
    expect(error).toBeNull()
    expect(data.user?.phone).toBe(phone)
    expect(data.user?.app_metadata.provider).toBe('phone')
  })

  it.each([
    ['a wrong password', async (email: string) => ({ email, password: 'wrong password' })],
    ['an unknown address', async () => ({ email: newEmail('nobody'), password })],
  ])('answers %s with invalid_credentials', async (_, credentials) => {
    const { email } = await confirmedUser()
    const { data, error } = await anonClient().auth.signInWithPassword(await credentials(email))
    expect(data.session).toBeNull()
    expect(error).toMatchObject({ status: 400, code: 'invalid_credentials', message: 'Invalid login credentials' })
  })

  it('refuses an unconfirmed e-mail user made by an admin', async () => {
    const email = newEmail()
    await serviceClient().auth.admin.createUser({ email, password })
    const { error } = await anonClient().auth.signInWithPassword({ email, password })
    expect(error).toMatchObject({ status: 400, code: 'email_not_confirmed' })
  })

  it('lets many people sign in at the same time, each with their own session', async () => {
    const users = await Promise.all(Array.from({ length: 4 }, () => confirmedUser()))
    const results = await Promise.all(users.flatMap(({ email }) =>
      [1, 2].map(() => anonClient().auth.signInWithPassword({ email, password }))))
    expect(results.map(r => r.error)).toEqual(results.map(() => null))
    const sessions = new Set(results.map(r => decodeJwt(r.data.session!.access_token).session_id))
    expect(sessions.size).toBe(8)
  })
})

describe('the access token', () => {
  it('carries the claims GoTrue issues, signed with the stack secret', async () => {
    const { email, id } = await confirmedUser({ full_name: 'Ola' })
    const { data } = await anonClient().auth.signInWithPassword({ email, password })
    const claims = await verifyJwt(stack.jwtSecret, data.session!.access_token)
    expect(claims).toMatchObject({
      iss: `${stack.apiUrl}/auth/v1`, sub: id, aud: 'authenticated', role: 'authenticated', email, phone: '',
      aal: 'aal1', is_anonymous: false, app_metadata: { provider: 'email', providers: ['email'] },
      user_metadata: { full_name: 'Ola' },
    })
    expect(claims.exp! - (claims.iat as number)).toBe(3600)
    expect(claims.amr).toEqual([{ method: 'password', timestamp: expect.any(Number) }])
    const { rows } = await sql('select user_id from auth.sessions where id = $1', [claims.session_id])
    expect(rows[0].user_id).toBe(id)
  })

  it('makes auth.uid() in Postgres the signed-in user', async () => {
    const { email, id } = await confirmedUser()
    const { data } = await anonClient().auth.signInWithPassword({ email, password })
    const claims = await verifyJwt(stack.jwtSecret, data.session!.access_token)
    const { rows } = await sql(`select set_config('request.jwt.claims', $1, false),
      set_config('role', 'authenticated', false), auth.uid()::text as uid, auth.role() as role,
      auth.email() as email`, [JSON.stringify(claims)])
    expect(rows[0]).toMatchObject({ uid: id, role: 'authenticated', email })
  })
})

describe('refresh tokens', () => {
  it('rotate: each refresh gives a new token and the session stays the same', async () => {
    const { email } = await confirmedUser()
    const client = sessionClient()
    const { data: first } = await client.auth.signInWithPassword({ email, password })
    const { data, error } = await client.auth.refreshSession()
    expect(error).toBeNull()
    expect(data.session!.refresh_token).not.toBe(first.session!.refresh_token)
    expect(decodeJwt(data.session!.access_token).session_id).toBe(decodeJwt(first.session!.access_token).session_id)
    expect(decodeJwt(data.session!.access_token).amr).toEqual(decodeJwt(first.session!.access_token).amr)
  })

  it('accept a just-used token again inside the reuse window', async () => {
    const { email } = await confirmedUser()
    const { data: signIn } = await anonClient().auth.signInWithPassword({ email, password })
    const token = signIn.session!.refresh_token
    const once = await anonClient().auth.refreshSession({ refresh_token: token })
    const again = await anonClient().auth.refreshSession({ refresh_token: token })
    expect(again.error).toBeNull()
    expect(again.data.session!.refresh_token).toBe(once.data.session!.refresh_token)
  })

  it('end the whole session when an old token is reused after the window', async () => {
    const { email } = await confirmedUser()
    const { data: signIn } = await anonClient().auth.signInWithPassword({ email, password })
    const stolen = signIn.session!.refresh_token
    const second = await anonClient().auth.refreshSession({ refresh_token: stolen })
    const third = await anonClient().auth.refreshSession({ refresh_token: second.data.session!.refresh_token })
    // Ageing the revoked token stands in for waiting out the 10-second window.
    await sql(`update auth.refresh_tokens set updated_at = now() - interval '1 minute' where token = $1`, [stolen])

    const reused = await anonClient().auth.refreshSession({ refresh_token: stolen })
    expect(reused.error).toMatchObject({ status: 400, code: 'refresh_token_already_used' })
    const rightful = await anonClient().auth.refreshSession({ refresh_token: third.data.session!.refresh_token })
    expect(rightful.error).toMatchObject({ status: 400, code: 'refresh_token_not_found' })
  })

  it('survive two tabs refreshing the same token at once', async () => {
    const { email } = await confirmedUser()
    const { data: signIn } = await anonClient().auth.signInWithPassword({ email, password })
    const token = signIn.session!.refresh_token
    const results = await Promise.all([1, 2, 3].map(() => anonClient().auth.refreshSession({ refresh_token: token })))
    expect(results.map(r => r.error)).toEqual([null, null, null])
    const { rows } = await sql(`select count(*)::int as live from auth.refresh_tokens
      where session_id = $1 and not revoked`, [decodeJwt(signIn.session!.access_token).session_id])
    expect(rows[0].live).toBeGreaterThanOrEqual(1)
  })

  it('refuse a token that never existed', async () => {
    const { error } = await anonClient().auth.refreshSession({ refresh_token: 'abcdefghijkl' })
    expect(error).toMatchObject({ status: 400, code: 'refresh_token_not_found' })
  })
})

describe('signing out', () => {
  async function twoSessions() {
    const { email } = await confirmedUser()
    const laptop = sessionClient()
    const phone = sessionClient()
    await laptop.auth.signInWithPassword({ email, password })
    await phone.auth.signInWithPassword({ email, password })
    return { laptop, phone }
  }

  it.each([
    ['local', { laptop: false, phone: true }],
    ['others', { laptop: true, phone: false }],
    ['global', { laptop: false, phone: false }],
  ] as const)('with scope %s ends the right sessions', async (scope, stillSignedIn) => {
    const { laptop, phone } = await twoSessions()
    const laptopToken = (await laptop.auth.getSession()).data.session!.access_token
    const phoneToken = (await phone.auth.getSession()).data.session!.access_token
    const { error } = await laptop.auth.signOut({ scope })
    expect(error).toBeNull()
    const alive = async (token: string) => !(await anonClient().auth.getUser(token)).error
    expect({ laptop: await alive(laptopToken), phone: await alive(phoneToken) }).toEqual(stillSignedIn)
  })

  it('everywhere makes getUser fail with session_not_found while the JWT itself still verifies', async () => {
    const { laptop } = await twoSessions()
    const token = (await laptop.auth.getSession()).data.session!.access_token
    await laptop.auth.signOut({ scope: 'global' })
    const { error } = await anonClient().auth.getUser(token)
    expect(error?.name).toBe('AuthSessionMissingError')
    const res = await authFetch('/user', { headers: { authorization: `Bearer ${token}` } })
    expect(res.status).toBe(403)
    expect(res.headers.get('x-sb-error-code')).toBe('session_not_found')
    // Other services check only the signature and expiry, as on Supabase, until the token expires.
    await expect(verifyJwt(stack.jwtSecret, token)).resolves.toMatchObject({ role: 'authenticated' })
  })
})
