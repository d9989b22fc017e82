import type { IncomingMessage } from 'node:http'
import { errors as joseErrors, jwtVerify } from 'jose'
import { bearerToken, type StackContext } from '../context.ts'
import { apiRoles } from '../db.ts'
import type { JwtClaims } from '../jwt.ts'
import { errors } from './errors.ts'

const encoder = new TextEncoder()

/** The words jsonwebtoken (storage-api's verifier) uses, which clients may show or match. */
export function jwtMessage(error: unknown) {
  if (error instanceof joseErrors.JWTExpired) return 'jwt expired'
  if (error instanceof joseErrors.JWSSignatureVerificationFailed) return 'invalid signature'
  if (error instanceof joseErrors.JOSEAlgNotAllowed) return 'invalid algorithm'
  if (error instanceof joseErrors.JWTClaimValidationFailed) return `jwt ${error.claim} invalid`
  return 'jwt malformed'
}

/** Verifies an HS256 token with the stack's secret; throws the verifier's words. */
export async function verifyToken(secret: string, token: string): Promise<JwtClaims> {
  if (!token) throw new Error('jwt must be provided')
  try {
    const { payload } = await jwtVerify(token, encoder.encode(secret), { algorithms: ['HS256'] })
    return payload as JwtClaims
  }
  catch (error) {
    throw new Error(jwtMessage(error), { cause: error })
  }
}

/**
 * The caller's claims from the request's bearer token (after the gateway's key
 * translation). A bad or missing token is refused with AccessDenied, as storage-api does.
 */
export async function callerClaims(ctx: StackContext, req: IncomingMessage, url: URL): Promise<JwtClaims> {
  const token = bearerToken(req, url, ctx.secrets) ?? ''
  try {
    const claims = await verifyToken(ctx.secrets.jwtSecret, token)
    if (!apiRoles.has(String(claims.role))) throw new Error(`role "${String(claims.role)}" is not allowed`)
    return claims
  }
  catch (error) {
    throw errors.accessDenied((error as Error).message)
  }
}

/** The caller's claims, or undefined for a bad or missing token (routes that also serve the public). */
export async function optionalCallerClaims(ctx: StackContext, req: IncomingMessage, url: URL) {
  return callerClaims(ctx, req, url).catch(() => undefined)
}

/** The owner columns of a row the caller creates: `owner` only when sub is a uuid. */
export function ownerOf(claims: JwtClaims) {
  const sub = typeof claims.sub === 'string' && claims.sub ? claims.sub : null
  const isUuid = sub !== null && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(sub)
  return { owner: isUuid ? sub : null, ownerId: sub }
}
