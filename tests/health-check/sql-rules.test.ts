import { describe, expect, it } from 'vitest'
import { labelledSentences, scoreHealthCheck } from '../../shared/health-check/evaluate.ts'
import { checkHealthText, normaliseHealthText } from '../../shared/utils/healthCheck.ts'
import { db, one } from '../access/fixtures.ts'

// private.health_matches must say what checkHealthText says, or the warning
// in the browser and the record in the database would disagree.

const latin1 = Array.from({ length: 0xe0 }, (_, i) => String.fromCharCode(0x20 + i)).join('')

async function termsInSql(texts: string[]) {
  const { rows } = await db<{ terms: string[] | null }>(`
    select (select array_agg(m.term order by m.start_at) from private.health_matches(t) m) as terms
    from unnest($1::text[]) with ordinality as s (t, n) order by n`, [texts])
  return rows.map(r => r.terms ?? [])
}

describe('private.health_matches', () => {
  it('finds the same words as the browser check in every labelled sentence', async () => {
    const texts = labelledSentences.map(s => s.text)
    const inSql = await termsInSql(texts)
    const disagreements = texts.filter((text, i) =>
      JSON.stringify(inSql[i]) !== JSON.stringify(checkHealthText(text).matches.map(m => m.text)))
    expect(disagreements).toEqual([])
  })

  it('keeps precision and recall of at least 0.9 on the labelled set', async () => {
    const inSql = await termsInSql(labelledSentences.map(s => s.text))
    const score = scoreHealthCheck(labelledSentences, inSql.map(terms => terms.length > 0))
    expect(score.precision).toBeGreaterThanOrEqual(0.9)
    expect(score.recall).toBeGreaterThanOrEqual(0.9)
  })

  it('gives the same positions and categories as the browser check', async () => {
    const text = 'ÆØÅ! Mor har DEMENS og får Paracet 500 mg, sa fastlegen.'
    const { rows } = await db(`select term as text, category, start_at as start, end_at as "end"
      from private.health_matches($1)`, [text])
    expect(rows).toEqual(checkHealthText(text).matches)
    expect(rows.map(r => r.text)).toEqual(['DEMENS', 'Paracet', '500 mg', 'fastlegen'])
  })

  it('finds the same words after emoji, where only the positions differ', async () => {
    const text = 'Mamma 😊 fikk Paracet 💊 og insulin ❤️'
    expect(await termsInSql([text])).toEqual([['Paracet', 'insulin']])
    expect(checkHealthText(text).matches.map(m => m.text)).toEqual(['Paracet', 'insulin'])
  })

  it('lower-cases exactly as the browser check does', async () => {
    const row = await one(`select private.health_normalise($1) as text`, [latin1])
    expect(row!.text).toBe(normaliseHealthText(latin1))
  })

  it('finds nothing in empty or missing text', async () => {
    const row = await one(`select (select count(*) from private.health_matches(''))
      + (select count(*) from private.health_matches(null)) as n`)
    expect(Number(row!.n)).toBe(0)
  })

  it('finds every one of many matches in a long text, in order', async () => {
    const text = 'Hun har demens og får Paracet. '.repeat(100)
    const [terms] = await termsInSql([text])
    expect(terms).toHaveLength(200)
    expect(terms!.slice(0, 3)).toEqual(['demens', 'Paracet', 'demens'])
  })
})
