// Gentle reminders to a primary contact when nobody in the family has written
// for a few weeks. The database decides who is due one (public.family_nudges_due:
// their own choice, still primary contact, the quiet weeks, no repeat within
// them); this module writes the e-mail, sends it and records it.
import type { SupabaseClient } from '@supabase/supabase-js'
import nb from '../../i18n/locales/nb/admin.json'
import type { Mail, Mailer } from './mailer'

export interface DueNudge {
  user_id: string
  email: string
  resident_id: string
  resident_name: string
  quiet_weeks: number
  unsubscribe_token: string
}

const texts = nb.admin.nudges.mail
const fill = (text: string, values: Record<string, string>) =>
  text.replace(/\{(\w+)\}/g, (_, key: string) => values[key] ?? '')
const escapeHtml = (text: string) => text.replace(/[&<>"']/g, c => `&#${c.charCodeAt(0)};`)

/** The page behind the e-mail's "turn off" link: it asks before it turns anything off. */
export function nudgeOffLink(appUrl: string, token: string) {
  return `${appUrl}/help/reminders-off?token=${encodeURIComponent(token)}`
}

/** The reminder for one primary contact and resident, with a one-click way out. */
export function nudgeMail(nudge: DueNudge, appUrl: string): Mail {
  const link = `${appUrl}/residents/${nudge.resident_id}`
  const off = nudgeOffLink(appUrl, nudge.unsubscribe_token)
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

/** Sends every reminder due at `at` and records each; a failed e-mail is tried at the next run. */
export async function sendFamilyNudges(admin: SupabaseClient, mailer: Mailer, appUrl: string, at = new Date()) {
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
