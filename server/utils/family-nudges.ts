// Gentle reminders to a primary contact when nobody in the family has written
// for a few weeks. The database decides who is due one (public.family_nudges_due:
// their own choice, still primary contact, the quiet weeks, no repeat within
// them); this module writes the e-mail, sends it and records it.
import type { SupabaseClient } from '@supabase/supabase-js'
import en from '../../i18n/locales/en/admin.json'
import nb from '../../i18n/locales/nb/admin.json'
import type { Mail, Mailer } from './mailer'

export interface DueNudge {
  user_id: string
  email: string
  /** The language the person chose for the app: 'nb' (the default) or 'en'. */
  locale?: 'nb' | 'en'
  resident_id: string
  resident_name: string
  quiet_weeks: number
  unsubscribe_token: string
}

// The e-mail speaks the person's language, not the server's: the same texts as the app.
const textsFor = (locale: string | undefined) => (locale === 'en' ? en : nb).admin.nudges.mail
const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '')
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** The page behind the e-mail's "turn off" link: it asks before it turns anything off. */
export function nudgeOffLink(appUrl: string, token: string, locale = 'nb') {
  return `${appUrl}/help/reminders-off?token=${encodeURIComponent(token)}&lang=${locale === 'en' ? 'en' : 'nb'}`
}

/** The reminder for one primary contact and resident, with a one-click way out. */
export function nudgeMail(nudge: DueNudge, appUrl: string): Mail {
  const texts = textsFor(nudge.locale)
  const link = `${appUrl}/residents/${nudge.resident_id}`
  const off = nudgeOffLink(appUrl, nudge.unsubscribe_token, nudge.locale)
  const body = fill(texts.body, { resident: nudge.resident_name })
  const html = [
    ...body.split('\n\n').map(paragraph => `<p>${escapeHtml(paragraph).replace(/\n/g, '<br>')}</p>`),
    `<p><a href="${escapeHtml(link)}">${escapeHtml(texts.open)}</a></p>`,
    `<p><small><a href="${escapeHtml(off)}">${escapeHtml(texts.turnOffLink)}</a></small></p>`,
  ].join('\n')
  const oneClick = `${appUrl}/api/admin/nudges-off?token=${encodeURIComponent(nudge.unsubscribe_token)}`
  return {
    to: nudge.email,
    subject: fill(texts.subject, { resident: nudge.resident_name }),
    text: `${body}\n\n${fill(texts.writeHere, { link })}\n\n${fill(texts.turnOff, { link: off })}\n`,
    html,
    headers: { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

// Another server (or a cron call) may be sending right now; its run is short, so wait a little.
async function takeLease(admin: SupabaseClient, attempts: number) {
  for (let attempt = 1; ; attempt++) {
    const { data, error } = await admin.rpc('start_family_nudge_run', { lease_seconds: 600 })
    if (error) throw new Error(`Could not start a family reminder run: ${error.message}`)
    if (data === true) return true
    if (attempt >= attempts) return false
    await sleep(250)
  }
}

/**
 * Sends every reminder due at `at` and records each; a failed e-mail is tried at the next run.
 * Only one run sends at a time (a lease in the database), so the server's timer and a cron
 * call never send the same reminder twice.
 */
export async function sendFamilyNudges(admin: SupabaseClient, mailer: Mailer, appUrl: string, at = new Date(),
  options: { leaseAttempts?: number } = {}) {
  if (!await takeLease(admin, options.leaseAttempts ?? 20)) return { sent: 0, failed: 0, busy: true }
  try {
    return await sendWithLease(admin, mailer, appUrl, at)
  }
  finally {
    await admin.rpc('finish_family_nudge_run')
  }
}

async function sendWithLease(admin: SupabaseClient, mailer: Mailer, appUrl: string, at: Date) {
  const { data, error } = await admin.rpc('family_nudges_due', { at: at.toISOString() })
  if (error) throw new Error(`Could not read the family reminders due: ${error.message}`)
  const result = { sent: 0, failed: 0 }
  for (const nudge of (data ?? []) as DueNudge[]) {
    try {
      await mailer.send(nudgeMail(nudge, appUrl))
    }
    catch (failure) {
      console.error(`family reminders: e-mail for resident ${nudge.resident_id} to user ${nudge.user_id} `
        + `failed: ${(failure as Error).message}`)
      result.failed += 1
      continue
    }
    const marked = await admin.rpc('mark_family_nudge_sent',
      { person: nudge.user_id, resident: nudge.resident_id, sent_at: at.toISOString() })
    if (marked.error) throw new Error(`Could not record a sent family reminder: ${marked.error.message}`)
    result.sent += 1
  }
  return result
}
