// Prints how well the health-information check does on the labelled set:
// precision, recall, F1, the confusion counts and every sentence it got wrong.
// With --sql it also runs the Postgres twin, private.health_matches(), on a
// database given by DATABASE_URL (e.g. a running `npm run stack`).
import pg from 'pg'
import { labelledSentences, scoreHealthCheck } from '../shared/health-check/evaluate.ts'
import type { HealthCheckScore } from '../shared/health-check/evaluate.ts'
import { checkHealthText } from '../shared/utils/healthCheck.ts'

function report(label: string, score: HealthCheckScore) {
  const percent = (n: number) => `${(n * 100).toFixed(1)} %`
  console.log(`\n${label}`)
  console.log(`  precision ${percent(score.precision)}   recall ${percent(score.recall)}`
    + `   F1 ${percent(score.f1)}`)
  console.log(`  health flagged ${score.truePositives}, health missed ${score.falseNegatives}, `
    + `everyday flagged ${score.falsePositives}, everyday passed ${score.trueNegatives}`)
  for (const s of score.missed) console.log(`  missed      [${s.lang}] ${s.text}`)
  for (const s of score.falseAlarms) {
    const words = checkHealthText(s.text).matches.map(m => `"${m.text}" (${m.category})`).join(', ')
    console.log(`  false alarm [${s.lang}] ${s.text}  <- ${words}`)
  }
}

const sentences = labelledSentences
const health = sentences.filter(s => s.health).length
console.log(`${sentences.length} labelled sentences: ${health} health, `
  + `${sentences.length - health} everyday`)
report('Browser check (shared/utils/healthCheck.ts)', scoreHealthCheck(sentences, sentences.map(s =>
  checkHealthText(s.text).flagged)))

if (process.argv.includes('--sql')) {
  if (!process.env.DATABASE_URL) {
    throw new Error('Set DATABASE_URL to a Minnespor database to check the SQL rules.')
  }
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL })
  await client.connect()
  try {
    const started = performance.now()
    const { rows } = await client.query<{ flagged: boolean }>(`
      select exists (select 1 from private.health_matches(t)) as flagged
      from unnest($1::text[]) with ordinality as s (t, n) order by n`, [sentences.map(s => s.text)])
    const perSentence = (performance.now() - started) / sentences.length
    const score = scoreHealthCheck(sentences, rows.map(r => r.flagged))
    report('Database check (private.health_matches)', score)
    console.log(`  ${perSentence.toFixed(1)} ms per sentence, compiling the regexes included`)
  }
  finally {
    await client.end()
  }
}
