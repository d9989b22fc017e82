import { z } from 'zod'
import { passwordMatches } from '../codes.ts'
import { AuthError, invalidCredentials, validationFailed } from '../errors.ts'
import { exchangeAuthCode } from '../flow-state.ts'
import { clientAddress, normaliseEmail, normalisePhone, parseBody, readAuthBody } from '../input.ts'
import { assertAllowed, clearFailures, recordFailure, signInCounters } from '../rate-limits.ts'
import { reply, type AuthRequest } from '../route.ts'
import { refreshSession, startSession } from '../sessions.ts'
import { findUserByEmail, findUserByPhone } from '../users.ts'

const passwordGrant = z.object({
  email: z.string().nullish(),
  phone: z.string().nullish(),
  password: z.string().max(1000).nullish(),
})

const refreshGrant = z.object({ refresh_token: z.string().max(1000).nullish() })

const pkceGrant = z.object({
  auth_code: z.string().max(1000).nullish(),
  code_verifier: z.string().max(1000).nullish(),
})

/** POST /token: password sign-in, refresh and the PKCE code exchange. */
export async function token(request: AuthRequest) {
  const { auth, req, url } = request
  const body = await readAuthBody(req)
  const grant = url.searchParams.get('grant_type')

  if (grant === 'password') return reply(request, 200, await signInWithPassword(request, body))
  if (grant === 'refresh_token') {
    const { refresh_token } = parseBody(refreshGrant, body)
    if (!refresh_token) throw validationFailed('refresh_token required')
    return reply(request, 200, await refreshSession(auth, refresh_token))
  }
  if (grant === 'pkce') {
    const { auth_code, code_verifier } = parseBody(pkceGrant, body)
    if (!auth_code || !code_verifier) {
      throw validationFailed('invalid request: both auth code and code verifier should be non-empty')
    }
    return reply(request, 200, await exchangeAuthCode(auth, req, auth_code, code_verifier))
  }
  throw validationFailed(`unsupported_grant_type: ${grant ?? 'none given'}`)
}

/**
 * Checks e-mail or phone and password. Every wrong password counts against the
 * account and the caller's address; too many in the window answer 429 before
 * the password is even looked at.
 */
async function signInWithPassword(request: AuthRequest, body: Record<string, unknown>) {
  const { auth, req } = request
  const { email, phone, password } = parseBody(passwordGrant, body)
  if (!password) throw invalidCredentials()
  if (!email && !phone) throw validationFailed('An email or phone is required to sign in with a password')

  const address = email ? normaliseEmail(email) : normalisePhone(phone!)
  const counters = signInCounters(auth, address, clientAddress(req))
  await assertAllowed(auth, counters, 'wrong passwords')

  const user = email ? await findUserByEmail(auth.db, address) : await findUserByPhone(auth.db, address)
  if (!await passwordMatches(password, user?.encrypted_password) || !user) {
    await recordFailure(auth, counters)
    throw invalidCredentials()
  }
  await clearFailures(auth, counters[0])
  if (email && !user.email_confirmed_at) {
    throw new AuthError(400, 'email_not_confirmed', 'Email not confirmed')
  }
  if (!email && !user.phone_confirmed_at) {
    throw new AuthError(400, 'phone_not_confirmed', 'Phone not confirmed')
  }
  return startSession(auth, user, 'password', req)
}
