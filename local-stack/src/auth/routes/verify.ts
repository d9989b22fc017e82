import { z } from 'zod'
import { AuthError, otpInvalid, validationFailed } from '../errors.ts'
import { releaseAuthCode } from '../flow-state.ts'
import { clientAddress, fields, normaliseEmail, normalisePhone, parseBody, readAuthBody } from '../input.ts'
import { findByCode, findByHash } from '../one-time-tokens.ts'
import { assertAllowed, clearFailures, codeCounters, recordFailure } from '../rate-limits.ts'
import { reply, type AuthRequest } from '../route.ts'
import { allowedRedirect } from '../settings.ts'
import { startSession } from '../sessions.ts'
import { transaction } from '../users.ts'
import {
  applyToken, isOtpError, methodFor, tokenTypesFor, verifyTypes, type VerifyType,
} from '../verification.ts'

const verifyBody = z.object({
  type: z.enum(verifyTypes),
  email: fields.optionalText,
  phone: fields.optionalText,
  token: fields.optionalText,
  token_hash: fields.optionalText,
  redirect_to: fields.optionalText,
})

/**
 * Finds and uses up the token, then signs in; the first half of an e-mail
 * change only answers a message. Wrong codes count towards a rate limit.
 */
async function verify(request: AuthRequest, type: VerifyType, find: () => ReturnType<typeof findByHash>,
  target?: string) {
  const { auth, req } = request
  const counters = codeCounters(auth, target, clientAddress(req))
  await assertAllowed(auth, counters, 'wrong codes')
  const verified = await transaction(auth.db, async (client) => {
    const found = await find()
    if (!found) throw otpInvalid()
    return { ...await applyToken(auth, client, found), pkce: found.tokenHash.startsWith('pkce_') }
  }).catch(async (error) => {
    if (isOtpError(error)) await recordFailure(auth, counters)
    throw error
  })
  if (target) await clearFailures(auth, counters[1])
  if (verified.pending) return { message: verified.pending }
  if (verified.pkce && request.req.method === 'GET') {
    const code = await releaseAuthCode(auth.db, verified.user.id, type)
    if (code) return { code }
  }
  return { session: await startSession(auth, verified.user, methodFor[type], req) }
}

/** POST /verify: a typed code with its e-mail or phone, or the token_hash of a link. */
export async function verifyPost(request: AuthRequest) {
  const body = parseBody(verifyBody, await readAuthBody(request.req))
  const types = tokenTypesFor[body.type]
  const db = request.auth.db
  const target = body.token_hash
    ? undefined
    : body.email ? normaliseEmail(body.email) : body.phone ? normalisePhone(body.phone) : undefined
  if (!body.token_hash && !(body.token && target)) {
    throw validationFailed('Verify requires a token_hash, or a token with an email or phone')
  }
  const find = body.token_hash
    ? () => findByHash(db, body.token_hash!, types)
    : () => findByCode(db, target!, body.token!, types)
  const outcome = await verify(request, body.type, find, target)
  if (outcome.message) return reply(request, 200, { msg: outcome.message, code: 200 })
  reply(request, 200, outcome.session)
}

/**
 * GET /verify?token=…&type=…&redirect_to=…, the link in a mail: answers 303 to
 * the redirect with the session in the fragment (implicit flow), `?code=` in a
 * PKCE flow, or the error in the fragment as GoTrue does.
 */
export async function verifyGet(request: AuthRequest) {
  const { auth, url, res } = request
  const target = new URL(allowedRedirect(auth.settings, url.searchParams.get('redirect_to')))
  const token = url.searchParams.get('token') ?? ''
  const type = url.searchParams.get('type') as VerifyType
  const fragment = new URLSearchParams()
  try {
    if (!verifyTypes.includes(type) || !token) throw otpInvalid()
    const outcome = await verify(request, type, () => findByHash(auth.db, token, tokenTypesFor[type]))
    if (outcome.message) fragment.set('message', outcome.message)
    else if (outcome.code) target.searchParams.set('code', outcome.code)
    else {
      const session = outcome.session!
      fragment.set('access_token', session.access_token)
      fragment.set('expires_at', String(session.expires_at))
      fragment.set('expires_in', String(session.expires_in))
      fragment.set('refresh_token', session.refresh_token)
      fragment.set('token_type', 'bearer')
      fragment.set('type', type)
    }
  }
  catch (error) {
    if (!(error instanceof AuthError)) throw error
    fragment.set('error', isOtpError(error) ? 'access_denied' : 'server_error')
    fragment.set('error_code', String(error.code))
    const description = isOtpError(error) ? 'Email link is invalid or has expired' : error.message
    fragment.set('error_description', description)
  }
  target.hash = fragment.toString()
  res.writeHead(303, { location: target.toString() }).end()
}
