/** One `column=op.value` condition of a postgres_changes filter. */
export interface Condition {
  column: string
  op: string
  negate: boolean
  value: string
  /** The values of an `in.(…)` list. */
  list?: string[]
}

const operators = new Set(['eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'in', 'like', 'ilike', 'is'])

/** A filter (or event) realtime cannot parse; its message is the join's error reason. */
export class FilterError extends Error {}

/** Parses `id=eq.1`, `status=in.(a,b)`, `name=not.like.A%` and several joined by commas (all must hold). */
export function parseFilter(filter: string): Condition[] {
  return filter.split(/,(?=[A-Za-z_][\w$]*=)/).map((part) => {
    const match = part.match(/^([^=]+)=(not\.)?([a-z]+)\.(.*)$/s)
    if (!match || !operators.has(match[3])) {
      throw new FilterError(`Error parsing \`filter\` params: ${part} is not of the form column=operator.value `
        + `with operator one of ${[...operators].join(', ')}`)
    }
    const [, column, not, op, value] = match
    const condition: Condition = { column: column.trim(), op, negate: Boolean(not), value }
    if (op === 'in') {
      const inner = value.match(/^\((.*)\)$/s)?.[1]
      if (inner === undefined) {
        throw new FilterError(`Error parsing \`filter\` params: ${part} needs a list like in.(1,2)`)
      }
      condition.list = inner.split(',').map(v => v.trim().replace(/^"(.*)"$/s, '$1'))
    }
    return condition
  })
}

const timeTypes = new Set(['timestamp', 'timestamptz', 'date', 'time', 'timetz'])

/** Compares a typed record value with a filter's text value the way Postgres would cast it. */
function compare(value: unknown, text: string, type: string): number | undefined {
  if (typeof value === 'number') {
    const other = Number(text)
    return Number.isNaN(other) ? undefined : Math.sign(value - other)
  }
  if (typeof value === 'boolean') return value === (text === 'true' || text === 't') ? 0 : 1
  if (typeof value === 'string') {
    if (timeTypes.has(type) && type !== 'time' && type !== 'timetz') {
      const a = parseTime(value)
      const b = parseTime(text)
      if (!Number.isNaN(a) && !Number.isNaN(b)) return Math.sign(a - b)
    }
    return value === text ? 0 : value < text ? -1 : 1
  }
  return JSON.stringify(value) === text ? 0 : undefined
}

/** Postgres' text output ('2024-05-01 12:00:00+00') or ISO, in ms; a zone-less time is read as local on both sides. */
function parseTime(text: string) {
  return Date.parse(text.trim().replace(' ', 'T').replace(/([+-]\d\d)$/, '$1:00'))
}

function likePattern(pattern: string, flags: string) {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '.*').replace(/_/g, '.')
  return new RegExp(`^${body}$`, flags)
}

function holds(c: Condition, value: unknown, type: string): boolean {
  if (c.op === 'is') {
    const v = c.value.toLowerCase()
    if (v === 'null') return value === null || value === undefined
    if (v === 'true' || v === 'false') return value === (v === 'true')
    return false
  }
  if (c.op === 'in') return c.list!.some(item => compare(value, item, type) === 0)
  if (c.op === 'like' || c.op === 'ilike') {
    return typeof value === 'string' && likePattern(c.value, c.op === 'ilike' ? 'is' : 's').test(value)
  }
  const order = compare(value, c.value, type)
  if (order === undefined) return false
  switch (c.op) {
    case 'eq': return order === 0
    case 'neq': return order !== 0
    case 'lt': return order < 0
    case 'lte': return order <= 0
    case 'gt': return order > 0
    default: return order >= 0 // gte
  }
}

/** True when every condition holds for the record; `types` maps column names to Postgres type names. */
export function matches(conditions: Condition[], row: Record<string, unknown>, types: Record<string, string>) {
  return conditions.every((c) => {
    const value = row[c.column]
    // As in SQL, a comparison with NULL is never true, negated or not.
    if (c.op !== 'is' && (value === null || value === undefined)) return false
    const result = holds(c, value, types[c.column] ?? 'text')
    return c.negate ? !result : result
  })
}

const typeNames: Record<number, string> = {
  16: 'bool', 20: 'int8', 21: 'int2', 23: 'int4', 26: 'oid', 700: 'float4', 701: 'float8', 1700: 'numeric',
  114: 'json', 3802: 'jsonb', 1082: 'date', 1083: 'time', 1114: 'timestamp', 1184: 'timestamptz', 1266: 'timetz',
}
const numberTypes = new Set(['int2', 'int4', 'int8', 'oid', 'float4', 'float8', 'numeric'])

/**
 * A pgoutput tuple (text values) typed just enough to test filters before the
 * database is asked anything, so subscribers whose filter fails cost nothing.
 */
export function filterableRow(tuple: Record<string, string | null>, columns: { name: string, typeOid: number }[]) {
  const row: Record<string, unknown> = {}
  const types: Record<string, string> = {}
  for (const { name, typeOid } of columns) {
    const type = typeNames[typeOid] ?? 'text'
    types[name] = type
    const text = tuple[name]
    if (text === undefined || text === null) {
      row[name] = text
      continue
    }
    if (numberTypes.has(type)) row[name] = Number(text)
    else if (type === 'bool') row[name] = text === 't'
    else if (type === 'json' || type === 'jsonb') row[name] = JSON.parse(text)
    else row[name] = text
  }
  return { row, types }
}
