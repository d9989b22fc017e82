import rules from '../health-check/rules.json'

/** What a match looks like; the app translates it as `healthCheck.category.<name>`. */
export type HealthCategory = 'diagnosis' | 'medication' | 'symptom' | 'treatment' | 'test_result'

/** One passage the check reacted to, with its place in the original text. */
export interface HealthMatch {
  text: string
  category: HealthCategory
  start: number
  end: number
}

/** The answer of checkHealthText: whether to warn, and the words to quote. */
export interface HealthCheckResult {
  flagged: boolean
  matches: HealthMatch[]
}

/** The categories in the order the app lists them. */
export const healthCategories = rules.categories as HealthCategory[]

/**
 * Lower-cases A-Z and the Latin-1 capitals one UTF-16 unit for one, so that
 * positions in the result are positions in the original; Postgres does the same
 * with translate(), because its lower() ignores æøå under the C locale.
 */
export function normaliseHealthText(text: string) {
  return text.replace(/[A-ZÀ-ÖØ-Þ\u00a0]/g, c =>
    c === '\u00a0' ? ' ' : String.fromCharCode(c.charCodeAt(0) + 32))
}

/** Wraps a rule so it matches whole words only, the same way private.health_matches does. */
export function healthWordPattern(pattern: string) {
  return `(?<![${rules.boundary}])(?:${pattern})(?![${rules.boundary}])`
}

/**
 * The regexes the check runs: one per category and one for the everyday
 * exceptions. Postgres gets these very strings (see health-check/sql.ts): it
 * keeps only 32 compiled regexes per connection, so six big ones stay
 * compiled where sixty small ones would be compiled again for every text.
 */
export function healthRegexSources() {
  const byCategory = healthCategories.map(category => ({
    kind: category as HealthCategory | 'everyday',
    source: healthWordPattern(rules.rules.filter(r => r.category === category).map(r => r.pattern)
      .join('|')),
  }))
  const everyday = healthWordPattern(rules.exceptions.map(e => e.pattern).join('|'))
  return [...byCategory, { kind: 'everyday' as const, source: everyday }]
}

const compiled = healthRegexSources()
  .map(({ kind, source }) => ({ kind, regex: new RegExp(source, 'g') }))

function spans(regex: RegExp, text: string) {
  return [...text.matchAll(regex)].map(m => ({ start: m.index, end: m.index + m[0].length }))
}

/** Finds health information: diagnoses, medication, symptoms, treatment and test results. */
export function checkHealthText(text: string): HealthCheckResult {
  const normalised = normaliseHealthText(text)
  const everyday = compiled.filter(c => c.kind === 'everyday')
    .flatMap(c => spans(c.regex, normalised))
  const found = compiled
    .flatMap(({ kind, regex }) => kind === 'everyday'
      ? []
      : spans(regex, normalised).map(span => ({ ...span, category: kind })))
    .filter(m => !everyday.some(e => e.start <= m.start && m.end <= e.end))

  // Two categories may claim overlapping words: keep the widest, then the earlier category.
  const wider = (o: typeof found[number], m: typeof found[number]) => o !== m && o.start <= m.start
    && m.end <= o.end && (o.end - o.start > m.end - m.start || found.indexOf(o) < found.indexOf(m))
  const matches = found
    .filter(m => !found.some(o => wider(o, m)))
    .sort((a, b) => a.start - b.start)
    .map(({ start, end, category }) => ({ text: text.slice(start, end), category, start, end }))
  return { flagged: matches.length > 0, matches }
}
