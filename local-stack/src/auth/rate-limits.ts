import type { AuthContext } from './context.ts'
import { AuthError } from './errors.ts'

/** The per-account and per-address keys a sign-in attempt counts against. */
export interface AttemptKeys { account: string, address: string }

/**
 * Refuses a sign-in while the account or the client address has used up its
 * wrong passwords for the window; says when to try again.
 */
export async function assertSignInAllowed(auth: AuthContext, keys: AttemptKeys) {
  const { maxFailuresPerAccount, maxFailuresPerAddress, failureWindow } = auth.settings
  const { rows } = await auth.db.query(`
    select key, count(*)::int as failures, extract(epoch from min(failed_at))::float8 as oldest
    from (
      select key, failed_at from _local_stack.auth_sign_in_failures
      where key = any($1) and failed_at > now() - make_interval(secs => $2)
      order by failed_at desc
    ) recent
    group by key`, [[keys.account, keys.address], failureWindow])
  for (const row of rows) {
    const limit = row.key === keys.account ? maxFailuresPerAccount : maxFailuresPerAddress
    if (row.failures < limit) continue
    const retryAfter = Math.max(1, Math.ceil(row.oldest + failureWindow - Date.now() / 1000))
    const who = row.key === keys.account ? 'this account' : 'this address'
    throw new AuthError(429, 'over_request_rate_limit',
      `Too many wrong passwords for ${who}. Try again in ${retryAfter} seconds.`, { retryAfter })
  }
}

/** Counts one wrong password against the account and the address, and drops stale counts. */
export async function recordFailedSignIn(auth: AuthContext, keys: AttemptKeys) {
  await auth.db.query(`
    with cleanup as (
      delete from _local_stack.auth_sign_in_failures
      where failed_at < now() - make_interval(secs => $2)
    )
    insert into _local_stack.auth_sign_in_failures (key) select unnest($1::text[])`,
  [[keys.account, keys.address], auth.settings.failureWindow])
}

/** A correct password starts the account's count afresh (the address keeps its count). */
export async function clearFailedSignIns(auth: AuthContext, keys: AttemptKeys) {
  await auth.db.query('delete from _local_stack.auth_sign_in_failures where key = $1', [keys.account])
}
