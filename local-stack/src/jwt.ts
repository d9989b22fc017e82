import { SignJWT, jwtVerify, errors } from 'jose'

export type JwtClaims = Record<string, unknown> & { role?: string, sub?: string, exp?: number }

const encoder = new TextEncoder()
const keyCache = new Map<string, Uint8Array>()

function keyOf(secret: string) {
  let key = keyCache.get(secret)
  if (!key) {
    key = encoder.encode(secret)
    keyCache.set(secret, key)
  }
  return key
}

/** Signs an HS256 token the way GoTrue and the Supabase CLI do. */
export async function signJwt(secret: string, claims: JwtClaims) {
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .sign(keyOf(secret))
}

/** A long-lived API key (anon or service_role) for one data folder. */
export async function signKey(secret: string, role: 'anon' | 'service_role') {
  const iat = Math.floor(Date.now() / 1000)
  return signJwt(secret, { iss: 'supabase-local', role, iat, exp: iat + 10 * 365 * 24 * 3600 })
}

export class JwtError extends Error {
  constructor(message: string, public readonly reason: 'expired' | 'invalid') {
    super(message)
  }
}

/** Verifies an HS256 token; throws JwtError with a message shaped like PostgREST's. */
export async function verifyJwt(secret: string, token: string): Promise<JwtClaims> {
  try {
    const { payload } = await jwtVerify(token, keyOf(secret), {
      algorithms: ['HS256'],
      clockTolerance: 30,
    })
    return payload as JwtClaims
  }
  catch (error) {
    if (error instanceof errors.JWTExpired) throw new JwtError('JWT expired', 'expired')
    throw new JwtError('JWSError JWSInvalidSignature', 'invalid')
  }
}
