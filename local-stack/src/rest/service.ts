import type { IncomingMessage, ServerResponse } from 'node:http'
import type pg from 'pg'
import { bearerToken, type StackContext } from '../context.ts'
import { withRole } from '../db.ts'
import { BodyTooLarge, readBody } from '../http.ts'
import type { JwtClaims } from '../jwt.ts'
import { logProblem } from '../log.ts'
import type { Service } from '../server.ts'
import { Authenticator } from './auth.ts'
import { SchemaState } from './cache.ts'
import type { Outcome, RestCall } from './call.ts'
import { fromDatabaseError, RestError } from './errors.ts'
import { parseAccept, parsePreferences } from './request.ts'
import { send, sendError, toCsv } from './respond.ts'
import { callFunction } from './rpc-call.ts'
import { relationKey } from './schema.ts'
import { readTable, writeTable } from './table.ts'

// What PostgREST does that this stand-in does not (yet), because the app and supabase-js
// do not rely on it: OpenAPI beyond a list of paths, aggregates (off on Supabase too),
// `.explain()` and GeoJSON (answered 406), `Prefer: return=headers-only` (no Location),
// `params=single-object`, `tx=rollback` (ignored, as on Supabase), raw text/bytea/xml
// bodies for functions, PUT's primary-key checks (PUT is a plain single-row upsert), and
// foreign keys of views whose columns were renamed from their base table.

/** Schemas served by default, as on Supabase; STACK_REST_SCHEMAS (comma-separated) replaces the list. */
export function exposedSchemas(env: NodeJS.ProcessEnv = process.env) {
  const list = env.STACK_REST_SCHEMAS?.split(',').map(s => s.trim()).filter(Boolean)
  return list?.length ? list : ['public', 'graphql_public']
}

const cacheMisses = new Set(['PGRST200', 'PGRST202', 'PGRST204', 'PGRST205'])
const bodyLimit = 16 * 1024 * 1024

function isDatabaseError(error: unknown): error is pg.DatabaseError {
  return error instanceof Error && 'severity' in error && 'code' in error
}

/** Maps anything a request can throw to PostgREST's answer. */
function toRestError(error: unknown, claims: JwtClaims | undefined): RestError {
  if (error instanceof RestError) return error
  const authenticated = claims !== undefined && claims.role !== 'anon'
  if (isDatabaseError(error)) return fromDatabaseError(error, authenticated)
  if (error instanceof BodyTooLarge) return new RestError(413, 'PGRST102', error.message)
  if (error instanceof SyntaxError) {
    return new RestError(400, 'PGRST102', 'Empty or invalid json', error.message)
  }
  const code = (error as NodeJS.ErrnoException).code
  const unreachable = code === 'ECONNREFUSED' || code === 'ECONNRESET'
  if (unreachable || /timeout exceeded when trying to connect/i.test(String(error))) {
    return new RestError(503, 'PGRST001', 'Database client error. Retrying the connection.',
      String((error as Error).message))
  }
  logProblem('rest', `request failed unexpectedly: ${(error as Error).stack ?? String(error)}`)
  return new RestError(500, 'PGRST000', 'An unexpected error occurred in the local REST service')
}

function profile(req: IncomingMessage, method: string, schemas: string[]) {
  const reading = method === 'GET' || method === 'HEAD'
  const header = reading ? req.headers['accept-profile'] : req.headers['content-profile']
  const schema = typeof header === 'string' && header !== '' ? header : schemas[0]
  if (!schemas.includes(schema)) {
    throw new RestError(406, 'PGRST106',
      `The schema must be one of the following: ${schemas.join(', ')}`)
  }
  return schema
}

async function readRequestBody(req: IncomingMessage, method: string): Promise<unknown> {
  if (method !== 'POST' && method !== 'PATCH' && method !== 'PUT') return undefined
  const raw = await readBody(req, bodyLimit)
  const type = req.headers['content-type']?.split(';')[0].trim().toLowerCase()
  if (type && type !== 'application/json' && !type.endsWith('+json')) {
    throw new RestError(415, 'PGRST107',
      `The request content type ${type} is not supported; send application/json`)
  }
  if (raw.length === 0) return undefined
  return JSON.parse(raw.toString('utf8'))
}

function cookies(header: string | undefined) {
  const out: Record<string, string> = {}
  for (const part of header?.split(';') ?? []) {
    const eq = part.indexOf('=')
    if (eq > 0) out[part.slice(0, eq).trim()] = part.slice(eq + 1).trim()
  }
  return out
}

function openApi(state: SchemaState, schema: string): Outcome {
  const paths: Record<string, object> = { '/': {} }
  for (const relation of state.cache.relations.values()) {
    if (relation.schema === schema) paths[`/${relation.name}`] = {}
  }
  for (const [key, routines] of state.cache.routines) {
    if (routines[0].schema === schema) paths[`/rpc/${key.slice(schema.length + 1)}`] = {}
  }
  const doc = { swagger: '2.0', info: { title: 'Minnespor local REST', version: '14' }, paths }
  const headers = { 'content-type': 'application/openapi+json; charset=utf-8' }
  return { status: 200, body: JSON.stringify(doc), headers }
}

function unsupported(method: string) {
  return new RestError(405, 'PGRST117', `Unsupported HTTP method: ${method}`)
}

function decodePath(segment: string) {
  try {
    return decodeURIComponent(segment)
  }
  catch {
    throw new RestError(400, 'PGRST100', `The path segment "${segment}" is not valid percent-encoding`)
  }
}

/** PostgREST stand-in under /rest/v1. */
export async function createRestService(ctx: StackContext): Promise<Service> {
  const state = new SchemaState(ctx.db.admin, ctx.db.adminUrl, exposedSchemas())
  await state.start()
  const auth = new Authenticator(ctx.secrets.jwtSecret)

  async function route(call: RestCall, path: string): Promise<Outcome> {
    if (path === '/' || path === '') {
      if (call.method !== 'GET' && call.method !== 'HEAD') throw unsupported(call.method)
      return openApi(state, call.schema)
    }
    const m = path.match(/^\/(rpc\/)?([^/]+)\/?$/)
    if (!m) throw new RestError(404, 'PGRST125', 'Invalid path specified in request URL')
    const name = decodePath(m[2])
    if (m[1]) return callFunction(call, name)
    const relation = call.cache.relations.get(relationKey(call.schema, name))
    if (!relation) {
      throw new RestError(404, 'PGRST205',
        `Could not find the table '${call.schema}.${name}' in the schema cache`)
    }
    if (call.method === 'GET' || call.method === 'HEAD') return readTable(call, relation)
    if (['POST', 'PATCH', 'PUT', 'DELETE'].includes(call.method)) return writeTable(call, relation)
    throw unsupported(call.method)
  }

  async function serve(
    req: IncomingMessage, res: ServerResponse, path: string, url: URL, claims: JwtClaims,
  ) {
    const arrived = performance.now()
    const method = req.method ?? 'GET'
    const schema = profile(req, method, state.schemas)
    const prefs = parsePreferences(req)
    const accept = parseAccept(req)
    const body = await readRequestBody(req, method)
    const settings: Record<string, string> = {
      'search_path': `"${schema.replace(/"/g, '""')}", "public", "extensions"`,
      ...state.cache.roleSettings.get(String(claims.role)),
      'request.method': method,
      'request.path': path,
      'request.headers': JSON.stringify(req.headers),
      'request.cookies': JSON.stringify(cookies(req.headers.cookie)),
    }
    const call: RestCall = {
      req, res, url, method, schema, cache: state.cache, prefs, accept, claims, body,
      run: (readOnly, fn) => withRole(ctx.db.api, claims, fn, { readOnly, settings }),
    }
    let outcome: Outcome
    try {
      outcome = await route(call, path)
    }
    catch (error) {
      const miss = error instanceof RestError && cacheMisses.has(error.code)
      if (!miss || !await state.refreshAfterMiss(arrived)) throw error
      outcome = await route({ ...call, cache: state.cache }, path)
    }
    const headers = { ...outcome.headers }
    if (prefs.applied.length) headers['preference-applied'] = prefs.applied.join(', ')
    let text = outcome.body
    if (text !== undefined && accept.kind === 'csv') {
      text = toCsv(text)
      headers['content-type'] = 'text/csv; charset=utf-8'
    }
    else if (text !== undefined && accept.kind === 'single') {
      headers['content-type'] = 'application/vnd.pgrst.object+json; charset=utf-8'
    }
    send(res, outcome.status, text, headers, method === 'HEAD')
  }

  return {
    prefix: '/rest/v1',
    async handle(req, res, path, url) {
      let claims: JwtClaims | undefined
      try {
        claims = await auth.claims(bearerToken(req, url, ctx.secrets))
        await serve(req, res, path, url, claims)
      }
      catch (error) {
        sendError(res, toRestError(error, claims), req.method === 'HEAD')
      }
    },
    close: () => state.close(),
  }
}
