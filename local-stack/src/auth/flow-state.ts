import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { AuthContext } from './context.ts'
import { newAuthCode, pkceMatches } from './codes.ts'
import { AuthError, validationFailed } from './errors.ts'
import { startSession } from './sessions.ts'
import { findUserById, millis, type Queryable } from './users.ts'
import { methodFor, type VerifyType } from './verification.ts'

/** What a client sends to start a PKCE flow. */
export interface PkceRequest {
  code_challenge?: string | null
  code_challenge_method?: string | null
}

/** The challenge, when the client asked for a PKCE flow (both fields or none, as GoTrue requires). */
export function pkceOf(body: PkceRequest) {
  const challenge = body.code_challenge || undefined
  const method = body.code_challenge_method?.toLowerCase() || undefined
  if (!challenge && !method) return undefined
  if (!challenge || !method) {
    throw validationFailed('PKCE flow requires code_challenge_method and code_challenge')
  }
  if (method !== 's256' && method !== 'plain') {
    throw validationFailed('Unsupported code_challenge_method, use s256 or plain')
  }
  if (challenge.length < 43 || challenge.length > 128) {
    throw validationFailed('code_challenge must be 43 to 128 characters')
  }
  return { challenge, method }
}

/** Remembers the challenge until the mail link is opened. */
export async function saveFlowState(db: Queryable, userId: string,
  pkce: { challenge: string, method: string }, type: VerifyType) {
  await db.query(`insert into auth.flow_state (id, user_id, auth_code, code_challenge_method, code_challenge,
    provider_type, authentication_method, created_at, updated_at)
    values ($1, $2, $3, $4, $5, 'email', $6, now(), now())`,
  [randomUUID(), userId, newAuthCode(), pkce.method, pkce.challenge, type])
}

/** Hands out the auth code of the user's open flow, once the link proved the e-mail. */
export async function releaseAuthCode(db: Queryable, userId: string, type: VerifyType) {
  const { rows } = await db.query(`update auth.flow_state set auth_code_issued_at = now(), updated_at = now()
    where id = (select id from auth.flow_state where user_id = $1 and authentication_method = $2
      and auth_code_issued_at is null order by created_at desc limit 1)
    returning auth_code`, [userId, type])
  return rows[0]?.auth_code as string | undefined
}

const codeLifetimeMs = 5 * 60 * 1000

/** grant_type=pkce: the auth code and the verifier that matches the saved challenge give a session. */
export async function exchangeAuthCode(auth: AuthContext, req: IncomingMessage, authCode: string,
  verifier: string) {
  // Deleted at once: a code is good for one try, right verifier or not.
  const { rows } = await auth.db.query(
    'delete from auth.flow_state where auth_code = $1 returning *', [authCode])
  const flow = rows[0]
  if (!flow || !flow.auth_code_issued_at) {
    throw new AuthError(404, 'flow_state_not_found', 'invalid flow state, no valid flow state found')
  }
  if (millis(flow.auth_code_issued_at)! + codeLifetimeMs < Date.now()) {
    throw new AuthError(400, 'flow_state_expired', 'invalid flow state, flow state has expired')
  }
  if (!pkceMatches(flow.code_challenge_method, flow.code_challenge, verifier)) {
    throw new AuthError(403, 'bad_code_verifier',
      'code challenge does not match previously saved code verifier')
  }
  const user = await findUserById(auth.db, flow.user_id)
  if (!user) throw new AuthError(404, 'user_not_found', 'User not found')
  const method = methodFor[flow.authentication_method as VerifyType] ?? 'pkce'
  return startSession(auth, user, method, req)
}
