import { JwtError, verifyJwt, type JwtClaims } from '../jwt.ts'
import { RestError } from './errors.ts'

function jwtError(code: string, message: string) {
  return new RestError(401, code, message, null, null, {
    'www-authenticate':
      `Bearer error="invalid_token", error_description="${message.replace(/"/g, '\'')}"`,
  })
}

/**
 * Verifies bearer tokens, remembering good ones until they expire: the same few
 * keys and session tokens come with every request, and HMAC is the hot path.
 */
export class Authenticator {
  private readonly verified = new Map<string, JwtClaims>()

  constructor(private readonly secret: string) {}

  /** The request's claims with `role` filled in; anon without a token. */
  async claims(token: string | undefined): Promise<JwtClaims> {
    if (!token) return { role: 'anon' }
    const cached = this.verified.get(token)
    const now = Date.now() / 1000
    if (cached && (cached.exp === undefined || cached.exp + 30 > now)) return cached
    if (cached) this.verified.delete(token)

    const parts = token.split('.').length
    if (parts !== 3) throw jwtError('PGRST301', `Expected 3 parts in JWT; got ${parts}`)
    let claims: JwtClaims
    try {
      claims = await verifyJwt(this.secret, token)
    }
    catch (error) {
      const expired = error instanceof JwtError && error.reason === 'expired'
      if (expired) throw jwtError('PGRST303', 'JWT expired')
      throw jwtError('PGRST301', 'No suitable key or wrong key type')
    }
    if (claims.role !== undefined && typeof claims.role !== 'string') {
      throw jwtError('PGRST301', 'The JWT role claim must be a string')
    }
    const withRole = { ...claims, role: claims.role || 'anon' }
    if (this.verified.size >= 1000) this.verified.clear()
    this.verified.set(token, withRole)
    return withRole
  }
}
