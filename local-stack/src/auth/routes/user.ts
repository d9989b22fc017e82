import type pg from 'pg'
import { z } from 'zod'
import type { AuthContext } from '../context.ts'
import { checkPassword, hashPassword, passwordMatches } from '../codes.ts'
import { AuthError } from '../errors.ts'
import { fields, normaliseEmail, normalisePhone, parseBody, readAuthBody } from '../input.ts'
import { sendCodeMail, sendMail, sendSms } from '../mail.ts'
import { clearAllTokens, clearToken, findByCode, issueToken, type IssuedToken } from '../one-time-tokens.ts'
import { assertCanSend, reply, type AuthRequest } from '../route.ts'
import { allowedRedirect } from '../settings.ts'
import { endSessions, requireUser } from '../sessions.ts'
import {
  assertAddressesFree, findUserById, mergeMetadata, millis, transaction, type UserRow,
} from '../users.ts'
import { userJson } from '../user-json.ts'

/** GET /user: the signed-in user. */
export async function getUser(request: AuthRequest) {
  const { user } = await requireUser(request.auth, request.req, request.url)
  reply(request, 200, await userJson(request.auth.db, user))
}

const logoutScopes = z.enum(['local', 'global', 'others'])

/** POST /logout?scope=local|global|others: ends sessions; the JWTs stay valid until they expire. */
export async function logout(request: AuthRequest) {
  const scope = parseBody(logoutScopes, request.url.searchParams.get('scope') ?? 'global')
  const { user, sessionId } = await requireUser(request.auth, request.req, request.url)
  await endSessions(request.auth, user.id, sessionId, scope)
  request.res.writeHead(204).end()
}

const updateBody = z.object({
  email: fields.optionalText,
  phone: fields.optionalText,
  password: fields.optionalText,
  data: fields.metadata,
  nonce: fields.optionalText,
  current_password: fields.optionalText,
  channel: fields.optionalText,
  code_challenge: fields.optionalText,
  code_challenge_method: fields.optionalText,
})

/** GET /reauthenticate: a code to the user's e-mail or phone, which PUT /user takes as `nonce`. */
export async function reauthenticate(request: AuthRequest) {
  const { auth } = request
  const { user } = await requireUser(auth, request.req, request.url)
  const address = user.email || user.phone
  if (!address) throw new AuthError(422, 'reauthentication_not_valid', 'The user has no e-mail or phone.')
  assertCanSend(request, user.reauthentication_sent_at, user.email ? 'email' : 'sms')
  const { otp, tokenHash } = await issueToken(auth.db, user.id, 'reauthentication_token', address)
  if (user.email) await sendCodeMail(auth, address, otp, tokenHash)
  else await sendSms(auth, address, 'reauthentication', otp, tokenHash)
  reply(request, 200, {})
}

/** Uses up a reauthentication code given as `nonce`; refuses a wrong or stale one. */
async function useNonce(auth: AuthContext, client: pg.PoolClient, user: UserRow, nonce: string) {
  const address = user.email || user.phone || ''
  const found = await findByCode(client, address, nonce, ['reauthentication_token'])
  const sent = millis(user.reauthentication_sent_at) ?? 0
  if (found?.userId !== user.id || sent + auth.settings.emailOtpExpiry * 1000 < Date.now()) {
    throw new AuthError(422, 'reauthentication_not_valid', 'Verification code is invalid or has expired.')
  }
  await clearToken(client, user.id, 'reauthentication_token')
}

interface Outgoing { to: string, issued: IssuedToken, kind: 'email_new' | 'email_current' | 'phone' }

/**
 * PUT /user. Metadata and password change at once (other sessions end when
 * the password changes); a new e-mail or phone waits for its confirmation.
 */
export async function updateUser(request: AuthRequest) {
  const { auth, req, url } = request
  const body = parseBody(updateBody, await readAuthBody(req))
  const { user, sessionId } = await requireUser(auth, req, url)
  const email = body.email ? normaliseEmail(body.email) : undefined
  const phone = body.phone ? normalisePhone(body.phone) : undefined
  if (body.password) checkPassword(auth.settings, body.password)
  if (body.password && await passwordMatches(body.password, user.encrypted_password)) {
    throw new AuthError(422, 'same_password', 'New password should be different from the old password.')
  }
  const passwordHash = body.password ? await hashPassword(body.password) : undefined
  const outgoing: Outgoing[] = []

  await transaction(auth.db, async (client) => {
    const current = (await findUserById(client, user.id, true))!
    if (body.nonce) await useNonce(auth, client, current, body.nonce)
    if (body.data) {
      await client.query('update auth.users set raw_user_meta_data = $2, updated_at = now() where id = $1',
        [user.id, mergeMetadata(current.raw_user_meta_data, body.data)])
    }
    if (passwordHash) {
      await client.query('update auth.users set encrypted_password = $2, updated_at = now() where id = $1',
        [user.id, passwordHash])
      await clearAllTokens(client, user.id)
      await client.query('delete from auth.sessions where user_id = $1 and id is distinct from $2::uuid',
        [user.id, sessionId ?? null])
    }
    if (email && email !== current.email) {
      await assertAddressesFree(client, email, undefined, user.id)
      assertCanSend(request, current.email_change_sent_at, 'email')
      await client.query(`update auth.users set email_change = $2, email_change_confirm_status = 0
        where id = $1`, [user.id, email])
      outgoing.push({ to: email, kind: 'email_new',
        issued: await issueToken(client, user.id, 'email_change_token_new', email) })
      if (auth.settings.secureEmailChange && current.email) {
        outgoing.push({ to: current.email, kind: 'email_current',
          issued: await issueToken(client, user.id, 'email_change_token_current', current.email) })
      }
    }
    if (phone && phone !== current.phone) {
      await assertAddressesFree(client, undefined, phone, user.id)
      assertCanSend(request, current.phone_change_sent_at, 'sms')
      await client.query('update auth.users set phone_change = $2 where id = $1', [user.id, phone])
      const issued = await issueToken(client, user.id, 'phone_change_token', phone)
      outgoing.push({ to: phone, kind: 'phone', issued })
    }
  })

  const redirectTo = allowedRedirect(auth.settings, url.searchParams.get('redirect_to'))
  for (const { to, issued, kind } of outgoing) {
    if (kind === 'phone') await sendSms(auth, to, 'phone_change', issued.otp, issued.tokenHash)
    else await sendMail(auth, { to, type: 'email_change', ...issued, redirectTo, newEmail: email })
  }
  reply(request, 200, await userJson(auth.db, (await findUserById(auth.db, user.id))!))
}
