// The translations: Bokmål and English hold the same keys with the same placeholders,
// each area file owns its own top-level keys, and every key the code asks for exists.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

type Messages = { [key: string]: string | Messages }
const root = join(import.meta.dirname, '../..')
const locales = ['nb', 'en'] as const

function readJson(path: string): Messages {
  return JSON.parse(readFileSync(join(root, path), 'utf8'))
}

/** The files nuxt.config.ts merges for a locale, in the same order. */
function localeFiles(code: string) {
  const areas = readdirSync(join(root, 'i18n/locales', code)).filter(name => name.endsWith('.json')).sort()
  return [`i18n/locales/${code}.json`, ...areas.map(name => `i18n/locales/${code}/${name}`)]
}

function flatten(messages: Messages, prefix = ''): Map<string, string> {
  const out = new Map<string, string>()
  for (const [key, value] of Object.entries(messages)) {
    const path = prefix ? `${prefix}.${key}` : key
    if (typeof value === 'string') out.set(path, value)
    else for (const [k, v] of flatten(value, path)) out.set(k, v)
  }
  return out
}

function merged(code: string) {
  const all: Messages = {}
  for (const file of localeFiles(code)) Object.assign(all, readJson(file))
  return flatten(all)
}

function files(dir: string, pattern: RegExp): string[] {
  return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
    .filter(entry => entry.isFile() && pattern.test(entry.name))
    .map(entry => join(entry.parentPath, entry.name))
}

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort()

describe('translations', () => {
  it.each(locales)('no two files of %s define the same top-level key', (code) => {
    const owner = new Map<string, string>()
    for (const file of localeFiles(code)) {
      for (const key of Object.keys(readJson(file))) {
        expect(owner.get(key), `${key} is in ${owner.get(key)} and ${file}`).toBeUndefined()
        owner.set(key, file)
      }
    }
  })

  it('Bokmål and English have the same area files', () => {
    expect(localeFiles('en').map(f => f.replace('/en', '/nb'))).toEqual(localeFiles('nb'))
  })

  it('Bokmål and English have the same keys and placeholders, none empty', () => {
    const nb = merged('nb')
    const en = merged('en')
    expect([...en.keys()].filter(k => !nb.has(k)), 'in English only').toEqual([])
    expect([...nb.keys()].filter(k => !en.has(k)), 'in Bokmål only').toEqual([])
    for (const [key, text] of nb) {
      expect(text.trim(), key).not.toBe('')
      expect(placeholders(en.get(key)!), key).toEqual(placeholders(text))
    }
  })

  it('every literal key the app asks for exists', () => {
    const nb = merged('nb')
    const missing: string[] = []
    for (const file of [...files('app', /\.(vue|ts)$/), ...files('server', /\.ts$/)]) {
      const source = readFileSync(file, 'utf8')
      for (const match of source.matchAll(/(?:\$t|\bt|\$te|\bte|i18n\.t|keypath=)\(?\s*['"`]([a-zA-Z][\w-]*(?:\.[\w-]+)+)['"`]/g)) {
        const key = match[1]!
        // A key that names a branch (used with a dynamic suffix) is fine too.
        const known = nb.has(key) || [...nb.keys()].some(k => k.startsWith(`${key}.`))
        if (!known) missing.push(`${file.slice(root.length + 1)}: ${key}`)
      }
    }
    expect(missing).toEqual([])
  })
})
