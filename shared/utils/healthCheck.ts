import rules from '../health-check/rules.json'

/** What kind of health information a match looks like; the app translates it as `healthCheck.category.<name>`. */
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
  return text.replace(/[A-ZÀ-ÖØ-Þ\u00a0]/g, c => c === '\u00a0' ? ' ' : String.fromCharCode(c.charCodeAt(0) + 32))
}

/** Wraps a rule so it matches whole words only, the same way private.health_matches does. */
export function wholeWordPattern(pattern: string) {
  return `(?<![${rules.boundary}])(?:${pattern})(?![${rules.boundary}])`
}

const compiledRules = rules.rules.map(rule => ({
  category: rule.category as HealthCategory,
  regex: new RegExp(wholeWordPattern(rule.pattern), 'g'),
}))
const compiledExceptions = rules.exceptions.map(exception => new RegExp(wholeWordPattern(exception.pattern), 'g'))

function spans(regex: RegExp, text: string) {
  return [...text.matchAll(regex)].map(m => ({ start: m.index, end: m.index + m[0].length }))
}

/** Finds words in the text that look like health information (diagnoses, medication, symptoms, treatment, test results). */
export function checkHealthText(text: string): HealthCheckResult {
  const normalised = normaliseHealthText(text)
  const everyday = compiledExceptions.flatMap(regex => spans(regex, normalised))
  const found = compiledRules
    .flatMap(rule => spans(rule.regex, normalised).map(span => ({ ...span, category: rule.category })))
    .filter(m => !everyday.some(e => e.start <= m.start && m.end <= e.end))

  // Two rules may see the same words ("hjerneslag" and "fikk slag"): keep the widest.
  const matches = found
    .filter(m => !found.some(o => o !== m && o.start <= m.start && m.end <= o.end
      && (o.end - o.start > m.end - m.start || found.indexOf(o) < found.indexOf(m))))
    .sort((a, b) => a.start - b.start)
    .map(m => ({ text: text.slice(m.start, m.end), category: m.category, start: m.start, end: m.end }))
  return { flagged: matches.length > 0, matches }
}
