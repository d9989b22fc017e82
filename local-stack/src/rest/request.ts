import type { IncomingMessage } from 'node:http'
import { parseError, RestError } from './errors.ts'
import { parseColumnList, parseCount, parseField, parseFilter } from './parse.ts'
import { parseLogic, parseOrder, parseSelect, type SelectItem } from './parse.ts'
import type { Level } from './read.ts'

/** What the query string of a request asks for. */
export interface QueryParts {
  select: SelectItem[]
  /** True when the request named its columns; writes then return them. */
  hasSelect: boolean
  levels: Map<string, Level>
  columns?: string[]
  onConflict?: string[]
  /** Function arguments of a GET/HEAD call. */
  args: Map<string, string>
}

function levelOf(levels: Map<string, Level>, path: string) {
  let level = levels.get(path)
  if (!level) {
    level = { conditions: [], order: [] }
    levels.set(path, level)
  }
  return level
}

/** Splits the query string into select tree, per-embed filters/order/paging and function args. */
export function parseQuery(params: URLSearchParams, argNames: Set<string> = new Set()): QueryParts {
  const levels = new Map<string, Level>()
  levelOf(levels, '')
  const parts: QueryParts = { select: [{ type: 'star' }], hasSelect: false, levels, args: new Map() }
  for (const [key, value] of params) {
    if (key === 'select') {
      parts.select = parseSelect(value)
      parts.hasSelect = true
      continue
    }
    if (key === 'columns') parts.columns = parseColumnList(value)
    else if (key === 'on_conflict') parts.onConflict = parseColumnList(value)
    else if (argNames.has(key)) parts.args.set(key, value)
    else if (key !== 'apikey') addParameter(levels, key, value)
  }
  return parts
}

function addParameter(levels: Map<string, Level>, key: string, value: string) {
  const segments = key.split('.')
  const last = segments.at(-1)!
  if (last === 'or' || last === 'and') {
    const negate = segments.at(-2) === 'not'
    const path = segments.slice(0, negate ? -2 : -1).join('.')
    levelOf(levels, path).conditions.push(parseLogic(last, negate, value))
    return
  }
  const path = segments.slice(0, -1).join('.')
  if (last === 'order') levelOf(levels, path).order.push(...parseOrder(value))
  else if (last === 'limit') levelOf(levels, path).limit = parseCount(value, 'limit')
  else if (last === 'offset') levelOf(levels, path).offset = parseCount(value, 'offset')
  else {
    if (last === '') throw parseError(`"failed to parse filter (${key})"`, 'empty column name')
    const filter = parseFilter(parseField(last), value)
    levelOf(levels, path).conditions.push({ type: 'filter', filter })
  }
}

/** The `Prefer` header as PostgREST reads it. */
export interface Preferences {
  return?: 'minimal' | 'representation' | 'headers-only'
  count?: 'exact' | 'planned' | 'estimated'
  resolution?: 'merge-duplicates' | 'ignore-duplicates'
  missing?: 'default' | 'null'
  handling?: 'strict' | 'lenient'
  maxAffected?: number
  /** The honoured preferences, echoed in Preference-Applied. */
  applied: string[]
}

const known: Record<string, string[]> = {
  return: ['minimal', 'representation', 'headers-only'],
  count: ['exact', 'planned', 'estimated'],
  resolution: ['merge-duplicates', 'ignore-duplicates'],
  missing: ['default', 'null'],
  handling: ['strict', 'lenient'],
  tx: ['commit', 'rollback'],
}

/** Parses all Prefer headers; unknown ones are ignored unless `handling=strict`. */
export function parsePreferences(req: IncomingMessage): Preferences {
  const header = req.headers.prefer
  const tokens = (Array.isArray(header) ? header.join(',') : header ?? '')
    .split(',').map(t => t.trim()).filter(Boolean)
  const prefs: Preferences = { applied: [] }
  const invalid: string[] = []
  for (const token of tokens) {
    const [name, value = ''] = token.split('=').map(s => s.trim())
    if (name === 'max-affected' && /^\d{1,9}$/.test(value)) {
      prefs.maxAffected = Number(value)
      prefs.applied.push(token)
    }
    else if (known[name]?.includes(value)) {
      if (name !== 'tx') {
        (prefs as unknown as Record<string, string>)[name] = value
        prefs.applied.push(`${name}=${value}`)
      }
    }
    else invalid.push(token)
  }
  if (prefs.handling === 'strict' && invalid.length) {
    throw new RestError(400, 'PGRST122', 'Invalid preferences given with handling=strict',
      `Invalid preferences: ${invalid.join(', ')}`)
  }
  return prefs
}

/** The output format asked for by the Accept header. */
export interface Accepted { kind: 'json' | 'single' | 'csv', stripNulls: boolean }

const jsonTypes = ['application/json', 'application/vnd.pgrst.array+json', 'application/*', '*/*']

/** Picks the first supported media type of the Accept header, else 406 PGRST107. */
export function parseAccept(req: IncomingMessage): Accepted {
  const header = req.headers.accept
  if (!header) return { kind: 'json', stripNulls: false }
  for (const entry of header.split(',')) {
    const [type, ...options] = entry.split(';').map(s => s.trim().toLowerCase())
    const stripNulls = options.includes('nulls=stripped')
    if (type === 'application/vnd.pgrst.object+json' || type === 'application/vnd.pgrst.object') {
      return { kind: 'single', stripNulls }
    }
    if (type === 'text/csv') return { kind: 'csv', stripNulls: false }
    if (jsonTypes.includes(type)) {
      return { kind: 'json', stripNulls }
    }
  }
  throw new RestError(406, 'PGRST107', `None of these media types are available: ${header}`)
}

/** Reads a `Range: 0-9` header into offset and limit. */
export function parseRange(req: IncomingMessage): { offset: number, limit?: number } | undefined {
  const header = req.headers.range
  if (!header) return undefined
  const m = header.trim().match(/^(?:items=)?(\d{1,15})-(\d{0,15})$/)
  if (!m) return undefined
  const from = Number(m[1])
  if (m[2] === '') return { offset: from }
  const to = Number(m[2])
  if (to < from) {
    throw new RestError(416, 'PGRST103', 'Requested range not satisfiable',
      `The lower boundary must be lower than or equal to the upper boundary in the Range header.`)
  }
  return { offset: from, limit: to - from + 1 }
}
