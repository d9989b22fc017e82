import type { IncomingMessage, ServerResponse } from 'node:http'
import { sendJson } from '../http.ts'

/** A failure GoTrue would report: HTTP status, machine code and a sentence. */
export class AuthError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
  ) {
    super(message)
  }
}

// The failures several routes share, worded as GoTrue words them.
export const invalidCredentials = () =>
  new AuthError(400, 'invalid_credentials', 'Invalid login credentials')

export const validationFailed = (message: string) => new AuthError(400, 'validation_failed', message)

export const otpInvalid = () => new AuthError(403, 'otp_expired', 'Token has expired or is invalid')

export const userNotFound = () => new AuthError(404, 'user_not_found', 'User not found')

export const weakPassword = (minLength: number) => new AuthError(422, 'weak_password',
  `Password should be at least ${minLength} characters.`, { weak_password: { reasons: ['length'] } })

export const userBanned = () => new AuthError(400, 'user_banned', 'User is banned')

/** The API version the client asked for, when it is a date GoTrue understands. */
export function apiVersion(req: IncomingMessage) {
  const value = req.headers['x-supabase-api-version']
  const text = Array.isArray(value) ? value[0] : value
  return text && /^\d{4}-\d{2}-\d{2}$/.test(text) && text >= '2024-01-01' ? '2024-01-01' : undefined
}

/**
 * Sends an error in the shape the client asked for: `{code, message}` when the
 * request carried X-Supabase-Api-Version (auth-js reads `code` only then), the
 * legacy `{code: status, error_code, msg}` otherwise. Both set x-sb-error-code.
 */
export function sendAuthError(req: IncomingMessage, res: ServerResponse, error: AuthError) {
  const version = apiVersion(req)
  const headers: Record<string, string> = { 'x-sb-error-code': error.code }
  if (error.status === 429) headers['retry-after'] = String(error.extra.retryAfter ?? 60)
  const { retryAfter: _, ...extra } = error.extra
  if (version) {
    headers['x-supabase-api-version'] = version
    sendJson(res, error.status, { code: error.code, message: error.message, ...extra }, headers)
  }
  else {
    const legacy = { code: error.status, error_code: error.code, msg: error.message, ...extra }
    sendJson(res, error.status, legacy, headers)
  }
}
