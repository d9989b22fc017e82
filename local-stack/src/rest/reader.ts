import { parseError } from './errors.ts'

/** One step into a JSON column: `->key` keeps JSON, `->>key` gives text. */
export interface JsonStep { arrow: '->' | '->>', key: string }

/** A column, possibly followed by a JSON path, as in `data->address->>city`. */
export interface Field { name: string, path: JsonStep[] }

/** Drops whitespace outside double quotes, as PostgREST does for `select`. */
export function stripSpaces(text: string) {
  let out = ''
  let quoted = false
  for (const char of text) {
    if (char === '"') quoted = !quoted
    if (quoted || !/\s/.test(char)) out += char
  }
  return out
}

export class Reader {
  pos = 0
  /** How deep the parser is in nested parentheses, to refuse absurd nesting. */
  depth = 0
  constructor(readonly text: string, readonly what: string) {}

  peek(s: string) {
    return this.text.startsWith(s, this.pos)
  }

  eat(s: string) {
    if (!this.peek(s)) return false
    this.pos += s.length
    return true
  }

  done() {
    return this.pos >= this.text.length
  }

  fail(expected: string): never {
    const near = this.text.slice(this.pos, this.pos + 20) || 'end of input'
    throw parseError(`"failed to parse ${this.what} (${this.text})" (line 1, column ${this.pos + 1})`,
      `unexpected "${near}" expecting ${expected}`)
  }

  /** A bare or double-quoted identifier. */
  name(): string {
    if (this.eat('"')) {
      const end = this.text.indexOf('"', this.pos)
      if (end < 0) this.fail('closing quote')
      const name = this.text.slice(this.pos, end)
      this.pos = end + 1
      return name
    }
    const start = this.pos
    while (!this.done()) {
      const c = this.text[this.pos]
      if (',:()!"*.'.includes(c) || this.peek('->')) break
      this.pos++
    }
    if (this.pos === start) this.fail('field name (* or [a..z0..9_$])')
    return this.text.slice(start, this.pos)
  }

  field(): Field {
    const field: Field = { name: this.name(), path: [] }
    while (this.peek('->')) {
      const arrow = this.eat('->>') ? '->>' : (this.eat('->'), '->')
      field.path.push({ arrow, key: this.name() })
    }
    return field
  }
}
