import { parseError } from './errors.ts'
import { Reader, stripSpaces, type Field } from './reader.ts'

export type { Field, JsonStep } from './reader.ts'
export type { SelectItem } from './select.ts'
export { parseSelect } from './select.ts'

export interface Filter {
  field: Field
  negate: boolean
  op: string
  quantifier?: 'any' | 'all'
  /** The text search configuration of fts/plfts/phfts/wfts. */
  config?: string
  value: string
  /** The items of `in.(…)` or of a quantified `{…}` list. */
  list?: string[]
}

export type Condition
  = | { type: 'filter', filter: Filter }
    | { type: 'group', op: 'and' | 'or', negate: boolean, children: Condition[] }

export interface OrderTerm {
  field: Field
  descending: boolean
  nulls?: 'first' | 'last'
  /** Set for `rel(col)`: order by a column of a to-one embedded resource. */
  embed?: string
}

const simpleOps = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch',
  'is', 'isdistinct', 'in', 'cs', 'cd', 'ov', 'sl', 'sr', 'nxl', 'nxr', 'adj',
  'fts', 'plfts', 'phfts', 'wfts'])
const quantifiable = new Set(['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'like', 'ilike', 'match', 'imatch'])
const ftsOps = new Set(['fts', 'plfts', 'phfts', 'wfts'])

/** Parses a column reference with an optional JSON path, e.g. in a filter key. */
export function parseField(text: string, what = 'filter'): Field {
  const r = new Reader(text, what)
  const field = r.field()
  if (!r.done()) r.fail('"->", "->>" or end of input')
  return field
}

/**
 * Splits at commas outside parentheses and braces. As in PostgREST, a double quote
 * only opens a quoted item at the start of an item; elsewhere it is an ordinary character.
 */
export function splitTopLevel(text: string): string[] {
  const parts: string[] = []
  let depth = 0
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"' && (i === start || '(,{.'.includes(text[i - 1]))) {
      for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
    }
    else if (c === '(' || c === '{') depth++
    else if (c === ')' || c === '}') depth--
    else if (depth === 0 && c === ',') {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

function unquote(item: string) {
  if (item.length >= 2 && item.startsWith('"') && item.endsWith('"')) {
    return item.slice(1, -1).replace(/\\(.)/g, '$1')
  }
  return item
}

function listItems(value: string, open: string, close: string, what: string): string[] {
  if (!value.startsWith(open) || !value.endsWith(close)) {
    throw parseError(`"failed to parse filter (${what})"`, `expected a list in "${open}…${close}"`)
  }
  const inside = value.slice(1, -1)
  return inside === '' ? [] : splitTopLevel(inside).map(unquote)
}

/** Parses `[not.]op[(modifier)].value` for the given field. */
export function parseFilter(field: Field, expression: string, inLogic = false): Filter {
  let rest = expression
  const negate = rest.startsWith('not.')
  if (negate) rest = rest.slice(4)
  const m = rest.match(/^([a-z]+)(?:\(([^)]*)\))?\.([\s\S]*)$/)
  if (!m || !simpleOps.has(m[1])) {
    throw parseError(`"failed to parse filter (${expression})" (line 1, column 1)`,
      'unexpected operator, expecting one of eq, neq, gt, gte, lt, lte, like, ilike, match, imatch, is, '
      + 'isdistinct, in, cs, cd, ov, sl, sr, nxl, nxr, adj, fts, plfts, phfts, wfts or not')
  }
  const [, op, modifier, raw] = m
  const value = inLogic ? unquote(raw) : raw
  const filter: Filter = { field, negate, op, value }
  if (modifier !== undefined) {
    if (ftsOps.has(op)) filter.config = modifier
    else if (quantifiable.has(op) && (modifier === 'any' || modifier === 'all')) {
      filter.quantifier = modifier
    }
    else {
      throw parseError(`"failed to parse filter (${expression})"`, `unexpected modifier "${modifier}"`)
    }
  }
  if (op === 'in') filter.list = listItems(raw, '(', ')', expression)
  if (filter.quantifier) filter.list = listItems(raw, '{', '}', expression)
  if (op === 'is' && !['null', 'not_null', 'true', 'false', 'unknown'].includes(value.toLowerCase())) {
    throw parseError(`"failed to parse filter (${expression})"`,
      'unexpected value, expecting null, not_null, true, false or unknown')
  }
  return filter
}

/** Parses the value of `or=` / `and=`: `(a.eq.1,and(b.gt.2,c.lt.3))`. */
export function parseLogic(op: 'and' | 'or', negate: boolean, value: string, depth = 0): Condition {
  if (depth > 20) throw parseError('"failed to parse logic tree"', 'nested more than 20 levels')
  if (!value.startsWith('(') || !value.endsWith(')')) {
    throw parseError(`"failed to parse logic tree (${value})" (line 1, column 1)`,
      'unexpected end of input expecting "("')
  }
  const children = splitTopLevel(value.slice(1, -1)).map((item): Condition => {
    const group = item.match(/^(not\.)?(and|or)(\(.*\))$/s)
    if (group) return parseLogic(group[2] as 'and' | 'or', Boolean(group[1]), group[3], depth + 1)
    const dot = item.search(/\.(?!>)/)
    if (dot <= 0) throw parseError(`"failed to parse logic tree (${value})"`, `unexpected "${item}"`)
    const field = parseField(item.slice(0, dot), 'logic tree')
    return { type: 'filter', filter: parseFilter(field, item.slice(dot + 1), true) }
  })
  return { type: 'group', op, negate, children }
}

/** Parses `order=a.desc.nullslast,b`. */
export function parseOrder(value: string): OrderTerm[] {
  return splitTopLevel(value).map((term) => {
    const parts = term.split('.')
    const modifiers = parts.slice(1)
    const related = parts[0].match(/^([^()]+)\(([^()]+)\)$/)
    const field = parseField(related ? related[2] : parts[0], 'order')
    const order: OrderTerm = { field, descending: false, embed: related?.[1] }
    for (const modifier of modifiers) {
      if (modifier === 'asc' || modifier === 'desc') order.descending = modifier === 'desc'
      else if (modifier === 'nullsfirst') order.nulls = 'first'
      else if (modifier === 'nullslast') order.nulls = 'last'
      else {
        throw parseError(`"failed to parse order (${value})" (line 1, column 1)`,
          `unexpected "${modifier}" expecting asc, desc, nullsfirst or nullslast`)
      }
    }
    return order
  })
}

/** Parses a non-negative integer parameter such as limit or offset. */
export function parseCount(value: string, name: string): number {
  if (!/^\d{1,15}$/.test(value)) {
    throw parseError(`"failed to parse ${name} parameter (${value})"`, 'expected a non-negative integer')
  }
  return Number(value)
}

/** Parses a quoted or bare comma list such as `columns="a","b"` or `on_conflict=a,b`. */
export function parseColumnList(value: string): string[] {
  return splitTopLevel(stripSpaces(value)).map(unquote).filter(name => name !== '')
}
