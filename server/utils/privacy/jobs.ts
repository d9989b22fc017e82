// The privacy job: what must happen without anyone pressing a button.
// 1. Remind the primary contact 30 days before an archived profile is deleted.
// 2. Delete archived profiles whose time is up (rows, then files).
// 3. Tell the primary contact that someone who wrote on the profile left.
// 4. Remove what a departed author wrote where nobody chose within 30 days.
// The database decides what is due (service-role functions in
// 20261205100200/100300); this module sends the e-mails and deletes the files.
import type { SupabaseClient } from '@supabase/supabase-js'
import type { Mailer } from '../mailer'
import { departedMail, retentionMail } from './mails'
import { removeStoredFiles, type StoredKey } from './storage'

/** What a run did; contentRemoved counts the files of departed authors' content removed. */
export interface JobResult { reminded: number, deleted: number, noticed: number, contentRemoved: number, failed: number }

async function call<T>(admin: SupabaseClient, rpc: string, args: Record<string, unknown> = {}) {
  const { data, error } = await admin.rpc(rpc, args)
  if (error) throw new Error(`privacy job: ${rpc} failed: ${error.message}`)
  return data as T
}

function groupBy<T, K extends keyof T>(rows: T[], key: K) {
  const groups = new Map<T[K], T[]>()
  for (const row of rows) groups.set(row[key], [...groups.get(row[key]) ?? [], row])
  return groups
}

// Each profile is marked once every e-mail to it went out (or it has no primary
// contact with an address); a failed e-mail is tried again on the next run.
async function sendAll(mailer: Mailer, mails: { to: string | null, build: () => Parameters<Mailer['send']>[0] }[]) {
  let failed = 0
  for (const mail of mails) {
    if (!mail.to) continue
    try {
      await mailer.send(mail.build())
    }
    catch (error) {
      console.error(`privacy job: an e-mail failed: ${(error as Error).message}`)
      failed += 1
    }
  }
  return failed
}

interface Notice {
  decision_id: string
  resident_id: string
  resident_name: string
  author_name: string
  item_count: number
  due_at: string
  email: string | null
}

/** Tells primary contacts that someone who wrote on their profile deleted their account. */
export async function sendDepartedNotices(admin: SupabaseClient, mailer: Mailer, appUrl: string) {
  const done = { noticed: 0, failed: 0 }
  if (!delivers(mailer)) return done
  for (const [decisionId, rows] of groupBy(await call<Notice[]>(admin, 'departed_content_notices_due'), 'decision_id')) {
    const failed = await sendAll(mailer, rows.map(row => ({ to: row.email, build: () => departedMail(row, appUrl) })))
    done.failed += failed
    if (failed) continue
    await call(admin, 'mark_departed_content_noticed', { decision: decisionId })
    done.noticed += 1
  }
  return done
}

// A mailer that only logs (no SMTP_URL) must not let a reminder count as sent:
// no archived profile is deleted before its primary contact could be warned.
const delivers = (mailer: Mailer) => mailer.delivers !== false

/** Runs every privacy task due at `at`; safe to run again (each step marks what it did). */
export async function runPrivacyJobs(admin: SupabaseClient, mailer: Mailer, appUrl: string, at = new Date()) {
  const result = await runRetention(admin, mailer, appUrl, at)
  const notices = await sendDepartedNotices(admin, mailer, appUrl)
  result.noticed = notices.noticed
  result.failed += notices.failed
  result.contentRemoved = await removeOverdueDepartedContent(admin, at)
  return result
}

/** Reminds about archived profiles due soon and deletes those whose time is up. */
export async function runRetention(admin: SupabaseClient, mailer: Mailer, appUrl: string, at = new Date()) {
  const result: JobResult = { reminded: 0, deleted: 0, noticed: 0, contentRemoved: 0, failed: 0 }
  const when = at.toISOString()

  type Reminder = { resident_id: string, resident_name: string, delete_after: string, email: string | null }
  const reminders = delivers(mailer) ? await call<Reminder[]>(admin, 'retention_reminders_due', { at: when }) : []
  for (const [residentId, rows] of groupBy(reminders, 'resident_id')) {
    const failed = await sendAll(mailer, rows.map(row => ({ to: row.email, build: () => retentionMail(row, appUrl) })))
    result.failed += failed
    if (failed) continue
    await call(admin, 'mark_retention_reminded', { resident: residentId, at: when })
    result.reminded += 1
  }

  for (const residentId of await call<string[]>(admin, 'retention_deletions_due', { at: when })) {
    const keys = await call<StoredKey[]>(admin, 'delete_resident_for_retention', { resident: residentId })
    await removeStoredFiles(admin, keys, `archived resident ${residentId}`)
    result.deleted += 1
  }

  return result
}

/** Removes what departed authors wrote where nobody chose in time; returns how many files went. */
export async function removeOverdueDepartedContent(admin: SupabaseClient, at = new Date()) {
  const removed = await call<StoredKey[]>(admin, 'apply_departed_content_defaults', { at: at.toISOString() })
  return removeStoredFiles(admin, removed, 'departed authors\' photos')
}
