// The insight CSV opens in a spreadsheet with æ, ø and å intact: UTF-8 with a
// byte-order mark, semicolons (Norwegian Excel's list separator), CRLF lines.
import { describe, expect, it } from 'vitest'
import nb from '../../i18n/locales/nb/admin.json'
import { csvField, insightCsv } from '../../app/composables/useInsightCsv'
import type { Insight } from '../../app/composables/useInsight'

const insight: Insight = {
  residents: 4,
  sections: { whoIAm: 4, people: 3, life: 2, stories: 1, interests: 0, everyday: 2, albums: 4 },
  usable: { now: 2, becameUsable: 1, medianDays: 12 },
  totals: { photosAdded: 7, storiesAdded: 2, postsByRelatives: 5, postsByStaff: 9, postsByResident: 0 },
  weeks: [{ weekStart: '2026-11-30', photosAdded: 7, storiesAdded: 2, postsByRelatives: 5, postsByStaff: 9,
    relativesActive: 3, staffActive: 4 }],
}

const label = (key: string) => key.split('.').reduce<unknown>((node, part) =>
  (node as Record<string, unknown>)[part], nb.admin.insight) as string

const bytes = () => Buffer.from(new TextEncoder().encode(insightCsv(insight, 'Innsikt for Avdeling Blåbærlia, Sørheim', label)))

describe('the insight CSV', () => {
  it('starts with the UTF-8 byte-order mark', () => {
    expect([...bytes().subarray(0, 3)]).toEqual([0xEF, 0xBB, 0xBF])
  })

  it('holds æ, ø and å as UTF-8 bytes', () => {
    const file = bytes()
    expect(file.includes(Buffer.from([0x42, 0x6C, 0xC3, 0xA5, 0x62, 0xC3, 0xA6, 0x72]))).toBe(true) // "Blåbær"
    expect(file.includes(Buffer.from('Hvem jeg er;4;100 %', 'utf8'))).toBe(true)
    expect(file.includes(Buffer.from('Dager fra ankomst til klar (median);12', 'utf8'))).toBe(true)
    expect(file.includes(Buffer.from([0x53, 0xC3, 0xB8, 0x72]))).toBe(true) // "Sør"
  })

  it('reads back as rows of semicolon-separated fields, CRLF between lines', () => {
    const text = new TextDecoder('utf-8', { ignoreBOM: false }).decode(bytes())
    const lines = text.split('\r\n')
    expect(lines[0]).toBe('Innsikt for Avdeling Blåbærlia, Sørheim')
    expect(lines).toContain('Mine folk;3;75 %')
    expect(lines).toContain('2026-11-30;7;2;5;9;3;4')
    expect(lines.at(-1)).toBe('')
    expect(text.includes('\n') && !/[^\r]\n/.test(text)).toBe(true)
  })

  it('quotes a field that holds the separator or a quote', () => {
    expect(csvField('Solsiden; 2. etasje')).toBe('"Solsiden; 2. etasje"')
    expect(csvField('«Åsen» "nord"')).toBe('"«Åsen» ""nord"""')
    expect(csvField(null)).toBe('')
  })
})
