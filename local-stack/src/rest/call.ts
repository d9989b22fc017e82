import type { IncomingMessage, ServerResponse } from 'node:http'
import type pg from 'pg'
import type { JwtClaims } from '../jwt.ts'
import type { Accepted, Preferences } from './request.ts'
import type { SchemaCache } from './schema.ts'

/** Everything one REST request carries once its headers are understood. */
export interface RestCall {
  req: IncomingMessage
  res: ServerResponse
  url: URL
  method: string
  schema: string
  cache: SchemaCache
  prefs: Preferences
  accept: Accepted
  claims: JwtClaims
  /** The parsed JSON body of POST/PATCH/PUT (undefined when empty). */
  body: unknown
  /** Runs `fn` in the caller's transaction: their role, claims and request settings. */
  run<T>(readOnly: boolean, fn: (client: pg.PoolClient) => Promise<T>): Promise<T>
}

/** A response ready to send: status, serialised body and PostgREST headers. */
export interface Outcome {
  status: number
  body?: string
  headers: Record<string, string>
}
