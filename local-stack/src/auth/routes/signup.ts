import { randomUUID } from 'node:crypto'
import { z } from 'zod'
import { checkPassword, hashPassword } from '../codes.ts'
import { AuthError, validationFailed } from '../errors.ts'
import { pkceOf, saveFlowState } from '../flow-state.ts'
import { fields, normaliseEmail, normalisePhone, parseBody, readAuthBody } from '../input.ts'
import { sendMail, sendSms } from '../mail.ts'
import { issueToken } from '../one-time-tokens.ts'
import { reply, type AuthRequest } from '../route.ts'
import { allowedRedirect } from '../settings.ts'
import { startSession } from '../sessions.ts'
import { findUserByEmail, findUserByPhone, insertUser, transaction } from '../users.ts'
import { userJson } from '../user-json.ts'

const signupBody = z.object({
  email: fields.optionalText,
  phone: fields.optionalText,
  password: fields.optionalText,
  data: fields.metadata,
  channel: z.enum(['sms', 'whatsapp']).nullish(),
  code_challenge: fields.optionalText,
  code_challenge_method: fields.optionalText,
})

/**
 * POST /signup. With autoconfirm (the local default) the new user gets a
 * session at once; otherwise a confirmation mail or text goes out.
 */
export async function signup(request: AuthRequest) {
  const { auth, req, url } = request
  const body = parseBody(signupBody, await readAuthBody(req))
  if (!body.email && !body.phone) {
    throw new AuthError(422, 'anonymous_provider_disabled', 'Anonymous sign-ins are disabled')
  }
  if (!body.password) throw validationFailed('Signup requires a valid password')
  checkPassword(auth.settings, body.password)
  const email = body.email ? normaliseEmail(body.email) : undefined
  const phone = !email && body.phone ? normalisePhone(body.phone) : undefined
  const pkce = pkceOf(body)
  const redirectTo = allowedRedirect(auth.settings, url.searchParams.get('redirect_to'))

  const existing = email ? await findUserByEmail(auth.db, email) : await findUserByPhone(auth.db, phone!)
  if (existing) {
    if (auth.settings.autoconfirm) throw new AuthError(422, 'user_already_exists', 'User already registered')
    // With confirmations on GoTrue answers as if it worked, so sign-up cannot be used to probe addresses.
    return reply(request, 200, { ...await userJson(auth.db, existing), id: randomUUID(), identities: [] })
  }

  const passwordHash = await hashPassword(body.password)
  const confirmed = auth.settings.autoconfirm
  const created = await transaction(auth.db, async (client) => {
    const user = await insertUser(client, {
      email, phone, passwordHash, userMetadata: body.data,
      emailConfirmed: confirmed, phoneConfirmed: confirmed,
    })
    if (confirmed) return { user }
    const issued = await issueToken(client, user.id, 'confirmation_token', email ?? phone!, Boolean(pkce))
    if (pkce) await saveFlowState(client, user.id, pkce, 'signup')
    return { user, issued }
  }).catch((error) => {
    if (error instanceof AuthError && (error.code === 'email_exists' || error.code === 'phone_exists')) {
      throw new AuthError(422, 'user_already_exists', 'User already registered')
    }
    throw error
  })
  if (!created.issued) return reply(request, 200, await startSession(auth, created.user, 'password', req))

  const { otp, tokenHash } = created.issued
  if (email) await sendMail(auth, { to: email, type: 'signup', otp, tokenHash, redirectTo })
  else await sendSms(auth, phone!, 'sms', otp, tokenHash)
  const user = (await findUserByEmail(auth.db, email ?? '')) ?? (await findUserByPhone(auth.db, phone ?? ''))
  reply(request, 200, await userJson(auth.db, user!))
}
