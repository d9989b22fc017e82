import { RestError } from './errors.ts'
import { Reader, stripSpaces, type Field } from './reader.ts'

/** One item of `select=`: all columns, a column (alias, cast, JSON path) or an embedded resource. */
export type SelectItem
  = | { type: 'star' }
    | { type: 'column', field: Field, alias?: string, cast?: string }
    | {
      type: 'embed'
      name: string
      alias?: string
      hint?: string
      inner: boolean
      spread: boolean
      select: SelectItem[]
    }

const typeName = /^[A-Za-z_][A-Za-z0-9_]*(\[\])?$/

function selectItem(r: Reader): SelectItem {
  if (r.eat('*')) return { type: 'star' }
  const spread = r.eat('...')
  let alias: string | undefined
  let name = r.name()
  if (r.peek(':') && !r.peek('::')) {
    r.eat(':')
    alias = name
    name = r.name()
  }
  if (r.peek('!') || r.peek('(')) {
    let hint: string | undefined
    let inner = false
    while (r.eat('!')) {
      const word = r.name()
      if (word === 'inner') inner = true
      else if (word !== 'left') hint = word
    }
    if (!r.eat('(')) r.fail('"("')
    if (name === 'count' && r.peek(')')) {
      throw new RestError(400, 'PGRST123', 'Use of aggregate functions is not allowed')
    }
    if (++r.depth > 20) r.fail('at most 20 levels of embedding')
    const select = r.peek(')') ? [] : selectList(r)
    r.depth--
    if (!r.eat(')')) r.fail('")"')
    return { type: 'embed', name, alias, hint, inner, spread, select }
  }
  if (spread) r.fail('"(" after a spread relationship')
  const field: Field = { name, path: [] }
  while (r.peek('->')) {
    const arrow = r.eat('->>') ? '->>' : (r.eat('->'), '->')
    field.path.push({ arrow, key: r.name() })
  }
  let cast: string | undefined
  if (r.eat('::')) {
    const start = r.pos
    while (!r.done() && /[A-Za-z0-9_[\]]/.test(r.text[r.pos])) r.pos++
    cast = r.text.slice(start, r.pos)
    if (!typeName.test(cast)) r.fail('a type name')
  }
  if (r.peek('.')) throw new RestError(400, 'PGRST123', 'Use of aggregate functions is not allowed')
  return { type: 'column', field, alias, cast }
}

function selectList(r: Reader): SelectItem[] {
  const items = [selectItem(r)]
  while (r.eat(',')) items.push(selectItem(r))
  return items
}

/** Parses `select=` into a tree of columns and embedded resources. */
export function parseSelect(text: string | null): SelectItem[] {
  if (text === null || text.trim() === '') return [{ type: 'star' }]
  const r = new Reader(stripSpaces(text), 'select')
  const items = selectList(r)
  if (!r.done()) r.fail('"," or end of input')
  return items
}

/** Parses a column reference with an optional JSON path, e.g. in a filter key. */
