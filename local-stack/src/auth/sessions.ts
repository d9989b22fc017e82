import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import { bearerToken } from '../context.ts'
import { JwtError, signJwt, verifyJwt, type JwtClaims } from '../jwt.ts'
import type { AuthContext } from './context.ts'
import { newRefreshToken } from './codes.ts'
import { AuthError, userBanned } from './errors.ts'
import {
  findUserById, isBanned, isUuid, millis, transaction, type Queryable, type UserRow,
} from './users.ts'
import { userJson } from './user-json.ts'

/** How a session was first authenticated, as in GoTrue's `amr` claim. */
export type AuthMethod = 'password' | 'otp' | 'magiclink' | 'recovery' | 'invite' | 'email/signup'
  | 'email_change' | 'token_refresh' | 'pkce'

interface Amr { method: string, timestamp: number }

async function amrOf(db: Queryable, sessionId: string): Promise<Amr[]> {
  const { rows } = await db.query(`select authentication_method as method, created_at
    from auth.mfa_amr_claims where session_id = $1 order by created_at desc`, [sessionId])
  return rows.map(r => ({ method: r.method, timestamp: Math.floor(millis(r.created_at)! / 1000) }))
}

/** Signs an access token with the claims GoTrue issues. */
async function accessToken(auth: AuthContext, user: UserRow, sessionId: string, amr: Amr[]) {
  const iat = Math.floor(Date.now() / 1000)
  const exp = iat + auth.settings.jwtExpiry
  const claims: JwtClaims = {
    iss: auth.issuer,
    sub: user.id,
    aud: user.aud ?? 'authenticated',
    exp,
    iat,
    email: user.email ?? '',
    phone: user.phone ?? '',
    app_metadata: user.raw_app_meta_data ?? {},
    user_metadata: user.raw_user_meta_data ?? {},
    role: user.role || 'authenticated',
    aal: 'aal1',
    amr,
    session_id: sessionId,
    is_anonymous: user.is_anonymous,
  }
  return { token: await signJwt(auth.stack.secrets.jwtSecret, claims), exp }
}

async function sessionBody(auth: AuthContext, db: Queryable, user: UserRow, sessionId: string,
  refreshToken: string) {
  const { token, exp } = await accessToken(auth, user, sessionId, await amrOf(db, sessionId))
  return {
    access_token: token,
    token_type: 'bearer',
    expires_in: auth.settings.jwtExpiry,
    expires_at: exp,
    refresh_token: refreshToken,
    user: await userJson(db, user),
  }
}

/** GoTrue's AccessTokenResponse. */
export type SessionBody = Awaited<ReturnType<typeof sessionBody>>

/** Starts a session for a user who just proved who they are; refuses banned users. */
export async function startSession(auth: AuthContext, user: UserRow, method: AuthMethod,
  req: IncomingMessage) {
  if (isBanned(user)) throw userBanned()
  return transaction(auth.db, async (client) => {
    const sessionId = randomUUID()
    const userAgent = req.headers['user-agent'] ?? null
    await client.query(`insert into auth.sessions (id, user_id, created_at, updated_at, aal, user_agent, ip)
      values ($1, $2, now(), now(), 'aal1', $3, $4)`,
    [sessionId, user.id, userAgent, req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? null])
    await client.query(`insert into auth.mfa_amr_claims
      (id, session_id, created_at, updated_at, authentication_method)
      values ($1, $2, now(), now(), $3)`, [randomUUID(), sessionId, method])
    const refreshToken = newRefreshToken()
    await client.query(`insert into auth.refresh_tokens
      (instance_id, token, user_id, revoked, created_at, updated_at, session_id)
      values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3)`,
    [refreshToken, user.id, sessionId])
    const { rows } = await client.query<UserRow>(
      'update auth.users set last_sign_in_at = now() where id = $1 returning *', [user.id])
    await client.query(`update auth.identities set last_sign_in_at = now() where user_id = $1`, [user.id])
    return sessionBody(auth, client, rows[0], sessionId, refreshToken)
  })
}

const refreshNotFound = () =>
  new AuthError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')

/**
 * Exchanges a refresh token for a new session, rotating it. A revoked token is
 * accepted again only inside the reuse window (a client that lost the answer);
 * later reuse is treated as theft and ends the whole session.
 */
export async function refreshSession(auth: AuthContext, refreshToken: string) {
  const outcome = await transaction(auth.db, async (client) => {
    const { rows } = await client.query(
      'select * from auth.refresh_tokens where token = $1 for update', [refreshToken])
    const token = rows[0]
    if (!token?.session_id) throw refreshNotFound()
    const user = await findUserById(client, token.user_id)
    if (!user) throw refreshNotFound()
    if (isBanned(user)) throw userBanned()

    if (token.revoked) {
      const active = await client.query(`select token, parent from auth.refresh_tokens
        where session_id = $1 and not revoked order by id desc limit 1`, [token.session_id])
      if (active.rows[0]?.parent === token.token) {
        return { body: await sessionBody(auth, client, user, token.session_id, active.rows[0].token) }
      }
      const reuseUntil = millis(token.updated_at)! + auth.settings.refreshReuseInterval * 1000
      if (Date.now() > reuseUntil) {
        await client.query('delete from auth.sessions where id = $1', [token.session_id])
        return { reused: true }
      }
    }

    await client.query(
      'update auth.refresh_tokens set revoked = true, updated_at = now() where id = $1', [token.id])
    const next = newRefreshToken()
    await client.query(`insert into auth.refresh_tokens
      (instance_id, token, user_id, revoked, created_at, updated_at, parent, session_id)
      values ('00000000-0000-0000-0000-000000000000', $1, $2, false, now(), now(), $3, $4)`,
    [next, user.id, token.token, token.session_id])
    await client.query(
      'update auth.sessions set refreshed_at = now(), updated_at = now() where id = $1', [token.session_id])
    return { body: await sessionBody(auth, client, user, token.session_id, next) }
  })
  // The session is ended in its own committed transaction before reporting the reuse.
  if (outcome.reused) {
    throw new AuthError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used')
  }
  return outcome.body!
}

/** Who is calling, from a verified access token. */
export interface Caller {
  claims: JwtClaims
  token: string
}

/** Verifies the bearer JWT: 401 no_authorization without one, 403 bad_jwt when it fails. */
export async function authenticate(auth: AuthContext, req: IncomingMessage, url: URL): Promise<Caller> {
  const token = bearerToken(req, url, auth.stack.secrets)
  if (!token) throw new AuthError(401, 'no_authorization', 'This endpoint requires a valid Bearer token')
  try {
    return { claims: await verifyJwt(auth.stack.secrets.jwtSecret, token), token }
  }
  catch (error) {
    const reason = error instanceof JwtError && error.reason === 'expired'
      ? 'token is expired'
      : 'unable to parse or verify signature'
    throw new AuthError(403, 'bad_jwt', `invalid JWT: ${reason}`)
  }
}

/** The signed-in user and their session; the session must still exist. */
export async function requireUser(auth: AuthContext, req: IncomingMessage, url: URL) {
  const { claims } = await authenticate(auth, req, url)
  if (typeof claims.sub !== 'string' || !claims.sub) {
    throw new AuthError(403, 'bad_jwt', 'invalid claim: missing sub claim')
  }
  const sessionId = typeof claims.session_id === 'string' ? claims.session_id : undefined
  if (sessionId !== undefined) {
    const { rows } = isUuid(sessionId)
      ? await auth.db.query('select 1 from auth.sessions where id = $1', [sessionId])
      : { rows: [] }
    if (!rows.length) {
      throw new AuthError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist')
    }
  }
  const user = await findUserById(auth.db, claims.sub)
  if (!user) throw new AuthError(403, 'user_not_found', 'User from sub claim in JWT does not exist')
  return { user, sessionId, claims }
}

const adminRoles = new Set(['service_role', 'supabase_admin'])

/** Admin routes take only the service-role key (or a token with an admin role). */
export async function requireAdmin(auth: AuthContext, req: IncomingMessage, url: URL) {
  const { claims } = await authenticate(auth, req, url)
  if (!adminRoles.has(String(claims.role))) throw new AuthError(403, 'not_admin', 'User not allowed')
  return claims
}

/** Ends sessions: this one, all but this one, or all of the user's. */
export async function endSessions(auth: AuthContext, userId: string, sessionId: string | undefined,
  scope: 'local' | 'global' | 'others') {
  if (scope === 'global' || !sessionId) {
    if (scope !== 'others') await auth.db.query('delete from auth.sessions where user_id = $1', [userId])
    return
  }
  if (scope === 'local') await auth.db.query('delete from auth.sessions where id = $1', [sessionId])
  else await auth.db.query('delete from auth.sessions where user_id = $1 and id <> $2', [userId, sessionId])
}
