import { RestError } from './errors.ts'
import type { Condition, Field, Filter, OrderTerm } from './parse.ts'

/** Collects bound parameters while a statement is built; values never enter the SQL text. */
export class Params {
  readonly values: unknown[] = []

  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

/** Quotes an identifier; any name is safe, because it can never leave the quotes. */
export function ident(name: string): string {
  if (name.includes('\0')) throw new RestError(400, 'PGRST100', 'Names cannot contain NUL characters')
  return `"${name.replace(/"/g, '""')}"`
}

export function qualified(schema: string, name: string) {
  return `${ident(schema)}.${ident(name)}`
}

/** Where columns come from: a table alias, or a function that also knows computed fields. */
export type Source = string | ((name: string) => string)

/** The SQL of a column with its JSON path, read from the given table alias. */
export function fieldSql(source: Source, field: Field, params: Params): string {
  let sql = typeof source === 'string' ? `${source}.${ident(field.name)}` : source(field.name)
  for (const step of field.path) {
    const index = /^-?\d{1,9}$/.test(step.key)
      ? String(Number(step.key))
      : `${params.add(step.key)}::text`
    sql += `${step.arrow}${index}`
  }
  return sql
}

/** The key a column gets in the JSON output: the alias, else the last JSON key, else its name. */
export function outputName(field: Field, alias?: string) {
  return alias ?? field.path.at(-1)?.key ?? field.name
}

const comparison: Record<string, string> = {
  eq: '=', neq: '<>', gt: '>', gte: '>=', lt: '<', lte: '<=', like: 'like', ilike: 'ilike',
  match: '~', imatch: '~*', cs: '@>', cd: '<@', ov: '&&',
  sl: '<<', sr: '>>', nxl: '&>', nxr: '&<', adj: '-|-',
}
const isValues: Record<string, string> = {
  null: 'is null', not_null: 'is not null', true: 'is true', false: 'is false', unknown: 'is unknown',
}
const tsQuery: Record<string, string> = {
  fts: 'to_tsquery', plfts: 'plainto_tsquery', phfts: 'phraseto_tsquery', wfts: 'websearch_to_tsquery',
}

function likePattern(op: string, value: string) {
  return op === 'like' || op === 'ilike' ? value.replace(/\*/g, '%') : value
}

/** The SQL of one filter; `columnType` tells full-text search whether to build a tsvector. */
export function filterSql(left: string, filter: Filter, params: Params, columnType?: string): string {
  const { op, value } = filter
  let sql: string
  if (op === 'is') sql = `${left} ${isValues[value.toLowerCase()]}`
  else if (op === 'isdistinct') sql = `${left} is distinct from ${params.add(value)}`
  else if (op === 'in') sql = `${left} = any(${params.add(filter.list)})`
  else if (op in tsQuery) {
    const config = filter.config ? `${params.add(filter.config)}::regconfig, ` : ''
    const vector = columnType === 'tsvector' ? left : `to_tsvector(${config}${left})`
    sql = `${vector} @@ ${tsQuery[op]}(${config}${params.add(value)})`
  }
  else if (filter.quantifier) {
    const list = filter.list!.map(item => likePattern(op, item))
    sql = `${left} ${comparison[op]} ${filter.quantifier}(${params.add(list)})`
  }
  else sql = `${left} ${comparison[op]} ${params.add(likePattern(op, value))}`
  return filter.negate ? `not (${sql})` : sql
}

/** How a condition on a name that is not a column (an embedded resource) is written. */
export type EmbedCondition = (filter: Filter) => string | undefined

/** The SQL of a tree of and/or conditions over one table alias. */
export function conditionSql(
  alias: Source,
  condition: Condition,
  params: Params,
  types: (name: string) => string | undefined,
  embedCondition: EmbedCondition = () => undefined,
): string {
  if (condition.type === 'filter') {
    const { filter } = condition
    const onEmbed = filter.field.path.length === 0 ? embedCondition(filter) : undefined
    if (onEmbed) return onEmbed
    const type = filter.field.path.length ? undefined : types(filter.field.name)
    return filterSql(fieldSql(alias, filter.field, params), filter, params, type)
  }
  const parts = condition.children
    .map(child => conditionSql(alias, child, params, types, embedCondition))
  const empty = condition.op === 'and' ? 'true' : 'false'
  const joined = parts.length ? `(${parts.join(` ${condition.op} `)})` : empty
  return condition.negate ? `not ${joined}` : joined
}

/** The SQL of an ORDER BY term list (without the keywords). */
export function orderSql(
  alias: Source,
  terms: OrderTerm[],
  params: Params,
  related: (term: OrderTerm) => string = () => {
    throw new RestError(400, 'PGRST118',
      'Ordering by a related resource is only possible on a to-one embed')
  },
): string {
  return terms.map((term) => {
    const expression = term.embed ? related(term) : fieldSql(alias, term.field, params)
    let sql = `${expression} ${term.descending ? 'desc' : 'asc'}`
    if (term.nulls) sql += ` nulls ${term.nulls}`
    return sql
  }).join(', ')
}
