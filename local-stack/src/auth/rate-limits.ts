import type { AuthContext } from './context.ts'
import { AuthError } from './errors.ts'

/** One counter a failed attempt adds to: e.g. an account, or a client address. */
export interface Counter {
  key: string
  limit: number
  /** Who is limited, for the message: "this account", "this address". */
  who: string
}

/** The per-account and per-address counters of a password sign-in. */
export function signInCounters(auth: AuthContext, account: string, address: string): Counter[] {
  return [
    { key: `password:${account}`, limit: auth.settings.maxFailuresPerAccount, who: 'this account' },
    { key: `password-ip:${address}`, limit: auth.settings.maxFailuresPerAddress, who: 'this address' },
  ]
}

/**
 * The counters of a one-time-code check. Six digits can be guessed, so wrong
 * codes are limited per e-mail or phone and per client address, like passwords.
 */
export function codeCounters(auth: AuthContext, target: string | undefined, address: string): Counter[] {
  const { maxFailuresPerAddress, maxCodeFailures } = auth.settings
  const counters = [{ key: `code-ip:${address}`, limit: maxFailuresPerAddress, who: 'this address' }]
  if (target) counters.push({ key: `code:${target}`, limit: maxCodeFailures, who: 'this address' })
  return counters
}

/** Refuses the attempt while any counter is used up for the window; says when to try again. */
export async function assertAllowed(auth: AuthContext, counters: Counter[], what: string) {
  const window = auth.settings.failureWindow
  const { rows } = await auth.db.query(`
    select key, count(*)::int as failures, extract(epoch from min(failed_at))::float8 as oldest
    from _local_stack.auth_sign_in_failures
    where key = any($1) and failed_at > now() - make_interval(secs => $2)
    group by key`, [counters.map(c => c.key), window])
  for (const row of rows) {
    const counter = counters.find(c => c.key === row.key)!
    if (row.failures < counter.limit) continue
    const retryAfter = Math.max(1, Math.ceil(row.oldest + window - Date.now() / 1000))
    throw new AuthError(429, 'over_request_rate_limit',
      `Too many ${what} for ${counter.who}. Try again in ${retryAfter} seconds.`, { retryAfter })
  }
}

/** Counts one failed attempt on every counter, and drops counts older than the window. */
export async function recordFailure(auth: AuthContext, counters: Counter[]) {
  await auth.db.query(`
    with cleanup as (
      delete from _local_stack.auth_sign_in_failures
      where failed_at < now() - make_interval(secs => $2)
    )
    insert into _local_stack.auth_sign_in_failures (key) select unnest($1::text[])`,
  [counters.map(c => c.key), auth.settings.failureWindow])
}

/** A success starts one counter afresh (the address counters keep theirs). */
export async function clearFailures(auth: AuthContext, counter: Counter) {
  await auth.db.query('delete from _local_stack.auth_sign_in_failures where key = $1', [counter.key])
}
