import type { IncomingMessage } from 'node:http'
import type { StackConfig, StackSecrets } from './config.ts'
import type { Database } from './postgres.ts'
import type { Mailbox } from './mailbox/mailbox.ts'

/** What every service of the stack is handed. */
export interface StackContext {
  config: StackConfig
  secrets: StackSecrets
  db: Database
  mailbox: Mailbox
  /** The public URL of the API gateway, e.g. http://127.0.0.1:54321. */
  apiUrl: string
}

/**
 * The bearer token a request carries after the gateway's key translation, as
 * the Supabase CLI's Kong does it: a user JWT in Authorization is kept; an
 * opaque `sb_` key (in Authorization or apikey) becomes its role's JWT.
 */
export function bearerToken(req: IncomingMessage, url: URL, secrets: StackSecrets): string | undefined {
  const header = req.headers.authorization
  const fromHeader = header?.match(/^Bearer\s+(.+)$/i)?.[1]?.trim()
  if (fromHeader && !fromHeader.startsWith('sb_')) return fromHeader
  const apikey = fromHeader ?? headerValue(req.headers.apikey) ?? url.searchParams.get('apikey') ?? undefined
  return translateKey(apikey, secrets)
}

export function translateKey(key: string | undefined, secrets: StackSecrets) {
  if (key === secrets.secretKey) return secrets.serviceRoleKey
  if (key === secrets.publishableKey) return secrets.anonKey
  return key
}

export function headerValue(value: string | string[] | undefined) {
  return Array.isArray(value) ? value[0] : value
}
