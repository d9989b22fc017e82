import { RestError } from './errors.ts'
import type { Relation } from './schema.ts'
import { ident, qualified, type Params } from './sql.ts'

/** The rows of an insert body and the columns they fill. */
export interface InsertRows { json: string, columns: string[] }

function bodyError(message: string) {
  return new RestError(400, 'PGRST102', message)
}

function missingColumn(relation: Relation, name: string) {
  return new RestError(400, 'PGRST204',
    `Could not find the '${name}' column of '${relation.name}' in the schema cache`)
}

/** Checks that every named column exists, as PostgREST does before writing. */
export function checkColumns(relation: Relation, columns: string[]) {
  for (const name of columns) if (!relation.columns.has(name)) throw missingColumn(relation, name)
}

/** Validates an insert body (an object or an array of objects) and picks its columns. */
export function insertRows(
  relation: Relation, body: unknown, columnsParam: string[] | undefined,
): InsertRows {
  const rows = Array.isArray(body) ? body : [body]
  if (body === undefined || rows.some(row => !row || typeof row !== 'object' || Array.isArray(row))) {
    throw bodyError('The request body must be a JSON object or an array of JSON objects')
  }
  let columns = columnsParam
  if (!columns) {
    const first = Object.keys(rows[0] ?? {})
    const same = rows.every((row) => {
      const keys = Object.keys(row)
      return keys.length === first.length && keys.every(k => first.includes(k))
    })
    if (!same) throw bodyError('All object keys must match')
    columns = first
  }
  checkColumns(relation, columns)
  return { json: JSON.stringify(rows), columns }
}

export interface InsertOptions {
  missingDefault: boolean
  resolution?: 'merge-duplicates' | 'ignore-duplicates'
  onConflict?: string[]
  returning: boolean
}

function returning(wanted: boolean) {
  return wanted ? ' returning "t0".*' : ' returning 1'
}

/** INSERT … SELECT from the JSON body, with ON CONFLICT for upserts. */
export function insertSql(relation: Relation, rows: InsertRows, options: InsertOptions, params: Params) {
  const table = qualified(relation.schema, relation.name)
  const body = params.add(rows.json)
  const values = rows.columns.map((name) => {
    const column = `"pgrst_rec".${ident(name)}`
    if (!options.missingDefault) return column
    const fallback = relation.columns.get(name)?.defaultSql ?? 'null'
    return `case when "pgrst_row".j ? ${params.add(name)} then ${column} else ${fallback} end`
  })
  const target = rows.columns.length ? ` (${rows.columns.map(ident).join(', ')})` : ''
  let sql = `insert into ${table} as "t0"${target} select ${values.join(', ')}`
    + ` from jsonb_array_elements(${body}::jsonb) with ordinality as "pgrst_row"(j, n)`
    + ` cross join lateral jsonb_populate_record(null::${table}, "pgrst_row".j) as "pgrst_rec"`
    + ' order by "pgrst_row".n'
  if (options.resolution) {
    const keys = options.onConflict ?? relation.primaryKey
    const conflict = keys.length ? ` (${keys.map(ident).join(', ')})` : ''
    const updates = rows.columns.map(c => `${ident(c)} = excluded.${ident(c)}`)
    sql += options.resolution === 'merge-duplicates' && updates.length && keys.length
      ? ` on conflict${conflict} do update set ${updates.join(', ')}`
      : ` on conflict${conflict} do nothing`
  }
  return sql + returning(options.returning)
}

/** UPDATE of the filtered rows with the columns of a JSON object body. */
export function updateSql(
  relation: Relation, body: unknown, where: string[], wanted: boolean, params: Params,
) {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw bodyError('The request body of an update must be a JSON object')
  }
  const columns = Object.keys(body)
  checkColumns(relation, columns)
  if (where.length === 0) throw new RestError(400, '21000', 'UPDATE requires a WHERE clause')
  if (columns.length === 0) return undefined
  const table = qualified(relation.schema, relation.name)
  const set = columns.map(c => `${ident(c)} = "pgrst_rec".${ident(c)}`).join(', ')
  return `update ${table} as "t0" set ${set}`
    + ` from jsonb_populate_record(null::${table}, ${params.add(JSON.stringify(body))}::jsonb)`
    + ' as "pgrst_rec"'
    + ` where ${where.join(' and ')}${returning(wanted)}`
}

/** DELETE of the filtered rows. */
export function deleteSql(relation: Relation, where: string[], wanted: boolean) {
  if (where.length === 0) throw new RestError(400, '21000', 'DELETE requires a WHERE clause')
  return `delete from ${relation.qualified} as "t0"`
    + ` where ${where.join(' and ')}${returning(wanted)}`
}
