import { randomUUID } from 'node:crypto'
import type pg from 'pg'
import { log } from '../log.ts'
import { AuthError, validationFailed } from './errors.ts'

/** A pool or one connection inside a transaction. */
export type Queryable = pg.Pool | pg.PoolClient
/** user_metadata or app_metadata. */
export type Metadata = Record<string, unknown>
/** The stack's pg pool returns timestamps as Postgres text; tolerate Date too. */
export type Timestamp = string | Date

/** Milliseconds since the epoch of a timestamp column, or undefined when null. */
export const millis = (value: Timestamp | null | undefined) => value ? new Date(value).getTime() : undefined

/** One row of auth.users as pg returns it. */
export interface UserRow {
  id: string
  aud: string | null
  role: string | null
  email: string | null
  encrypted_password: string | null
  email_confirmed_at: Timestamp | null
  phone: string | null
  phone_confirmed_at: Timestamp | null
  confirmed_at: Timestamp | null
  invited_at: Timestamp | null
  confirmation_sent_at: Timestamp | null
  recovery_sent_at: Timestamp | null
  email_change: string | null
  email_change_sent_at: Timestamp | null
  email_change_confirm_status: number | null
  phone_change: string | null
  phone_change_sent_at: Timestamp | null
  reauthentication_sent_at: Timestamp | null
  last_sign_in_at: Timestamp | null
  raw_app_meta_data: Metadata | null
  raw_user_meta_data: Metadata | null
  banned_until: Timestamp | null
  created_at: Timestamp
  updated_at: Timestamp
  deleted_at: Timestamp | null
  is_anonymous: boolean
}

/** Runs `fn` in one transaction on its own connection: all of it lands, or none. */
export async function transaction<T>(pool: pg.Pool, fn: (client: pg.PoolClient) => Promise<T>) {
  const client = await pool.connect()
  try {
    await client.query('begin')
    const result = await fn(client)
    await client.query('commit')
    return result
  }
  catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  }
  finally {
    client.release()
  }
}

const uuidShape = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
/** Whether a string has the shape of a UUID, so it can be compared with uuid columns. */
export const isUuid = (value: string) => uuidShape.test(value)

/** The user with this id; with `lock`, the row stays locked until the transaction ends. */
export async function findUserById(db: Queryable, id: string, lock = false): Promise<UserRow | undefined> {
  if (!isUuid(id)) return undefined
  const { rows } = await db.query(`select * from auth.users where id = $1${lock ? ' for update' : ''}`, [id])
  return rows[0]
}

/** The user with this (normalised) e-mail address. */
export async function findUserByEmail(db: Queryable, email: string): Promise<UserRow | undefined> {
  const { rows } = await db.query(
    'select * from auth.users where lower(email) = $1 and not is_sso_user', [email])
  return rows[0]
}

/** The user with this phone number in E.164 digits. */
export async function findUserByPhone(db: Queryable, phone: string): Promise<UserRow | undefined> {
  const { rows } = await db.query('select * from auth.users where phone = $1', [phone])
  return rows[0]
}

/** Whether a ban is in force now. */
export const isBanned = (user: UserRow) => (millis(user.banned_until) ?? 0) > Date.now()

/** Merges metadata key by key, as GoTrue does: a null value removes the key. */
export function mergeMetadata(current: Metadata | null, patch: Metadata | null | undefined): Metadata {
  const merged = new Map(Object.entries({ ...current, ...patch }))
  for (const [key, value] of merged) {
    if (value === null) merged.delete(key)
  }
  return Object.fromEntries(merged)
}

/** What a new user starts with; unset flags mean unconfirmed and not invited. */
export interface NewUser {
  id?: string
  email?: string
  phone?: string
  passwordHash?: string
  emailConfirmed?: boolean
  phoneConfirmed?: boolean
  invited?: boolean
  role?: string
  userMetadata?: Metadata | null
  appMetadata?: Metadata | null
  bannedUntil?: Timestamp | null
}

/** Refuses an e-mail or phone that another user already has. */
export async function assertAddressesFree(db: Queryable, email?: string, phone?: string, exceptId?: string) {
  if (email) {
    const other = await findUserByEmail(db, email)
    if (other && other.id !== exceptId) {
      throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered')
    }
  }
  if (phone) {
    const other = await findUserByPhone(db, phone)
    if (other && other.id !== exceptId) {
      throw new AuthError(422, 'phone_exists', 'A user with this phone number has already been registered')
    }
  }
}

/** Inserts the user and one identity per address, inside the caller's transaction. */
export async function insertUser(client: pg.PoolClient, user: NewUser): Promise<UserRow> {
  const id = user.id ?? randomUUID()
  if (!isUuid(id)) throw validationFailed('The user id must be a UUID.')
  const providers = [user.email && 'email', user.phone && 'phone'].filter(Boolean) as string[]
  const appMetadata = { provider: providers[0] ?? 'email', providers, ...user.appMetadata }
  // GoTrue copies the identity's facts into user_metadata next to what the caller gave.
  const userMetadata = {
    ...user.userMetadata,
    sub: id,
    ...(user.email ? { email: user.email } : { phone: user.phone }),
    email_verified: Boolean(user.email && user.emailConfirmed),
    phone_verified: Boolean(user.phone && user.phoneConfirmed),
  }
  const { rows } = await client.query<UserRow>(`
    insert into auth.users (instance_id, id, aud, role, email, phone, encrypted_password,
      email_confirmed_at, phone_confirmed_at, invited_at, raw_app_meta_data, raw_user_meta_data,
      banned_until, created_at, updated_at, is_super_admin)
    values ('00000000-0000-0000-0000-000000000000', $1, 'authenticated', $2, $3, $4, $5,
      case when $6 then now() end, case when $7 then now() end, case when $8 then now() end,
      $9, $10, $11, now(), now(), false)
    returning *`,
  [id, user.role ?? 'authenticated', user.email ?? null, user.phone ?? null, user.passwordHash ?? '',
    Boolean(user.emailConfirmed), Boolean(user.phoneConfirmed), Boolean(user.invited),
    appMetadata, userMetadata, user.bannedUntil ?? null]).catch(duplicateAddress)
  if (user.email) await upsertIdentity(client, rows[0], 'email')
  if (user.phone) await upsertIdentity(client, rows[0], 'phone')
  return rows[0]
}

/**
 * A sign-up that lost a race for the same address gets the same answer as a
 * late one; any other database failure (e.g. an app trigger on auth.users)
 * gets GoTrue's words for it, and the transaction leaves nothing behind.
 */
function duplicateAddress(error: { code?: string, constraint?: string, message?: string }): never {
  if (error.code !== '23505') {
    log('auth', `creating a user failed in the database: ${error.message}`)
    throw new AuthError(500, 'unexpected_failure', 'Database error saving new user')
  }
  if (error.constraint === 'users_phone_key') {
    throw new AuthError(422, 'phone_exists', 'A user with this phone number has already been registered')
  }
  if (error.constraint === 'users_pkey') {
    throw new AuthError(422, 'user_already_exists', 'A user with this ID already exists')
  }
  throw new AuthError(422, 'email_exists', 'A user with this email address has already been registered')
}

/** Creates or refreshes the e-mail or phone identity from the user's current address. */
export async function upsertIdentity(db: Queryable, user: UserRow, provider: 'email' | 'phone') {
  const data = {
    sub: user.id,
    ...(provider === 'email' ? { email: user.email } : { phone: user.phone }),
    email_verified: Boolean(user.email_confirmed_at),
    phone_verified: Boolean(user.phone_confirmed_at),
  }
  await db.query(`
    insert into auth.identities (provider_id, user_id, identity_data, provider, created_at, updated_at)
    values ($1, $2, $3, $4, now(), now())
    on conflict (provider_id, provider)
      do update set identity_data = excluded.identity_data, updated_at = now()`,
  [user.id, user.id, data, provider])
}

/** Parses a Go duration such as "24h" or "1h30m"; "none" lifts a ban. */
export function banUntil(duration: string): Timestamp | null {
  if (duration === 'none') return null
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1e3, m: 6e4, h: 3.6e6 }
  const parts = [...duration.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)]
  if (!parts.length || parts.map(p => p[0]).join('') !== duration) {
    throw validationFailed(`Invalid format for ban duration: ${duration}`)
  }
  const ms = parts.reduce((sum, [, n, unit]) => sum + Number(n) * units[unit], 0)
  return new Date(Date.now() + ms)
}
