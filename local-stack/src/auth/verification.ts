import type pg from 'pg'
import type { AuthContext } from './context.ts'
import { AuthError, otpInvalid } from './errors.ts'
import { clearToken, sentAt, type FoundToken, type TokenType } from './one-time-tokens.ts'
import type { AuthMethod } from './sessions.ts'
import { assertAddressesFree, findUserById, millis, upsertIdentity, type UserRow } from './users.ts'

/** The `type` of a verifyOtp call or a mail link. */
export const verifyTypes = ['signup', 'invite', 'magiclink', 'recovery', 'email_change', 'email', 'sms',
  'phone_change'] as const
/** One of the verification types. */
export type VerifyType = typeof verifyTypes[number]

/** Which stored token kinds a verification of each type may use. */
export const tokenTypesFor: Record<VerifyType, TokenType[]> = {
  signup: ['confirmation_token'],
  invite: ['confirmation_token'],
  magiclink: ['recovery_token', 'confirmation_token'],
  email: ['confirmation_token', 'recovery_token'],
  recovery: ['recovery_token'],
  email_change: ['email_change_token_new', 'email_change_token_current'],
  sms: ['confirmation_token'],
  phone_change: ['phone_change_token'],
}

/** The `amr` method a session started by each kind of verification carries. */
export const methodFor: Record<VerifyType, AuthMethod> = {
  signup: 'otp', invite: 'invite', magiclink: 'magiclink', recovery: 'recovery',
  email_change: 'email_change', email: 'otp', sms: 'otp', phone_change: 'otp',
}

/** The outcome of using a token. */
export type Verified
  = | { user: UserRow, pending?: undefined }
  /** The first of two e-mail-change confirmations: nothing changes until the other one. */
    | { user: UserRow, pending: string }

const halfConfirmed = 'Confirmation link accepted. Please proceed to confirm link sent to the other email'

/**
 * Uses up a found token inside a transaction and applies what it proves:
 * a confirmed address, an accepted invitation, a changed e-mail or phone.
 */
export async function applyToken(auth: AuthContext, client: pg.PoolClient,
  found: FoundToken): Promise<Verified> {
  const user = await findUserById(client, found.userId, true)
  const stored = user && (user as unknown as Record<string, string>)[found.type]
  if (!user || stored !== found.tokenHash) throw otpInvalid()
  const isSms = found.type === 'phone_change_token'
    || (found.type === 'confirmation_token' && found.relatesTo === user.phone)
  const lifetime = isSms ? auth.settings.smsOtpExpiry : auth.settings.emailOtpExpiry
  const sent = millis(sentAt(user, found.type))
  if (!sent || sent + lifetime * 1000 < Date.now()) throw otpInvalid()

  if (found.type === 'email_change_token_new' || found.type === 'email_change_token_current') {
    return changeEmail(auth, client, user, found.type)
  }
  await clearToken(client, user.id, found.type)
  if (found.type === 'phone_change_token') return { user: await changePhone(client, user) }
  if (isSms) return { user: await confirm(client, user, 'phone') }
  return { user: await confirm(client, user, 'email') }
}

async function confirm(client: pg.PoolClient, user: UserRow, what: 'email' | 'phone') {
  const column = what === 'email' ? 'email_confirmed_at' : 'phone_confirmed_at'
  const flag = what === 'email' ? 'email_verified' : 'phone_verified'
  const { rows } = await client.query<UserRow>(`update auth.users set ${column} = coalesce(${column}, now()),
    raw_user_meta_data = coalesce(raw_user_meta_data, '{}') || jsonb_build_object($2::text, true),
    updated_at = now() where id = $1 returning *`, [user.id, flag])
  await upsertIdentity(client, rows[0], what)
  return rows[0]
}

async function changeEmail(auth: AuthContext, client: pg.PoolClient, user: UserRow,
  type: TokenType): Promise<Verified> {
  const raw = user as unknown as Record<string, string>
  const other = type === 'email_change_token_new' ? 'email_change_token_current' : 'email_change_token_new'
  await clearToken(client, user.id, type)
  if (auth.settings.secureEmailChange && raw[other] && user.email_change_confirm_status === 0) {
    await client.query('update auth.users set email_change_confirm_status = 1 where id = $1', [user.id])
    return { user, pending: halfConfirmed }
  }
  if (!user.email_change) throw otpInvalid()
  await assertAddressesFree(client, user.email_change, undefined, user.id)
  await clearToken(client, user.id, other)
  const { rows } = await client.query<UserRow>(`update auth.users set email = email_change, email_change = '',
    email_change_confirm_status = 0, email_confirmed_at = coalesce(email_confirmed_at, now()),
    raw_user_meta_data = case when raw_user_meta_data ? 'email'
      then raw_user_meta_data || jsonb_build_object('email', email_change) else raw_user_meta_data end,
    updated_at = now() where id = $1 returning *`, [user.id])
  await upsertIdentity(client, rows[0], 'email')
  await addProvider(client, rows[0].id, 'email')
  return { user: (await findUserById(client, user.id))! }
}

async function changePhone(client: pg.PoolClient, user: UserRow) {
  if (!user.phone_change) throw otpInvalid()
  await assertAddressesFree(client, undefined, user.phone_change, user.id)
  const { rows } = await client.query<UserRow>(`update auth.users set phone = phone_change, phone_change = '',
    phone_confirmed_at = now(), updated_at = now() where id = $1 returning *`, [user.id])
  await upsertIdentity(client, rows[0], 'phone')
  await addProvider(client, user.id, 'phone')
  return (await findUserById(client, user.id))!
}

/** Lists a new sign-in provider in app_metadata.providers, as GoTrue does when an identity is added. */
export async function addProvider(client: pg.PoolClient, userId: string, provider: string) {
  await client.query(`update auth.users set raw_app_meta_data = coalesce(raw_app_meta_data, '{}')
    || jsonb_build_object('providers', (
      select jsonb_agg(distinct p) from jsonb_array_elements_text(
        coalesce(raw_app_meta_data -> 'providers', '[]') || to_jsonb($2::text)) p))
    where id = $1`, [userId, provider])
}

/** A verification whose code or link is wrong or stale, for the error redirect. */
export function isOtpError(error: unknown): boolean {
  return error instanceof AuthError && error.code === 'otp_expired'
}
