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

const namesByCache = new WeakMap<SchemaCache, { generation: number, names: Map<string, string> }>()
const preparedOn = new WeakMap<pg.PoolClient, { generation: number, names: Set<string> }>()
let generations = 0
const maxNamed = 300

function statementsOf(cache: SchemaCache) {
  let statements = namesByCache.get(cache)
  if (!statements) {
    statements = { generation: ++generations, names: new Map() }
    namesByCache.set(cache, statements)
  }
  return statements
}

/**
 * Runs a statement as a named prepared statement, so Postgres parses and plans each
 * query shape once per connection instead of on every request (planning an RLS query
 * costs more than running it). Names are fresh for every schema cache, so a statement
 * prepared before a schema change is never reused after it, and a connection drops
 * its statements of older caches before it prepares new ones.
 */
export async function runStatement(
  call: RestCall, client: pg.PoolClient, text: string, values: unknown[],
) {
  const { generation, names } = statementsOf(call.cache)
  let prepared = preparedOn.get(client)
  if (!prepared || prepared.generation < generation) {
    if (prepared?.names.size) {
      await client.query([...prepared.names].map(n => `deallocate "${n}"`).join('; '))
    }
    prepared = { generation, names: new Set() }
    preparedOn.set(client, prepared)
  }
  let name = names.get(text)
  if (!name && names.size < maxNamed) {
    name = `pgrst_${generation}_${names.size}`
    names.set(text, name)
  }
  // A request still holding an older cache runs unprepared rather than mixing generations.
  if (!name || prepared.generation !== generation) return client.query({ text, values })
  const result = await client.query({ name, text, values })
  prepared.names.add(name)
  return result
}
