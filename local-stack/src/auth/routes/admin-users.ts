import { z } from 'zod'
import { checkPassword, hashPassword } from '../codes.ts'
import { log } from '../../log.ts'
import { AuthError, userNotFound, validationFailed } from '../errors.ts'
import { fields, normaliseEmail, normalisePhone, parseBody, readAuthBody } from '../input.ts'
import { reply, type AuthRequest } from '../route.ts'
import { requireAdmin } from '../sessions.ts'
import {
  assertAddressesFree, banUntil, findUserById, insertUser, mergeMetadata, transaction, upsertIdentity,
  type UserRow,
} from '../users.ts'
import { userJson } from '../user-json.ts'
import { addProvider } from '../verification.ts'

const userFields = {
  email: fields.optionalText,
  phone: fields.optionalText,
  password: fields.optionalText,
  password_hash: fields.optionalText,
  email_confirm: z.boolean().nullish(),
  phone_confirm: z.boolean().nullish(),
  user_metadata: fields.metadata,
  app_metadata: fields.metadata,
  role: z.string().max(255).nullish(),
  ban_duration: z.string().max(100).nullish(),
}

const createBody = z.object({ ...userFields, id: fields.optionalText })

interface PasswordFields { password?: string | null, password_hash?: string | null }

async function passwordHashOf(body: PasswordFields, request: AuthRequest) {
  if (body.password) {
    checkPassword(request.auth.settings, body.password)
    return hashPassword(body.password)
  }
  if (body.password_hash) {
    if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(body.password_hash)) {
      throw validationFailed('password_hash must be a bcrypt hash')
    }
    return body.password_hash
  }
  return undefined
}

/** POST /admin/users: creates a user; unconfirmed unless email_confirm / phone_confirm. */
export async function createUser(request: AuthRequest) {
  await requireAdmin(request.auth, request.req, request.url)
  const body = parseBody(createBody, await readAuthBody(request.req))
  const email = body.email ? normaliseEmail(body.email) : undefined
  const phone = body.phone ? normalisePhone(body.phone) : undefined
  if (!email && !phone) throw validationFailed('An email address or phone number is required')
  const passwordHash = await passwordHashOf(body, request)
  const bannedUntil = body.ban_duration ? banUntil(body.ban_duration) : null
  const user = await transaction(request.auth.db, async (client) => {
    await assertAddressesFree(client, email, phone)
    return insertUser(client, {
      id: body.id ?? undefined, email, phone, passwordHash, role: body.role ?? undefined,
      emailConfirmed: Boolean(body.email_confirm), phoneConfirmed: Boolean(body.phone_confirm),
      userMetadata: body.user_metadata, appMetadata: body.app_metadata, bannedUntil,
    })
  })
  reply(request, 200, await userJson(request.auth.db, user))
}

const pageParam = z.coerce.number().int().min(1).max(1_000_000)

/** GET /admin/users?page=&per_page=: newest first, with X-Total-Count and Link headers. */
export async function listUsers(request: AuthRequest) {
  await requireAdmin(request.auth, request.req, request.url)
  const params = request.url.searchParams
  const page = parseBody(pageParam, params.get('page') || 1)
  const perPage = Math.min(parseBody(pageParam, params.get('per_page') || 50), 1000)
  const db = request.auth.db
  const { rows } = await db.query<UserRow>(`select * from auth.users order by created_at desc, id
    limit $1 offset $2`, [perPage, (page - 1) * perPage])
  const total = Number((await db.query('select count(*) from auth.users')).rows[0].count)
  const lastPage = Math.max(1, Math.ceil(total / perPage))
  const links = []
  if (page < lastPage) links.push(`</admin/users?page=${page + 1}&per_page=${perPage}>; rel="next"`)
  links.push(`</admin/users?page=${lastPage}&per_page=${perPage}>; rel="last"`)
  const users = await Promise.all(rows.map(user => userJson(db, user)))
  const headers = { 'x-total-count': String(total), 'link': links.join(', ') }
  reply(request, 200, { users, aud: 'authenticated' }, headers)
}

async function existingUser(request: AuthRequest, lock?: import('pg').PoolClient) {
  const user = await findUserById(lock ?? request.auth.db, request.id ?? '', Boolean(lock))
  if (!user) throw userNotFound()
  return user
}

/** GET /admin/users/:id */
export async function getUserById(request: AuthRequest) {
  await requireAdmin(request.auth, request.req, request.url)
  reply(request, 200, await userJson(request.auth.db, await existingUser(request)))
}

/** PUT /admin/users/:id: changes take effect at once, without confirmation mails; a ban ends all sessions. */
export async function updateUserById(request: AuthRequest) {
  await requireAdmin(request.auth, request.req, request.url)
  const body = parseBody(z.object(userFields), await readAuthBody(request.req))
  const email = body.email ? normaliseEmail(body.email) : undefined
  const phone = body.phone ? normalisePhone(body.phone) : undefined
  const passwordHash = await passwordHashOf(body, request)
  const bannedUntil = body.ban_duration ? banUntil(body.ban_duration) : undefined

  await transaction(request.auth.db, async (client) => {
    const user = await existingUser(request, client)
    await assertAddressesFree(client, email, phone, user.id)
    const set = (column: string, value: unknown) =>
      client.query(`update auth.users set ${column} = $2, updated_at = now() where id = $1`, [user.id, value])
    if (body.user_metadata) {
      await set('raw_user_meta_data', mergeMetadata(user.raw_user_meta_data, body.user_metadata))
    }
    if (body.app_metadata) {
      await set('raw_app_meta_data', mergeMetadata(user.raw_app_meta_data, body.app_metadata))
    }
    if (body.role) await set('role', body.role)
    if (passwordHash) await set('encrypted_password', passwordHash)
    if (email) await set('email', email)
    if (phone) await set('phone', phone)
    if (body.email_confirm) await set('email_confirmed_at', user.email_confirmed_at ?? new Date())
    if (body.phone_confirm) await set('phone_confirmed_at', user.phone_confirmed_at ?? new Date())
    if (bannedUntil !== undefined) {
      await set('banned_until', bannedUntil)
      if (bannedUntil) await client.query('delete from auth.sessions where user_id = $1', [user.id])
    }
    const updated = (await findUserById(client, user.id))!
    if (email || body.email_confirm) await upsertIdentity(client, updated, 'email')
    if (phone || body.phone_confirm) await upsertIdentity(client, updated, 'phone')
    if (email) await addProvider(client, user.id, 'email')
    if (phone) await addProvider(client, user.id, 'phone')
  })
  reply(request, 200, await userJson(request.auth.db, await existingUser(request)))
}

const deleteBody = z.object({ should_soft_delete: z.boolean().nullish() })

/** DELETE /admin/users/:id: removes the user with identities and sessions, or blanks it (soft delete). */
export async function deleteUser(request: AuthRequest) {
  await requireAdmin(request.auth, request.req, request.url)
  const body = parseBody(deleteBody, await readAuthBody(request.req))
  await transaction(request.auth.db, async (client) => {
    const user = await existingUser(request, client)
    if (!body.should_soft_delete) return client.query('delete from auth.users where id = $1', [user.id])
    await client.query('delete from auth.identities where user_id = $1', [user.id])
    await client.query('delete from auth.sessions where user_id = $1', [user.id])
    await client.query(`update auth.users set email = null, phone = null, encrypted_password = '',
      raw_user_meta_data = '{}', raw_app_meta_data = '{}', deleted_at = now(), updated_at = now()
      where id = $1`, [user.id])
  }).catch((error) => {
    if (error instanceof AuthError) throw error
    // e.g. an app table that references auth.users without ON DELETE CASCADE
    log('auth', `deleting user ${request.id} failed in the database: ${error.message}`)
    throw new AuthError(500, 'unexpected_failure', 'Database error deleting user')
  })
  reply(request, 200, {})
}
