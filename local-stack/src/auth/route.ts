import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AuthContext } from './context.ts'
import { apiVersion, AuthError } from './errors.ts'
import { sendJson } from '../http.ts'
import { millis, type Timestamp } from './users.ts'

/** One request to an auth route, with what every handler needs. */
export interface AuthRequest {
  auth: AuthContext
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** The `:id` of /admin/users/:id. */
  id?: string
}

/** One auth route. */
export type Handler = (request: AuthRequest) => Promise<void>

/** Answers JSON, echoing the API version the client speaks. */
export function reply(request: AuthRequest, status: number, body: unknown,
  headers: Record<string, string> = {}) {
  const version = apiVersion(request.req)
  if (version) headers['x-supabase-api-version'] = version
  sendJson(request.res, status, body, headers)
}

/** Limits how often one kind of mail or text goes to one user (GoTrue's max_frequency). */
export function assertCanSend(request: AuthRequest, lastSent: Timestamp | null, channel: 'email' | 'sms') {
  const wait = request.auth.settings.sendFrequency * 1000
  const last = millis(lastSent)
  if (!last || Date.now() - last >= wait) return
  const seconds = Math.max(1, Math.ceil((last + wait - Date.now()) / 1000))
  throw new AuthError(429, channel === 'email' ? 'over_email_send_rate_limit' : 'over_sms_send_rate_limit',
    `For security purposes, you can only request this after ${seconds} seconds.`, { retryAfter: seconds })
}
