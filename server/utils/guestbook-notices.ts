// E-mail notices of everyday glimpses. The database decides who is due what
// (public.guestbook_notices_due: their choice, their access, what is new); this
// module only writes the e-mails, sends them and records what went out.
import type { SupabaseClient } from '@supabase/supabase-js'
import en from '../../i18n/locales/en/guestbook.json'
import nb from '../../i18n/locales/nb/guestbook.json'
import type { Mail, Mailer } from './mailer'

export interface DueNotice {
  user_id: string
  email: string
  /** The language the person chose for the app: 'nb' (the default) or 'en'. */
  locale: 'nb' | 'en'
  resident_id: string
  resident_name: string
  frequency: 'immediately' | 'daily'
  unsubscribe_token: string
  glimpses: { id: string, body: string, created_at: string, author: string | null }[]
  sent_until: string
}

// The e-mail speaks the person's language, not the server's: the same texts as the app.
const textsFor = (locale: string) => (locale === 'en' ? en : nb).guestbook.notice
const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '')
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)
// "4. desember 2026 kl. 14.05" (Norwegian writes the time with a point), "4 December 2026 at 14:05".
function osloTime(value: string, locale: string) {
  const english = locale === 'en'
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit',
    minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(value)).map(part => [part.type, part.value]))
  const date = new Intl.DateTimeFormat(english ? 'en-GB' : 'nb-NO', { timeZone: 'Europe/Oslo', dateStyle: 'long' })
    .format(new Date(value))
  return english ? `${date} at ${parts.hour}:${parts.minute}` : `${date} kl. ${parts.hour}.${parts.minute}`
}

/** Where the "turn off" link of an e-mail leads: a page that asks before it turns anything off. */
export function unsubscribeLink(appUrl: string, token: string, locale = 'nb') {
  return `${appUrl}/notices/unsubscribe?token=${encodeURIComponent(token)}&lang=${locale === 'en' ? 'en' : 'nb'}`
}

/** The e-mail for one person and resident: one glimpse, or the day's digest. */
export function noticeMail(notice: DueNotice, appUrl: string): Mail {
  const texts = textsFor(notice.locale)
  const names = { resident: notice.resident_name }
  const link = `${appUrl}/residents/${notice.resident_id}`
  const unsubscribe = unsubscribeLink(appUrl, notice.unsubscribe_token, notice.locale)
  const items = notice.glimpses.map(glimpse => ({
    heading: fill(texts.byline, { author: glimpse.author ?? texts.someone, time: osloTime(glimpse.created_at, notice.locale) }),
    body: glimpse.body,
  }))
  const subject = fill(notice.frequency === 'daily' ? texts.digestSubject : texts.subject, names)
  const text = [
    fill(texts.intro, names), '',
    ...items.flatMap(item => [item.heading, item.body, '']),
    fill(texts.readMore, { link }), '',
    fill(texts.unsubscribe, { link: unsubscribe }),
  ].join('\n')
  const html = [
    `<p>${escapeHtml(fill(texts.intro, names))}</p>`,
    ...items.map(item => `<p><strong>${escapeHtml(item.heading)}</strong><br>`
      + `${escapeHtml(item.body).replace(/\n/g, '<br>')}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(texts.open)}</a></p>`,
    `<p><small><a href="${escapeHtml(unsubscribe)}">${escapeHtml(texts.turnOff)}</a></small></p>`,
  ].join('\n')
  const oneClick = `${appUrl}/api/guestbook/unsubscribe?token=${encodeURIComponent(notice.unsubscribe_token)}`
  return {
    to: notice.email, subject, text, html,
    headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

// Another server (or a cron call) may be sending right now; its run is short, so wait a little.
async function takeLease(admin: SupabaseClient, attempts: number) {
  for (let attempt = 1; ; attempt++) {
    const { data, error } = await admin.rpc('start_guestbook_notice_run', { lease_seconds: 600 })
    if (error) throw new Error(`Could not start a glimpse notice run: ${error.message}`)
    if (data === true) return true
    if (attempt >= attempts) return false
    await sleep(250)
  }
}

/**
 * Sends every notice due at `at` and marks each as sent; a failed e-mail is tried again next run.
 * Only one run sends at a time (a lease in the database), so two servers never send the same e-mail.
 */
export async function sendDueNotices(admin: SupabaseClient, mailer: Mailer, appUrl: string, at = new Date(),
  options: { leaseAttempts?: number } = {}) {
  if (!await takeLease(admin, options.leaseAttempts ?? 20)) return { sent: 0, failed: 0, busy: true }
  try {
    return await sendWithLease(admin, mailer, appUrl, at)
  }
  finally {
    await admin.rpc('finish_guestbook_notice_run')
  }
}

async function sendWithLease(admin: SupabaseClient, mailer: Mailer, appUrl: string, at: Date) {
  const { data, error } = await admin.rpc('guestbook_notices_due', { at: at.toISOString() })
  if (error) throw new Error(`Could not read the glimpse notices due: ${error.message}`)
  const result = { sent: 0, failed: 0 }
  for (const notice of (data ?? []) as DueNotice[]) {
    try {
      await mailer.send(noticeMail(notice, appUrl))
    }
    catch (failure) {
      console.error(`guestbook notices: e-mail for resident ${notice.resident_id} to user ${notice.user_id} `
        + `failed: ${(failure as Error).message}`)
      result.failed += 1
      continue
    }
    const marked = await admin.rpc('mark_guestbook_notices_sent',
      { person: notice.user_id, resident: notice.resident_id, until: notice.sent_until })
    if (marked.error) throw new Error(`Could not record a sent glimpse notice: ${marked.error.message}`)
    result.sent += 1
  }
  return result
}
