import { randomUUID } from 'node:crypto'
import { newOtp, tokenHash } from './codes.ts'
import type { Queryable, Timestamp, UserRow } from './users.ts'

/** GoTrue's token kinds; each is a column of auth.users and a row kind of auth.one_time_tokens. */
export type TokenType = 'confirmation_token' | 'recovery_token' | 'email_change_token_new'
  | 'email_change_token_current' | 'phone_change_token' | 'reauthentication_token'

const sentColumn: Record<TokenType, string> = {
  confirmation_token: 'confirmation_sent_at',
  recovery_token: 'recovery_sent_at',
  email_change_token_new: 'email_change_sent_at',
  email_change_token_current: 'email_change_sent_at',
  phone_change_token: 'phone_change_sent_at',
  reauthentication_token: 'reauthentication_sent_at',
}

/** When the token of this kind was last sent to the user. */
export function sentAt(user: UserRow, type: TokenType): Timestamp | null {
  return (user as unknown as Record<string, Timestamp | null>)[sentColumn[type]]
}

/** A code just made: the code for the person, the hash for the link and the database. */
export interface IssuedToken {
  otp: string
  /** What the link carries and the database keeps: the hash, `pkce_`-prefixed in a PKCE flow. */
  tokenHash: string
}

/**
 * Makes a fresh code for the address and stores only its hash, replacing any
 * earlier token of the same kind, in the user row and in one_time_tokens.
 */
export async function issueToken(db: Queryable, userId: string, type: TokenType, address: string,
  pkce = false) {
  const otp = newOtp()
  const hash = (pkce ? 'pkce_' : '') + tokenHash(address, otp)
  await db.query(`update auth.users set ${type} = $2, ${sentColumn[type]} = now(), updated_at = now()
    where id = $1`, [userId, hash])
  await db.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, type])
  await db.query(`insert into auth.one_time_tokens (id, user_id, token_type, token_hash, relates_to)
    values ($1, $2, $3, $4, $5)`, [randomUUID(), userId, type, hash, address])
  return { otp, tokenHash: hash } satisfies IssuedToken
}

/** A stored token that matched, with whom and which address it belongs to. */
export interface FoundToken {
  userId: string
  type: TokenType
  relatesTo: string
  tokenHash: string
}

/** Finds a live token by the hash a link carries, among the given kinds. */
export async function findByHash(db: Queryable, hash: string, types: TokenType[]) {
  const { rows } = await db.query(`select t.user_id, t.token_type, t.relates_to, t.token_hash
    from auth.one_time_tokens t
    join auth.users u on u.id = t.user_id
    where t.token_hash = $1 and t.token_type = any($2)
    order by t.created_at desc limit 1`, [hash, types])
  return rows[0] ? toFound(rows[0]) : undefined
}

/** Finds a live token by the address and the code the person typed. */
export async function findByCode(db: Queryable, address: string, otp: string, types: TokenType[]) {
  const hash = tokenHash(address, otp)
  const { rows } = await db.query(`select user_id, token_type, relates_to, token_hash
    from auth.one_time_tokens
    where token_hash in ($1, 'pkce_' || $1) and relates_to = $2 and token_type = any($3)
    order by created_at desc limit 1`, [hash, address, types])
  return rows[0] ? toFound(rows[0]) : undefined
}

function toFound(row: Record<string, string>): FoundToken {
  return {
    userId: row.user_id,
    type: row.token_type as TokenType,
    relatesTo: row.relates_to,
    tokenHash: row.token_hash,
  }
}

/** Uses a token up, so the same link or code works only once. */
export async function clearToken(db: Queryable, userId: string, type: TokenType) {
  await db.query(`update auth.users set ${type} = '' where id = $1`, [userId])
  await db.query('delete from auth.one_time_tokens where user_id = $1 and token_type = $2', [userId, type])
}

/** Forgets every outstanding code of the user, e.g. when the password changes. */
export async function clearAllTokens(db: Queryable, userId: string) {
  await db.query(`update auth.users set confirmation_token = '', recovery_token = '',
    email_change_token_new = '', email_change_token_current = '', phone_change_token = '',
    reauthentication_token = '' where id = $1`, [userId])
  await db.query('delete from auth.one_time_tokens where user_id = $1', [userId])
}
