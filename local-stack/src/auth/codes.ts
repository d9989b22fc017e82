import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto'
import bcrypt from 'bcryptjs'
import type { AuthSettings } from './settings.ts'
import { validationFailed, weakPassword } from './errors.ts'

const alphanumeric = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'

/** A six-digit one-time code, as GoTrue sends by mail and SMS. */
export function newOtp() {
  return String(randomInt(0, 1_000_000)).padStart(6, '0')
}

/** What GoTrue stores instead of a code: sha224 of the address followed by the code. */
export function tokenHash(address: string, otp: string) {
  return createHash('sha224').update(address + otp).digest('hex')
}

/** An opaque refresh token in GoTrue's classic 12-character format. */
export function newRefreshToken() {
  const bytes = randomBytes(12)
  return Array.from(bytes, b => alphanumeric[b % alphanumeric.length]).join('')
}

/** A random auth code for the PKCE exchange. */
export function newAuthCode() {
  return randomBytes(24).toString('base64url')
}

/** True when the verifier matches the challenge the client sent earlier. */
export function pkceMatches(method: string, challenge: string, verifier: string) {
  const expected = method === 'plain'
    ? verifier
    : createHash('sha256').update(verifier).digest('base64url')
  const a = Buffer.from(expected)
  const b = Buffer.from(challenge)
  return a.length === b.length && timingSafeEqual(a, b)
}

/** Refuses passwords GoTrue would refuse, before any hashing. */
export function checkPassword(settings: AuthSettings, password: string) {
  if (password.length > 72) throw validationFailed('Password cannot be longer than 72 characters')
  if (password.length < settings.minPasswordLength) throw weakPassword(settings.minPasswordLength)
}

/** Cost 10 like GoTrue: about 50 ms, so a sign-in stays quick. */
export function hashPassword(password: string) {
  return bcrypt.hash(password, 10)
}

// Compared against when there is no user, so an unknown e-mail takes as long as a wrong password.
const decoyHash = bcrypt.hashSync('not a real password', 10)

/** True only for a user with a password that matches; as slow for no user as for a wrong password. */
export function passwordMatches(password: string, hash: string | null | undefined) {
  return bcrypt.compare(password, hash || decoyHash).then(ok => ok && Boolean(hash))
}
