import { describe, expect, it } from 'vitest'
import { sql, stack } from './support.ts'
import {
  anonClient, authFetch, confirmedUser, lastMessage, newEmail, newPhone, password, serviceClient, sessionClient,
} from './auth-helpers.ts'

const admin = () => serviceClient().auth.admin

describe('inviting a relative', () => {
  it('goes invite → mail link → set a password → sign in', async () => {
    const email = newEmail('invited')
    const { data, error } = await admin().inviteUserByEmail(email, {
      data: { full_name: 'Ingrid' }, redirectTo: 'http://localhost:3000/invitation',
    })
    expect(error).toBeNull()
    expect(data.user).toMatchObject({ email, user_metadata: { full_name: 'Ingrid' } })
    expect(data.user?.invited_at).toBeTruthy()
    expect(data.user?.email_confirmed_at).toBeUndefined()

    const mail = await lastMessage(email)
    // The subject is the project's own (supabase/config.toml); see auth-templates.test.ts.
    expect(mail).toMatchObject({ meta: { type: 'invite' } })
    const client = sessionClient()
    const verified = await client.auth.verifyOtp({ token_hash: mail.meta.token_hash, type: 'invite' })
    expect(verified.error).toBeNull()
    expect(verified.data.user?.email_confirmed_at).toBeTruthy()
    expect((await client.auth.updateUser({ password })).error).toBeNull()
    const signIn = await anonClient().auth.signInWithPassword({ email, password })
    expect(signIn.data.user?.id).toBe(data.user?.id)
  })

  it('refuses to invite someone who already has an account', async () => {
    const { email } = await confirmedUser()
    const { error } = await admin().inviteUserByEmail(email)
    expect(error).toMatchObject({ status: 422, code: 'email_exists' })
  })
})

describe('managing users', () => {
  it('creates a confirmed user with metadata, then gets, updates and deletes it', async () => {
    const email = newEmail('staff')
    const created = await admin().createUser({
      email, password, email_confirm: true, user_metadata: { full_name: 'Per' }, app_metadata: { unit: 'Solsikken' },
    })
    expect(created.error).toBeNull()
    const id = created.data.user!.id
    expect(created.data.user?.app_metadata).toEqual({ provider: 'email', providers: ['email'], unit: 'Solsikken' })

    const fetched = await admin().getUserById(id)
    expect(fetched.data.user).toMatchObject({ id, email, user_metadata: { full_name: 'Per' } })

    const updated = await admin().updateUserById(id, { user_metadata: { full_name: 'Per Olsen', title: null },
      app_metadata: { unit: 'Fjellro' } })
    expect(updated.data.user?.user_metadata.full_name).toBe('Per Olsen')
    expect(updated.data.user?.app_metadata.unit).toBe('Fjellro')

    expect((await admin().deleteUser(id)).error).toBeNull()
    expect((await admin().getUserById(id)).error).toMatchObject({ status: 404, code: 'user_not_found' })
    const { rows } = await sql('select count(*)::int as n from auth.identities where user_id = $1', [id])
    expect(rows[0].n).toBe(0)
  })

  it('creates a phone user who can sign in once phone_confirm is set', async () => {
    const phone = newPhone()
    const { data } = await admin().createUser({ phone, password, phone_confirm: true })
    expect(data.user?.phone).toBe(phone)
    expect((await anonClient().auth.signInWithPassword({ phone, password })).error).toBeNull()
  })

  it('refuses an e-mail or phone another user has, creating nothing', async () => {
    const { email } = await confirmedUser()
    const byEmail = await admin().createUser({ email, password })
    expect(byEmail.error).toMatchObject({ status: 422, code: 'email_exists' })
    const phone = newPhone()
    await admin().createUser({ phone, password })
    const byPhone = await admin().createUser({ phone, password, email: newEmail() })
    expect(byPhone.error).toMatchObject({ status: 422, code: 'phone_exists' })
    const { rows } = await sql('select count(*)::int as n from auth.users where phone = $1', [phone])
    expect(rows[0].n).toBe(1)
  })

  it('lists users newest first with paging headers', async () => {
    await Promise.all([confirmedUser(), confirmedUser(), confirmedUser()])
    const res = await authFetch('/admin/users?page=1&per_page=2', {
      headers: { authorization: `Bearer ${stack.serviceRoleKey}` },
    })
    const total = Number(res.headers.get('x-total-count'))
    expect(total).toBeGreaterThanOrEqual(3)
    expect(res.headers.get('link')).toContain('</admin/users?page=2&per_page=2>; rel="next"')
    const body = await res.json()
    expect(body.users).toHaveLength(2)
    expect(body.aud).toBe('authenticated')
    expect(body.users[0].created_at >= body.users[1].created_at).toBe(true)

    const { data } = await admin().listUsers({ page: 1, perPage: 2 })
    expect(data.users).toHaveLength(2)
    expect(data.nextPage).toBe(2)
    // Other test files add users meanwhile, so the total can only have grown.
    expect(data.total).toBeGreaterThanOrEqual(total)
  })

  it('bans a user: sign-in is refused and existing sessions end; lifting the ban lets them back', async () => {
    const { email, id } = await confirmedUser()
    const client = sessionClient()
    await client.auth.signInWithPassword({ email, password })
    const banned = await admin().updateUserById(id, { ban_duration: '24h' })
    expect(banned.data.user?.banned_until).toBeTruthy()
    expect((await anonClient().auth.signInWithPassword({ email, password })).error)
      .toMatchObject({ status: 400, code: 'user_banned' })
    expect((await client.auth.getUser()).error).not.toBeNull()

    await admin().updateUserById(id, { ban_duration: 'none' })
    expect((await anonClient().auth.signInWithPassword({ email, password })).error).toBeNull()
  })

  it('keeps a user that an app table still needs, with GoTrue\'s words', async () => {
    const { id } = await confirmedUser()
    await sql('create table public.auth_test_keeps_user (user_id uuid references auth.users (id))')
    try {
      await sql('insert into public.auth_test_keeps_user values ($1)', [id])
      const { error } = await admin().deleteUser(id)
      expect(error).toMatchObject({ status: 500 })
      expect((await admin().getUserById(id)).data.user?.id).toBe(id)
    }
    finally {
      await sql('drop table public.auth_test_keeps_user')
    }
  })

  it('soft-deletes a user by blanking it', async () => {
    const { email, id } = await confirmedUser()
    expect((await admin().deleteUser(id, true)).error).toBeNull()
    const { rows } = await sql('select email, deleted_at is not null as deleted from auth.users where id = $1', [id])
    expect(rows[0]).toEqual({ email: null, deleted: true })
    expect((await anonClient().auth.signInWithPassword({ email, password })).error?.code).toBe('invalid_credentials')
  })

  it('answers 404 for a user id that is not a UUID (auth-js checks first, so plain fetch)', async () => {
    const res = await authFetch('/admin/users/not-a-uuid%27%3B', {
      headers: { authorization: `Bearer ${stack.serviceRoleKey}` },
    })
    expect(res.status).toBe(404)
    expect(res.headers.get('x-sb-error-code')).toBe('user_not_found')
  })
})

describe('generating links', () => {
  it.each([
    ['signup', { password }, 'signup'],
    ['invite', {}, 'invite'],
  ] as const)('makes a %s link for a new address that verifies', async (type, extra, verificationType) => {
    const email = newEmail(type)
    const { data, error } = await admin().generateLink({ type, email, ...extra } as never)
    expect(error).toBeNull()
    expect(data.properties).toMatchObject({
      verification_type: verificationType, redirect_to: 'http://localhost:3000',
    })
    expect(data.properties?.email_otp).toMatch(/^\d{6}$/)
    expect(data.properties?.action_link).toContain(`token=${data.properties?.hashed_token}`)
    const token = data.properties!.email_otp
    const verified = await anonClient().auth.verifyOtp({ email, token, type: verificationType })
    expect(verified.data.user?.email).toBe(email)
  })

  it.each(['magiclink', 'recovery'] as const)('makes a %s link for an existing user', async (type) => {
    const { email, id } = await confirmedUser()
    const { data } = await admin().generateLink({ type, email })
    expect(data.user?.id).toBe(id)
    const verified = await anonClient().auth.verifyOtp({ token_hash: data.properties!.hashed_token, type })
    expect(verified.data.session?.user.id).toBe(id)
  })

  it('makes an e-mail change link that applies the change', async () => {
    const { email, id } = await confirmedUser()
    const newAddress = newEmail('changed')
    const { data } = await admin().generateLink({ type: 'email_change_new', email, newEmail: newAddress })
    expect(data.properties?.verification_type).toBe('email_change')
    const verified = await anonClient().auth.verifyOtp({
      token_hash: data.properties!.hashed_token, type: 'email_change',
    })
    expect(verified.data.user).toMatchObject({ id, email: newAddress })
  })

  it('answers 404 for a recovery link to an unknown address, and sends no mail for any link', async () => {
    const { error } = await admin().generateLink({ type: 'recovery', email: newEmail('ghost') })
    expect(error).toMatchObject({ status: 404, code: 'user_not_found' })
    const email = newEmail('quiet')
    await admin().generateLink({ type: 'invite', email })
    const { rows } = await sql(`select count(*)::int as n from _local_stack.mailbox where recipient = $1`, [email])
    expect(rows[0].n).toBe(0)
  })
})
