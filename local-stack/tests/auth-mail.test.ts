import { describe, expect, it } from 'vitest'
import { sql, stack } from './support.ts'
import {
  anonClient, authFetch, confirmedUser, lastMessage, mailTo, newEmail, newPhone, password, sessionClient,
} from './auth-helpers.ts'

const newPassword = 'a brand new password'

/** Follows a mail link without following its redirect. */
async function openLink(link: string) {
  const res = await fetch(link, { redirect: 'manual' })
  return { status: res.status, location: new URL(res.headers.get('location')!) }
}

describe('password recovery by e-mail', () => {
  it('works end to end with the code from the mail', async () => {
    const { email } = await confirmedUser()
    const client = sessionClient()
    const redirectTo = 'http://localhost:3000/account/password'
    const { error } = await client.auth.resetPasswordForEmail(email, { redirectTo })
    expect(error).toBeNull()

    const mail = await lastMessage(email)
    expect(mail).toMatchObject({ kind: 'email', subject: 'Reset your password',
      meta: { type: 'recovery', redirect_to: 'http://localhost:3000/account/password' } })
    expect(mail.text).toContain(mail.meta.otp)
    expect(mail.text).toContain(mail.meta.link!)
    expect(mail.meta.link).toBe(`${stack.apiUrl}/auth/v1/verify?token=${mail.meta.token_hash}&type=recovery`
      + `&redirect_to=${encodeURIComponent('http://localhost:3000/account/password')}`)

    const verified = await client.auth.verifyOtp({ email, token: mail.meta.otp, type: 'recovery' })
    expect(verified.error).toBeNull()
    expect((await client.auth.updateUser({ password: newPassword })).error).toBeNull()
    const signIn = await anonClient().auth.signInWithPassword({ email, password: newPassword })
    expect(signIn.error).toBeNull()
    const old = await anonClient().auth.signInWithPassword({ email, password })
    expect(old.error?.code).toBe('invalid_credentials')
  })

  it('keeps only a hash of the code in the database', async () => {
    const { email, id } = await confirmedUser()
    await anonClient().auth.resetPasswordForEmail(email)
    const mail = await lastMessage(email)
    const { rows } = await sql(`select u.recovery_token, t.token_hash, t.relates_to from auth.users u
      join auth.one_time_tokens t on t.user_id = u.id where u.id = $1`, [id])
    const hash = mail.meta.token_hash
    expect(rows).toEqual([{ recovery_token: hash, token_hash: hash, relates_to: email }])
    expect(mail.meta.token_hash).toMatch(/^[0-9a-f]{56}$/)
    expect(JSON.stringify(rows)).not.toContain(mail.meta.otp)
  })

  it('answers {} and sends nothing for an unknown address', async () => {
    const email = newEmail('stranger')
    const { data, error } = await anonClient().auth.resetPasswordForEmail(email)
    expect(error).toBeNull()
    expect(data).toEqual({})
    expect(await mailTo(email)).toEqual([])
  })

  it('redirects the mail link with the session in the fragment (implicit flow)', async () => {
    const { email, id } = await confirmedUser()
    await anonClient().auth.resetPasswordForEmail(email, { redirectTo: 'http://127.0.0.1:3000/reset' })
    const { status, location } = await openLink((await lastMessage(email)).meta.link!)
    expect(status).toBe(303)
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:3000/reset')
    const fragment = new URLSearchParams(location.hash.slice(1))
    expect(fragment.get('type')).toBe('recovery')
    expect(fragment.get('token_type')).toBe('bearer')
    const { data } = await anonClient().auth.getUser(fragment.get('access_token')!)
    expect(data.user?.id).toBe(id)
  })

  it('works a link only once', async () => {
    const { email } = await confirmedUser()
    await anonClient().auth.resetPasswordForEmail(email)
    const link = (await lastMessage(email)).meta.link!
    await openLink(link)
    const { location } = await openLink(link)
    const fragment = new URLSearchParams(location.hash.slice(1))
    expect(fragment.get('error_code')).toBe('otp_expired')
    expect(fragment.get('access_token')).toBeNull()
  })

  it('gives an auth code to exchange when the client uses PKCE', async () => {
    const { email, id } = await confirmedUser()
    const client = sessionClient({ flowType: 'pkce' })
    await client.auth.resetPasswordForEmail(email, { redirectTo: 'http://localhost:3000/reset' })
    const mail = await lastMessage(email)
    expect(mail.meta.token_hash).toMatch(/^pkce_/)
    const { location } = await openLink(mail.meta.link!)
    const code = location.searchParams.get('code')
    expect(code).toBeTruthy()
    const { data, error } = await client.auth.exchangeCodeForSession(code!)
    expect(error).toBeNull()
    expect(data.user?.id).toBe(id)
    const reuse = await authFetch('/token?grant_type=pkce', { method: 'POST',
      body: JSON.stringify({ auth_code: code, code_verifier: 'x'.repeat(43) }) })
    expect(reuse.status).toBe(404)
  })

  it.each([
    ['a foreign site', 'https://evil.example/steal', 'http://localhost:3000/'],
    ['a javascript: URL', 'javascript:alert(1)', 'http://localhost:3000/'],
    ['the site URL', 'http://localhost:3000/welcome', 'http://localhost:3000/welcome'],
    ['another loopback port', 'http://localhost:5173/x', 'http://localhost:5173/x'],
  ])('sends links to %s only if allowed', async (_, requested, expected) => {
    const { email } = await confirmedUser()
    await anonClient().auth.resetPasswordForEmail(email, { redirectTo: requested })
    const mail = await lastMessage(email)
    expect(new URL(mail.meta.redirect_to!).toString()).toBe(expected)
  })
})

describe('one-time codes', () => {
  it('sign an existing user in by e-mail code and by the magic link hash', async () => {
    const { email, id } = await confirmedUser()
    await anonClient().auth.signInWithOtp({ email })
    const byCode = await lastMessage(email)
    expect(byCode.meta.type).toBe('magiclink')
    const { data, error } = await anonClient().auth.verifyOtp({ email, token: byCode.meta.otp, type: 'email' })
    expect(error).toBeNull()
    expect(data.session?.user.id).toBe(id)

    await new Promise(r => setTimeout(r, 1100))
    await anonClient().auth.signInWithOtp({ email })
    const byHash = await lastMessage(email)
    const viaHash = await anonClient().auth.verifyOtp({ token_hash: byHash.meta.token_hash, type: 'magiclink' })
    expect(viaHash.data.user?.id).toBe(id)
  })

  it('create and confirm a new user by e-mail code, unless create_user is false', async () => {
    const email = newEmail('newcomer')
    const refused = await anonClient().auth.signInWithOtp({ email, options: { shouldCreateUser: false } })
    expect(refused.error).toMatchObject({ status: 422, code: 'otp_disabled' })

    await anonClient().auth.signInWithOtp({ email, options: { data: { full_name: 'Nils' } } })
    const mail = await lastMessage(email)
    expect(mail.meta.type).toBe('signup')
    const { data } = await anonClient().auth.verifyOtp({ email, token: mail.meta.otp, type: 'email' })
    expect(data.user).toMatchObject({ email, user_metadata: { full_name: 'Nils', email_verified: true } })
    expect(data.user?.email_confirmed_at).toBeTruthy()
  })

  it('sign in by SMS code through the mailbox', async () => {
    const phone = newPhone()
    const { data: sent, error } = await anonClient().auth.signInWithOtp({ phone: `+${phone}` })
    expect(error).toBeNull()
    expect(sent.messageId).toBeTruthy()
    const sms = await lastMessage(`+${phone}`)
    expect(sms).toMatchObject({ kind: 'sms', text: `Your code is ${sms.meta.otp}`, meta: { type: 'sms' } })
    const { data } = await anonClient().auth.verifyOtp({ phone: `+${phone}`, token: sms.meta.otp, type: 'sms' })
    expect(data.user?.phone).toBe(phone)
    expect(data.user?.phone_confirmed_at).toBeTruthy()
  })

  it.each([
    ['a wrong code', async (email: string) => ({ email, token: '000000', type: 'email' as const })],
    ['a code for another address', async () => ({ email: newEmail(), token: '123456', type: 'email' as const })],
    ['an unknown hash', async () => ({ token_hash: 'f'.repeat(56), type: 'email' as const })],
  ])('refuse %s with otp_expired', async (_, params) => {
    const { email } = await confirmedUser()
    await anonClient().auth.signInWithOtp({ email })
    const { error } = await anonClient().auth.verifyOtp(await params(email))
    expect(error).toMatchObject({ status: 403, code: 'otp_expired' })
  })

  it('refuse a code past its lifetime', async () => {
    const { email, id } = await confirmedUser()
    await anonClient().auth.signInWithOtp({ email })
    const { otp } = (await lastMessage(email)).meta
    await sql(`update auth.users set recovery_sent_at = now() - interval '2 hours' where id = $1`, [id])
    const { error } = await anonClient().auth.verifyOtp({ email, token: otp, type: 'email' })
    expect(error?.code).toBe('otp_expired')
  })

  it('limit how often a code is sent, then resend', async () => {
    const phone = newPhone()
    await anonClient().auth.signUp({ phone: `+${phone}`, password })
    await sql('update auth.users set phone_confirmed_at = null where phone = $1', [phone])
    const first = await anonClient().auth.resend({ type: 'sms', phone: `+${phone}` })
    expect(first.error).toBeNull()
    const tooSoon = await anonClient().auth.resend({ type: 'sms', phone: `+${phone}` })
    expect(tooSoon.error).toMatchObject({ status: 429, code: 'over_sms_send_rate_limit' })
    expect(await mailTo(`+${phone}`)).toHaveLength(1)
  })
})

describe('resending', () => {
  it('sends the e-mail change confirmations again', async () => {
    const { email } = await confirmedUser()
    const client = sessionClient()
    await client.auth.signInWithPassword({ email, password })
    const next = newEmail('resent')
    await client.auth.updateUser({ email: next })
    await sql(`update auth.users set email_change_sent_at = now() - interval '1 minute' where email = $1`, [email])
    const { error } = await anonClient().auth.resend({ type: 'email_change', email })
    expect(error).toBeNull()
    expect(await mailTo(next)).toHaveLength(2)
    const newest = await lastMessage(next)
    const done = await anonClient().auth.verifyOtp({ email: next, token: newest.meta.otp, type: 'email_change' })
    expect(done.data.session).toBeNull()
  })

  it('sends nothing for a confirmed sign-up, and says nothing about it', async () => {
    const { email } = await confirmedUser()
    const { data, error } = await anonClient().auth.resend({ type: 'signup', email })
    expect(error).toBeNull()
    expect(data).toMatchObject({ user: null, session: null })
    expect(await mailTo(email)).toEqual([])
  })
})

describe('changing e-mail and phone', () => {
  it('asks both addresses to confirm an e-mail change before it happens', async () => {
    const { email } = await confirmedUser()
    const client = sessionClient()
    await client.auth.signInWithPassword({ email, password })
    const next = newEmail('moved')
    const { data, error } = await client.auth.updateUser({ email: next })
    expect(error).toBeNull()
    expect(data.user).toMatchObject({ email, new_email: next })

    const toNew = await lastMessage(next)
    const toOld = await lastMessage(email)
    expect([toNew.meta.type, toOld.meta.type]).toEqual(['email_change', 'email_change'])
    const half = await anonClient().auth.verifyOtp({ token_hash: toNew.meta.token_hash, type: 'email_change' })
    expect(half.data.session).toBeNull()
    expect((await client.auth.getUser()).data.user?.email).toBe(email)

    const done = await anonClient().auth.verifyOtp({ email, token: toOld.meta.otp, type: 'email_change' })
    expect(done.error).toBeNull()
    expect(done.data.user?.email).toBe(next)
    expect((await anonClient().auth.signInWithPassword({ email: next, password })).error).toBeNull()
  })

  it('refuses an e-mail another user already has', async () => {
    const taken = await confirmedUser()
    const { email } = await confirmedUser()
    const client = sessionClient()
    await client.auth.signInWithPassword({ email, password })
    const { error } = await client.auth.updateUser({ email: taken.email })
    expect(error).toMatchObject({ status: 422, code: 'email_exists' })
  })

  it('changes the phone after the SMS code', async () => {
    const { email } = await confirmedUser()
    const client = sessionClient()
    await client.auth.signInWithPassword({ email, password })
    const phone = newPhone()
    await client.auth.updateUser({ phone: `+${phone}` })
    const sms = await lastMessage(`+${phone}`)
    expect(sms.meta.type).toBe('phone_change')
    const { data, error } = await client.auth.verifyOtp({
      phone: `+${phone}`, token: sms.meta.otp, type: 'phone_change',
    })
    expect(error).toBeNull()
    expect(data.user?.phone).toBe(phone)
    expect((await anonClient().auth.signInWithPassword({ phone: `+${phone}`, password })).error).toBeNull()
  })

  it('merges metadata key by key and deletes keys set to null', async () => {
    const { email } = await confirmedUser({ full_name: 'Kari', locale: 'nb', pronouns: 'hun' })
    const client = sessionClient()
    await client.auth.signInWithPassword({ email, password })
    const { data } = await client.auth.updateUser({ data: { locale: 'en', pronouns: null } })
    expect(data.user?.user_metadata).toMatchObject({ full_name: 'Kari', locale: 'en' })
    expect(data.user?.user_metadata).not.toHaveProperty('pronouns')
  })

  it('ends the other sessions when the password changes, and refuses the same password', async () => {
    const { email } = await confirmedUser()
    const here = sessionClient()
    const elsewhere = sessionClient()
    await here.auth.signInWithPassword({ email, password })
    await elsewhere.auth.signInWithPassword({ email, password })
    const same = await here.auth.updateUser({ password })
    expect(same.error).toMatchObject({ status: 422, code: 'same_password' })
    expect((await here.auth.updateUser({ password: newPassword })).error).toBeNull()
    expect((await here.auth.getUser()).error).toBeNull()
    expect((await elsewhere.auth.getUser()).error?.name).toBe('AuthSessionMissingError')
  })

  it('takes a reauthentication code as nonce, once, and refuses a wrong one', async () => {
    const { email } = await confirmedUser()
    const client = sessionClient()
    await client.auth.signInWithPassword({ email, password })
    expect((await client.auth.reauthenticate()).error).toBeNull()
    const mail = await lastMessage(email)
    expect(mail).toMatchObject({ subject: 'Confirm it is you', meta: { type: 'reauthentication' } })

    const wrongNonce = mail.meta.otp === '000000' ? '111111' : '000000'
    const wrong = await client.auth.updateUser({ password: newPassword, nonce: wrongNonce })
    expect(wrong.error).toMatchObject({ status: 422, code: 'reauthentication_not_valid' })
    expect((await client.auth.updateUser({ password: newPassword, nonce: mail.meta.otp })).error).toBeNull()
    const again = await client.auth.updateUser({ data: { x: 1 }, nonce: mail.meta.otp })
    expect(again.error?.code).toBe('reauthentication_not_valid')
  })
})
