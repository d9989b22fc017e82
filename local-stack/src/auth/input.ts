import type { IncomingMessage } from 'node:http'
import { z } from 'zod'
import { BodyTooLarge, readBody } from '../http.ts'
import { AuthError, validationFailed } from './errors.ts'

/** Reads a JSON object body; bad JSON, a non-object or more than 1 MB end in a GoTrue error. */
export async function readAuthBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let raw: Buffer
  try {
    raw = await readBody(req, 1024 * 1024)
  }
  catch (error) {
    if (error instanceof BodyTooLarge) {
      throw new AuthError(413, 'request_too_large', 'Request body is larger than 1 MB.')
    }
    throw error
  }
  if (raw.length === 0) return {}
  let parsed: unknown
  try {
    parsed = JSON.parse(raw.toString('utf8'))
  }
  catch {
    throw new AuthError(400, 'bad_json', 'Could not parse request body as JSON.')
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new AuthError(400, 'bad_json', 'Request body must be a JSON object.')
  }
  return parsed as Record<string, unknown>
}

/** Checks a body against a schema; the first problem becomes a 400 validation_failed. */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body)
  if (result.success) return result.data
  const issue = result.error.issues[0]
  const field = issue.path.join('.')
  throw validationFailed(field ? `Invalid value for ${field}: ${issue.message}` : issue.message)
}

const optionalText = z.string().max(10_000).nullish()
const metadata = z.record(z.string(), z.unknown()).nullish()

/** Field shapes many bodies share: optional text, and metadata objects. */
export const fields = { optionalText, metadata }

/** GoTrue lower-cases and trims e-mail addresses and checks their shape. */
export function normaliseEmail(email: string) {
  const value = email.trim().toLowerCase()
  if (value.length > 255 || !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) {
    throw validationFailed('Unable to validate email address: invalid format')
  }
  return value
}

/** GoTrue stores phone numbers as E.164 digits without the leading '+'. */
export function normalisePhone(phone: string) {
  const value = phone.trim().replace(/^\+/, '').replace(/\s+/g, '')
  if (!/^[1-9]\d{4,14}$/.test(value)) {
    throw validationFailed('Invalid phone number format (E.164 required)')
  }
  return value
}

/** The address that made the request, for the per-address sign-in limit. */
export function clientAddress(req: IncomingMessage) {
  // X-Forwarded-For is not trusted: the gateway is the first hop, so the header
  // would only let a caller pick a fresh address for every guess.
  return (req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '')
}
