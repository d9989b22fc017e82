import { z } from 'zod'
import { AuthError, validationFailed } from '../errors.ts'
import { pkceOf, saveFlowState } from '../flow-state.ts'
import { fields, normaliseEmail, normalisePhone, parseBody, readAuthBody } from '../input.ts'
import { sendMail, sendSms, type MailType } from '../mail.ts'
import { issueToken, sentAt, type TokenType } from '../one-time-tokens.ts'
import { assertCanSend, reply, type AuthRequest } from '../route.ts'
import { allowedRedirect } from '../settings.ts'
import { findUserByEmail, findUserByPhone, insertUser, transaction, type UserRow } from '../users.ts'
import type { VerifyType } from '../verification.ts'

const otpBody = z.object({
  email: fields.optionalText,
  phone: fields.optionalText,
  data: fields.metadata,
  create_user: z.boolean().nullish(),
  channel: z.enum(['sms', 'whatsapp']).nullish(),
  code_challenge: fields.optionalText,
  code_challenge_method: fields.optionalText,
})

/** Issues a code (and PKCE state) in one transaction, then mails or texts it. */
async function sendCode(request: AuthRequest, user: UserRow, token: TokenType, mailType: MailType | 'sms',
  pkce?: { challenge: string, method: string }) {
  const { auth, url } = request
  const address = mailType === 'sms' ? user.phone! : user.email!
  assertCanSend(request, sentAt(user, token), mailType === 'sms' ? 'sms' : 'email')
  const issued = await transaction(auth.db, async (client) => {
    const issued = await issueToken(client, user.id, token, address, Boolean(pkce))
    if (pkce && mailType !== 'sms') await saveFlowState(client, user.id, pkce, mailType as VerifyType)
    return issued
  })
  if (mailType === 'sms') {
    return { message_id: await sendSms(auth, address, 'sms', issued.otp, issued.tokenHash) }
  }
  const redirectTo = allowedRedirect(auth.settings, url.searchParams.get('redirect_to'))
  await sendMail(auth, { to: address, type: mailType, ...issued, redirectTo })
  return {}
}

/** POST /otp: a sign-in code by mail (with a magic link) or by text; may create the user. */
export async function otp(request: AuthRequest) {
  const { auth } = request
  const body = parseBody(otpBody, await readAuthBody(request.req))
  if (!body.email && !body.phone) throw validationFailed('An email address or phone number is required')
  const email = body.email ? normaliseEmail(body.email) : undefined
  const phone = !email && body.phone ? normalisePhone(body.phone) : undefined
  const pkce = pkceOf(body)

  let user = email ? await findUserByEmail(auth.db, email) : await findUserByPhone(auth.db, phone!)
  if (!user) {
    if (body.create_user === false) throw new AuthError(422, 'otp_disabled', 'Signups not allowed for otp')
    user = await transaction(auth.db, client => insertUser(client, { email, phone, userMetadata: body.data }))
  }
  if (phone) return reply(request, 200, await sendCode(request, user, 'confirmation_token', 'sms'))
  // A confirmed user gets a magic link (recovery token); a new one a sign-up confirmation, as in GoTrue.
  const result = user.email_confirmed_at
    ? await sendCode(request, user, 'recovery_token', 'magiclink', pkce)
    : await sendCode(request, user, 'confirmation_token', 'signup', pkce)
  reply(request, 200, result)
}

const recoverBody = z.object({
  email: z.string().max(1000),
  code_challenge: fields.optionalText,
  code_challenge_method: fields.optionalText,
})

/** POST /recover: a password-reset mail; answers {} for unknown addresses too. */
export async function recover(request: AuthRequest) {
  const body = parseBody(recoverBody, await readAuthBody(request.req))
  const email = normaliseEmail(body.email)
  const pkce = pkceOf(body)
  const user = await findUserByEmail(request.auth.db, email)
  if (user) await sendCode(request, user, 'recovery_token', 'recovery', pkce)
  reply(request, 200, {})
}

const resendBody = z.object({
  type: z.enum(['signup', 'email_change', 'sms', 'phone_change']),
  email: fields.optionalText,
  phone: fields.optionalText,
})

/** POST /resend: the last confirmation again, for addresses still waiting for one. */
export async function resend(request: AuthRequest) {
  const { auth, url } = request
  const body = parseBody(resendBody, await readAuthBody(request.req))
  const email = body.email ? normaliseEmail(body.email) : undefined
  const phone = body.phone ? normalisePhone(body.phone) : undefined

  if (body.type === 'signup') {
    if (!email) throw validationFailed('An email address is required')
    const user = await findUserByEmail(auth.db, email)
    if (user && !user.email_confirmed_at) await sendCode(request, user, 'confirmation_token', 'signup')
    return reply(request, 200, {})
  }
  if (body.type === 'sms') {
    if (!phone) throw validationFailed('A phone number is required')
    const user = await findUserByPhone(auth.db, phone)
    const sent = user && !user.phone_confirmed_at
      ? await sendCode(request, user, 'confirmation_token', 'sms')
      : {}
    return reply(request, 200, sent)
  }
  if (body.type === 'phone_change') {
    if (!phone) throw validationFailed('A phone number is required')
    const { rows } = await auth.db.query<UserRow>('select * from auth.users where phone_change = $1', [phone])
    if (!rows[0]) return reply(request, 200, {})
    assertCanSend(request, rows[0].phone_change_sent_at, 'sms')
    const issued = await issueToken(auth.db, rows[0].id, 'phone_change_token', phone)
    const messageId = await sendSms(auth, phone, 'phone_change', issued.otp, issued.tokenHash)
    return reply(request, 200, { message_id: messageId })
  }
  if (!email) throw validationFailed('An email address is required')
  const user = await findUserByEmail(auth.db, email)
  if (!user?.email_change) return reply(request, 200, {})
  assertCanSend(request, user.email_change_sent_at, 'email')
  const redirectTo = allowedRedirect(auth.settings, url.searchParams.get('redirect_to'))
  const targets: [TokenType, string][] = [['email_change_token_new', user.email_change]]
  if (auth.settings.secureEmailChange && user.email_change_confirm_status === 0) {
    targets.push(['email_change_token_current', email])
  }
  for (const [token, to] of targets) {
    const issued = await issueToken(auth.db, user.id, token, to)
    await sendMail(auth, { to, type: 'email_change', ...issued, redirectTo, newEmail: user.email_change })
  }
  reply(request, 200, {})
}
