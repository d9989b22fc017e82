import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { labelledSentences, scoreHealthCheck } from '../../shared/health-check/evaluate.ts'
import rules from '../../shared/health-check/rules.json'
import { healthRulesMigration, healthRulesSql } from '../../shared/health-check/sql.ts'
import { checkHealthText, normaliseHealthText } from '../../shared/utils/healthCheck.ts'
import type { HealthCategory } from '../../shared/utils/healthCheck.ts'

/** The words the check quotes for a text, as "text (category)". */
function quoted(text: string) {
  return checkHealthText(text).matches.map(m => `${m.text} (${m.category})`)
}

describe('the labelled set', () => {
  it('holds 300+ sentences, half health information, in bokmål, nynorsk and English', () => {
    expect(labelledSentences.length).toBeGreaterThanOrEqual(300)
    const health = labelledSentences.filter(s => s.health).length
    expect(health).toBe(labelledSentences.length - health)
    for (const lang of ['nb', 'nn', 'en']) {
      const inLanguage = labelledSentences.filter(s => s.lang === lang)
      expect(inLanguage.filter(s => s.health).length).toBeGreaterThanOrEqual(40)
      expect(inLanguage.filter(s => !s.health).length).toBeGreaterThanOrEqual(40)
    }
    expect(new Set(labelledSentences.map(s => s.text)).size).toBe(labelledSentences.length)
  })

  it('is checked with precision and recall of at least 0.9', () => {
    const flagged = labelledSentences.map(s => checkHealthText(s.text).flagged)
    const score = scoreHealthCheck(labelledSentences, flagged)
    const falseAlarms = score.falseAlarms.map(s => s.text).join(' | ')
    expect(score.precision, `false alarms: ${falseAlarms}`).toBeGreaterThanOrEqual(0.9)
    expect(score.recall, `missed: ${score.missed.map(s => s.text).join(' | ')}`).toBeGreaterThanOrEqual(0.9)
  })
})

describe('scoring', () => {
  it('counts hits, misses and false alarms', () => {
    const sentences = [
      { lang: 'nb' as const, health: true, text: 'a' },
      { lang: 'nb' as const, health: true, text: 'b' },
      { lang: 'nb' as const, health: false, text: 'c' },
      { lang: 'nb' as const, health: false, text: 'd' },
    ]
    const score = scoreHealthCheck(sentences, [true, false, true, false])
    expect(score).toMatchObject({
      truePositives: 1, falseNegatives: 1, falsePositives: 1, trueNegatives: 1,
    })
    expect([score.precision, score.recall, score.f1]).toEqual([0.5, 0.5, 0.5])
    expect(score.missed.map(s => s.text)).toEqual(['b'])
    expect(score.falseAlarms.map(s => s.text)).toEqual(['c'])
  })
})

describe('checkHealthText', () => {
  it.each<[string, string[]]>([
    ['Mamma fikk ny dose Paracet i dag', ['dose (medication)', 'Paracet (medication)']],
    ['Hun har demens.', ['demens (diagnosis)']],
    ['Demensen har kommet fort.', ['Demensen (diagnosis)']],
    ['De demente beboerne på avdelingen', ['demente (diagnosis)']],
    ['Hun har alzheimer', ['alzheimer (diagnosis)']],
    ['Alzheimers sykdom', ['Alzheimers (diagnosis)', 'sykdom (diagnosis)']],
    ['Han har altsheimer', ['altsheimer (diagnosis)']],
    ['Paracet 500 mg om kvelden', ['Paracet (medication)', '500 mg (medication)']],
    ['Hun bruker INSULIN', ['INSULIN (medication)']],
    ['Blodtrykk 150/90 i dag', ['Blodtrykk (test_result)']],
    ['BT 150/90', ['BT 150/90 (test_result)']],
    ['Han fikk hjerneslag i fjor', ['hjerneslag (diagnosis)']],
    ['Han fikk et slag i fjor', ['fikk et slag (diagnosis)']],
    ['Ho fekk eit slag', ['fekk eit slag (diagnosis)']],
    ['Hun fikk cellegift', ['cellegift (treatment)']],
    ['HbA1c var 58', ['HbA1c (test_result)']],
    ['Han har Parkinsons', ['Parkinsons (diagnosis)']],
    ['Han har parkison', ['parkison (diagnosis)']],
    ['Ho har sukkersjuke', ['sukkersjuke (diagnosis)']],
    ['Husk tablettene etter frokost', ['tablettene (medication)']],
    ['Ho tok ein sovetablett', ['sovetablett (medication)']],
    ['He had a minor stroke', ['minor stroke (diagnosis)']],
    ['She is on blood thinners', ['blood thinners (medication)']],
    ['DEMENSAVDELINGEN i andre etasje', ['DEMENSAVDELINGEN (diagnosis)']],
    ['Ho har blitt gløymsk', ['gløymsk (symptom)']],
    ['Pappa har prostatakreft', ['prostatakreft (diagnosis)']],
    ['Han har lungebetenelse igjen', ['lungebetenelse (diagnosis)']],
    ['Hun tåler ikke penicilin', ['tåler ikke penicilin (diagnosis)']],
    ['Sykepleier målte febern til 38,5', ['febern til 38,5 (test_result)']],
    ['She had a temperature of 38.5', ['temperature of 38.5 (test_result)']],
    ['Since the stroke her speech is slurred', ['Since the stroke (diagnosis)']],
  ])('finds health information in "%s"', (text, expected) => {
    expect(quoted(text)).toEqual(expected)
  })

  it.each([
    'Hun er glad i å gå tur',
    'He liked his morning coffee',
    'Hun liker å sove middag',
    'Ho søv middag kvar dag',
    'Katten het Doktor',
    'Her cat was called Doctor',
    'Han fortalte historier med en god dose humor',
    'She had a healthy dose of optimism',
    'Det gikk slag i slag',
    'Han spiller trekkspill',
    'Han jobbet som lege på Ullevål',
    'She trained as a nurse',
    'Hun studerte medisin i Bergen',
    'Latter er den beste medisin',
    'Winning was a stroke of luck',
    'She grew up during the Great Depression',
    'Han kjørte ambulanse i tjue år',
    'Hun jobbet på sykehuset som kokk',
    'Han dementerte ryktet',
    'De samlet inn penger til Kreftforeningen',
    'Bestemor hadde en tablett med sjokolade i vesken',
    'Han falt for henne på første dans',
    'Dagen gikk i ett med kaffe og wienerbrød',
    'De bodde i et lite hus ved sjøen',
    'Han fikk et slag kaffe hos naboen',
    'Hun bakte sju slag kaker til jul',
    'Hun samlet krefter til å gå opp bakken',
    'The news has spread through the village',
    'He worked at the surgery as a receptionist',
    'Han har gitt oss en dose sunn fornuft',
    'She scanned the old photos for the album',
    'Han studerte idrettsmedisin',
    'Hun jobbet hos tannlegen i mange år',
    'Hun jobbet i hjemmesykepleien i tjue år',
    'Vi plukket blåveis i skogen',
    'Etter koronaen kunne vi besøke igjen',
    '',
  ])('lets the everyday "%s" pass', (text) => {
    expect(checkHealthText(text)).toEqual({ flagged: false, matches: [] })
  })

  it('gives positions in the original text, even after characters it lower-cases', () => {
    const text = 'ÆØÅ: Mor får PARACET.'
    const [match] = checkHealthText(text).matches
    expect(match).toEqual({ text: 'PARACET', category: 'medication', start: 13, end: 20 })
    expect(text.slice(match!.start, match!.end)).toBe('PARACET')
  })

  it('keeps the widest of overlapping matches, then the earlier category', () => {
    expect(quoted('Hun har høyt blodtrykk.')).toEqual(['høyt blodtrykk (diagnosis)'])
    expect(quoted('Hun tar blodtrykksmedisin.')).toEqual(['blodtrykksmedisin (medication)'])
  })

  it('reports every category the text touches', () => {
    const text = 'Hun har demens, tar Sobril, har feber, ble operert, og HbA1c var høy.'
    const categories = new Set(checkHealthText(text).matches.map(m => m.category))
    expect([...categories].sort())
      .toEqual(['diagnosis', 'medication', 'symptom', 'test_result', 'treatment'])
  })
})

describe('the rules as data', () => {
  const patterns = [...rules.rules.map(r => r.pattern), ...rules.exceptions.map(e => e.pattern)]

  it('uses only the regex syntax JavaScript and Postgres read alike', () => {
    for (const pattern of patterns) {
      expect(pattern, 'no backslashes (\\b, \\d, \\w and \\s differ)').not.toMatch(/\\/)
      expect(pattern, 'no capturing or named groups').not.toMatch(/\((?!\?[:=!])/)
      expect(pattern, 'no lazy quantifiers').not.toMatch(/[*+?}]\?/)
      expect(pattern.replace(/\[[^\]]*\]/g, ''), 'no dots outside [classes]').not.toMatch(/\./)
      expect(pattern, 'lower case only: text is lower-cased').toBe(normaliseHealthText(pattern))
      expect(() => new RegExp(pattern)).not.toThrow()
    }
  })

  it('names only known categories, and every category has rules', () => {
    const used = new Set(rules.rules.map(r => r.category))
    expect([...used].sort()).toEqual([...rules.categories].sort())
    expect(rules.categories)
      .toEqual<HealthCategory[]>(['diagnosis', 'medication', 'symptom', 'treatment', 'test_result'])
  })

  it.each(['nb', 'en'])('has a plain-words reason for every category in %s', (locale) => {
    const messages = JSON.parse(readFileSync(`i18n/locales/${locale}.json`, 'utf8'))
    for (const category of rules.categories) {
      expect(messages.healthCheck.category[category], category).toMatch(/\S{3}/)
    }
  })

  it('gives a reason for every exception', () => {
    for (const exception of rules.exceptions) expect(exception.why.length).toBeGreaterThan(3)
  })

  it('is what the checked-in migration loads into Postgres', () => {
    expect(readFileSync(healthRulesMigration, 'utf8'),
      'rules.json changed: run `npx tsx scripts/health-rules-sql.ts`').toBe(healthRulesSql())
  })

  it('lower-cases without moving any character', () => {
    const all = Array.from({ length: 0xe0 }, (_, i) => String.fromCharCode(0x20 + i)).join('')
    const normalised = normaliseHealthText(all)
    expect(normalised.length).toBe(all.length)
    expect(normalised).not.toMatch(/[A-ZÀ-ÖØ-Þ]/)
    expect(normaliseHealthText('ABC ÆØÅ É Ü\u00a0×')).toBe('abc æøå é ü ×')
  })
})
