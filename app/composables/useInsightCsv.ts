// The insight as a CSV file a spreadsheet opens with æ, ø and å intact: UTF-8
// with a byte-order mark (Excel reads BOM-less CSV as the local code page),
// semicolons between fields (the list separator of Norwegian Excel) and CRLF lines.
import type { Insight } from './useInsight'
import { insightSections } from './useInsight'

const bom = '\uFEFF'

/** One CSV field, quoted when it holds a separator, a quote or a line break. */
export function csvField(value: string | number | null) {
  const text = value === null ? '' : String(value)
  return /[";\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** The insight as CSV text (BOM first); `label` translates a key of the admin.insight texts. */
export function insightCsv(insight: Insight, title: string, label: (key: string) => string) {
  const rows: (string | number | null)[][] = [
    [title],
    [label('csv.residents'), insight.residents],
    [],
    [label('csv.section'), label('csv.filledIn'), label('csv.share')],
    ...insightSections.map(section => [label(`sections.${section}`), insight.sections[section],
      insight.residents ? `${Math.round(100 * insight.sections[section] / insight.residents)} %` : '']),
    [],
    [label('csv.usableNow'), insight.usable.now],
    [label('csv.becameUsable'), insight.usable.becameUsable],
    [label('csv.medianDays'), insight.usable.medianDays],
    [],
    [label('csv.week'), label('weekly.photosAdded'), label('weekly.storiesAdded'), label('weekly.postsByRelatives'),
      label('weekly.postsByStaff'), label('weekly.relativesActive'), label('weekly.staffActive')],
    ...insight.weeks.map(week => [week.weekStart, week.photosAdded, week.storiesAdded, week.postsByRelatives,
      week.postsByStaff, week.relativesActive, week.staffActive]),
  ]
  return bom + rows.map(row => row.map(csvField).join(';')).join('\r\n') + '\r\n'
}

/** Offers the CSV text as a download (UTF-8 bytes, BOM included). */
export function downloadCsv(text: string, fileName: string) {
  const url = URL.createObjectURL(new Blob([new TextEncoder().encode(text)], { type: 'text/csv;charset=utf-8' }))
  const link = Object.assign(document.createElement('a'), { href: url, download: fileName })
  document.body.append(link)
  link.click()
  link.remove()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}
