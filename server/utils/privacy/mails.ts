// The privacy e-mails, in Norwegian (the app's first language; the database
// does not know which language each primary contact chose).
import nb from '../../../i18n/locales/nb/privacy.json'
import type { Mail } from '../mailer'

const texts = nb.privacy.mail
const fill = (text: string, values: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '')
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
const osloDate = (value: string) => new Intl.DateTimeFormat('nb-NO', { timeZone: 'Europe/Oslo', dateStyle: 'long' })
  .format(new Date(value))

function mail(to: string, subject: string, lines: string[], link: string, linkText: string): Mail {
  const text = [...lines, '', `${linkText}: ${link}`].join('\n')
  const html = lines.map(line => `<p>${escapeHtml(line)}</p>`).join('\n')
    + `\n<p><a href="${escapeHtml(link)}">${escapeHtml(linkText)}</a></p>`
  return { to, subject, text, html }
}

/** "Ingrid's profile will be deleted on …; download it first." */
export function retentionMail(row: { resident_id: string, resident_name: string, delete_after: string, email: string | null },
  appUrl: string): Mail {
  const values = { resident: row.resident_name, date: osloDate(row.delete_after) }
  return mail(row.email ?? '', fill(texts.retentionSubject, values),
    [fill(texts.retentionIntro, values), texts.retentionExport, texts.retentionExtend],
    `${appUrl}/residents/${row.resident_id}/privacy`, texts.open)
}

/** A pending choice about a departed author, as departed_content_notices_due returns it. */
export interface DepartedNotice {
  resident_id: string
  resident_name: string
  author_name: string
  item_count: number
  due_at: string
  email: string | null
}

/** "Someone who wrote on Ingrid's profile deleted their account; keep or remove what they wrote?" */
export function departedMail(row: DepartedNotice, appUrl: string): Mail {
  const values = { resident: row.resident_name, author: row.author_name || texts.someone,
    count: String(row.item_count), date: osloDate(row.due_at) }
  return mail(row.email ?? '', fill(texts.departedSubject, values),
    [fill(texts.departedIntro, values), fill(texts.departedChoice, values)],
    `${appUrl}/residents/${row.resident_id}/privacy`, texts.open)
}
