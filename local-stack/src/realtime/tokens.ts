import type { StackSecrets } from '../config.ts'
import { apiRoles } from '../db.ts'
import { JwtError, verifyJwt, type JwtClaims } from '../jwt.ts'

/** A token realtime refuses; `status` is the HTTP status for a refused WebSocket upgrade. */
export class TokenError extends Error {
  constructor(message: string, readonly status = 401) {
    super(message)
  }
}

/** Verifies an access token as realtime does: a valid JWT with `role` and `exp`, for an API role. */
export async function verifyToken(secrets: StackSecrets, token: string | undefined): Promise<JwtClaims> {
  if (!token) throw new TokenError('API key is missing')
  let claims: JwtClaims
  try {
    claims = await verifyJwt(secrets.jwtSecret, token)
  }
  catch (error) {
    if (error instanceof JwtError && error.reason === 'expired') throw new TokenError('Token has expired')
    throw new TokenError('The token provided is not a valid JWT')
  }
  if (typeof claims.role !== 'string' || typeof claims.exp !== 'number') {
    throw new TokenError('Fields `role` and `exp` are required in JWT')
  }
  // Realtime would run as any role a signed token names; the stack keeps to the API roles.
  if (!apiRoles.has(claims.role)) throw new TokenError(`The role ${claims.role} may not use Realtime`, 403)
  return claims
}

/** Milliseconds until the token expires (never negative). */
export function msUntilExpiry(claims: JwtClaims) {
  return Math.max(0, (claims.exp ?? 0) * 1000 - Date.now())
}
