import type pg from 'pg'
import { RestError } from './errors.ts'
import { ReadBuilder, plannedCountStatement, readStatement } from './read.ts'
import type { BuiltLevel, Level } from './read.ts'
import { parseQuery, parseRange } from './request.ts'
import { contentRange } from './respond.ts'
import type { Relation } from './schema.ts'
import { conditionSql, orderSql, Params } from './sql.ts'
import { runStatement, type RestCall, type Outcome } from './call.ts'
import { deleteSql, insertRows, insertSql, updateSql } from './write.ts'

/** PostgREST's `db-max-rows` on Supabase: reads never return more rows than this. */
export const maxRows = 1000

/** The SQL that turns the rows of "pgrst_r" into the response body. */
export function bodySql(call: RestCall, many: boolean) {
  const strip = (sql: string) => call.accept.stripNulls ? `json_strip_nulls(${sql})` : `(${sql})`
  if (call.accept.kind === 'single' || !many) return `${strip('json_agg("pgrst_r")->0')}::text`
  return `${strip('coalesce(json_agg("pgrst_r"), \'[]\')')}::text`
}

/** Fails with 406 PGRST116 unless exactly one row came back; for writes this rolls back. */
export function checkSingle(call: RestCall, page: number) {
  if (call.accept.kind !== 'single' || page === 1) return
  throw new RestError(406, 'PGRST116', 'Cannot coerce the result to a single JSON object',
    `The result contains ${page} rows`)
}

interface Paging { offset: number, limit: number }

function paging(call: RestCall, root: Level): Paging {
  let offset = root.offset ?? 0
  let end = root.limit === undefined ? Infinity : offset + root.limit
  const range = parseRange(call.req)
  if (range) {
    offset = Math.max(offset, range.offset)
    if (range.limit !== undefined) end = Math.min(end, range.offset + range.limit)
  }
  return { offset, limit: Math.max(0, Math.min(end - offset, maxRows)) }
}

async function plannedRows(client: pg.PoolClient, sql: string, params: Params) {
  const { rows } = await client.query(sql, params.values)
  const plan = rows[0]['QUERY PLAN'] as { Plan: { 'Plan Rows': number } }[]
  return plan[0].Plan['Plan Rows']
}

/**
 * Runs a read of rows (from a table, view or function) and shapes the outcome:
 * counts, Content-Range and 206/416 as PostgREST answers them.
 */
export async function runRead(
  call: RestCall,
  from: string,
  built: BuiltLevel,
  root: Level,
  params: Params,
  readOnly: boolean,
  many = true,
): Promise<Outcome> {
  const { offset, limit } = paging(call, root)
  const count = call.prefs.count
  const planned = count === 'planned' || count === 'estimated'
  return call.run(readOnly, async (client) => {
    let total: number | null = null
    let exact = count === 'exact'
    if (planned) {
      total = await plannedRows(client, plannedCountStatement(from, built), params)
      if (count === 'estimated' && total <= maxRows) exact = true
    }
    const options = { limit, offset, exactCount: exact }
    const statement = readStatement(from, built, options, bodySql(call, many))
    const { rows: [row] } = await runStatement(call, client, statement, params.values)
    if (exact) total = Number(row.total)
    checkSingle(call, row.page)
    if (total !== null && offset > total && offset > 0) {
      throw new RestError(416, 'PGRST103', 'Requested range not satisfiable',
        `An offset of ${offset} was requested, but there are only ${total} rows.`)
    }
    const partial = total !== null && row.page < total
    return {
      status: partial ? 206 : 200,
      body: row.body ?? (many ? '[]' : 'null'),
      headers: { 'content-range': contentRange(offset, row.page, total) },
    }
  })
}

/** GET/HEAD on a table or view. */
export async function readTable(call: RestCall, relation: Relation): Promise<Outcome> {
  const parts = parseQuery(call.url.searchParams)
  const params = new Params()
  const builder = new ReadBuilder(call.cache, params, parts.levels)
  const built = builder.level(relation, '"t0"', parts.select)
  builder.checkLevelsUsed()
  return runRead(call, `${relation.qualified} as "t0"`, built, parts.levels.get('')!, params, true)
}

/**
 * PostgREST's limited update and delete: with `limit`/`offset` only the first rows in the
 * explicit `order` are written, never every row the filters match.
 */
function limitedRows(relation: Relation, level: Level, where: string[], params: Params) {
  if (!level.order.length) {
    throw new RestError(400, 'PGRST109', 'A \'limit\' was applied without an explicit \'order\'',
      null, 'Apply an \'order\' using unique column(s)')
  }
  let rows = `select "t0".ctid from ${relation.qualified} as "t0"`
  if (where.length) rows += ` where ${where.join(' and ')}`
  rows += ` order by ${orderSql('"t0"', level.order, params)}`
  if (level.limit !== undefined) rows += ` limit ${level.limit}`
  if (level.offset) rows += ` offset ${level.offset}`
  return `"t0".ctid = any(array(${rows}))`
}

/** POST, PATCH, PUT and DELETE on a table or view. */
export async function writeTable(call: RestCall, relation: Relation): Promise<Outcome> {
  const parts = parseQuery(call.url.searchParams)
  const params = new Params()
  const root = parts.levels.get('')!
  const types = (name: string) => relation.columns.get(name)?.type
  const wanted = call.prefs.return === 'representation'

  let mutation: string | undefined
  if (call.method === 'POST' || call.method === 'PUT') {
    const rows = insertRows(relation, call.body, parts.columns)
    mutation = insertSql(relation, rows, {
      missingDefault: call.prefs.missing === 'default',
      resolution: call.method === 'PUT' ? 'merge-duplicates' : call.prefs.resolution,
      onConflict: parts.onConflict,
      returning: wanted,
    }, params)
  }
  else {
    let where = root.conditions.map(c => conditionSql('"t0"', c, params, types))
    if (root.limit !== undefined || root.offset !== undefined) where = [limitedRows(relation, root, where, params)]
    mutation = call.method === 'PATCH'
      ? updateSql(relation, call.body, where, wanted, params)
      : deleteSql(relation, where, wanted)
  }

  let final = 'select null::bigint as total, count(*)::int as page, null::text as body'
    + ' from "pgrst_source"'
  if (wanted) {
    // Filters chose the rows to write; what remains shapes the returned representation.
    const levels = new Map(parts.levels)
    levels.set('', { conditions: [], order: root.order })
    const builder = new ReadBuilder(call.cache, params, levels)
    const built = builder.level(relation, '"t0"', parts.select)
    builder.checkLevelsUsed()
    final = readStatement('"pgrst_source" as "t0"', built, { exactCount: false }, bodySql(call, true))
  }

  return call.run(false, async (client) => {
    const statement = `with "pgrst_source" as (${mutation}) ${final}`
    const row = mutation
      ? (await runStatement(call, client, statement, params.values)).rows[0]
      : { page: 0, body: wanted ? '[]' : null }
    checkSingle(call, row.page)
    const max = call.prefs.maxAffected
    if (max !== undefined && call.prefs.handling === 'strict' && row.page > max) {
      throw new RestError(400, 'PGRST124', 'Query result exceeds max-affected preference constraint',
        `The query affects ${row.page} rows`)
    }
    const total = call.prefs.count ? String(row.page) : '*'
    const range = call.method === 'PATCH' && row.page > 0 ? `0-${row.page - 1}/${total}` : `*/${total}`
    const created = call.method === 'POST'
    return {
      status: wanted ? (created ? 201 : 200) : (created ? 201 : 204),
      body: wanted ? row.body : undefined,
      headers: { 'content-range': range },
    }
  })
}
