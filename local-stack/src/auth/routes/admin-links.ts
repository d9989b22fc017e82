import type pg from 'pg'
import { z } from 'zod'
import { checkPassword, hashPassword } from '../codes.ts'
import { AuthError, validationFailed } from '../errors.ts'
import { fields, normaliseEmail, parseBody, readAuthBody } from '../input.ts'
import { sendMail, verifyLink, type MailType } from '../mail.ts'
import { issueToken, type IssuedToken, type TokenType } from '../one-time-tokens.ts'
import { reply, type AuthRequest } from '../route.ts'
import { allowedRedirect } from '../settings.ts'
import { requireAdmin } from '../sessions.ts'
import {
  assertAddressesFree, findUserByEmail, findUserById, insertUser, transaction, type Metadata, type UserRow,
} from '../users.ts'
import { userJson } from '../user-json.ts'

const emailExists = () =>
  new AuthError(422, 'email_exists', 'A user with this email address has already been registered')

/** An invited (or re-invited) user with a fresh invitation token, inside the caller's transaction. */
async function invitedUser(client: pg.PoolClient, email: string, data: Metadata | null | undefined) {
  const existing = await findUserByEmail(client, email)
  if (existing?.email_confirmed_at) throw emailExists()
  const user = existing ?? await insertUser(client, { email, invited: true, userMetadata: data })
  await client.query('update auth.users set invited_at = now() where id = $1', [user.id])
  return { user, issued: await issueToken(client, user.id, 'confirmation_token', email) }
}

const inviteBody = z.object({ email: z.string().max(1000), data: fields.metadata })

/** POST /invite (admin.inviteUserByEmail): creates the user and mails the invitation. */
export async function invite(request: AuthRequest) {
  const { auth, req, url } = request
  await requireAdmin(auth, req, url)
  const body = parseBody(inviteBody, await readAuthBody(req))
  const email = normaliseEmail(body.email)
  const { user, issued } = await transaction(auth.db, client => invitedUser(client, email, body.data))
  const redirectTo = allowedRedirect(auth.settings, url.searchParams.get('redirect_to'))
  await sendMail(auth, { to: email, type: 'invite', ...issued, redirectTo })
  reply(request, 200, await userJson(auth.db, (await findUserById(auth.db, user.id))!))
}

const linkBody = z.object({
  type: z.enum(['signup', 'invite', 'magiclink', 'recovery', 'email_change_current', 'email_change_new']),
  email: z.string().max(1000),
  password: fields.optionalText,
  data: fields.metadata,
  new_email: fields.optionalText,
  redirect_to: fields.optionalText,
})
type LinkBody = z.infer<typeof linkBody>

interface Link { user: UserRow, issued: IssuedToken, type: MailType }

async function makeLink(client: pg.PoolClient, body: LinkBody, email: string,
  passwordHash: string | undefined): Promise<Link> {
  if (body.type === 'invite') return { ...await invitedUser(client, email, body.data), type: 'invite' }
  const user = await findUserByEmail(client, email)
  if (body.type === 'signup') {
    if (user?.email_confirmed_at) throw emailExists()
    if (!passwordHash) throw validationFailed('A password is required for a signup link')
    const created = user ?? await insertUser(client, { email, passwordHash, userMetadata: body.data })
    const issued = await issueToken(client, created.id, 'confirmation_token', email)
    return { user: created, issued, type: 'signup' }
  }
  if (!user) throw new AuthError(404, 'user_not_found', 'User with this email not found')
  if (body.type === 'magiclink' || body.type === 'recovery') {
    return { user, issued: await issueToken(client, user.id, 'recovery_token', email), type: body.type }
  }
  if (!body.new_email) throw validationFailed('new_email is required for an email change link')
  const newEmail = normaliseEmail(body.new_email)
  await assertAddressesFree(client, newEmail, undefined, user.id)
  await client.query(`update auth.users set email_change = $2, email_change_confirm_status = 0,
    email_change_token_new = '', email_change_token_current = '' where id = $1`, [user.id, newEmail])
  const [token, address]: [TokenType, string] = body.type === 'email_change_new'
    ? ['email_change_token_new', newEmail]
    : ['email_change_token_current', email]
  return { user, issued: await issueToken(client, user.id, token, address), type: 'email_change' }
}

/** POST /admin/generate_link: the link and code a mail would carry, without sending it. */
export async function generateLink(request: AuthRequest) {
  const { auth, req, url } = request
  await requireAdmin(auth, req, url)
  const body = parseBody(linkBody, await readAuthBody(req))
  const email = normaliseEmail(body.email)
  if (body.password) checkPassword(auth.settings, body.password)
  // Hashed before the transaction, so no connection waits on bcrypt.
  const passwordHash = body.type === 'signup' && body.password ? await hashPassword(body.password) : undefined
  const link = await transaction(auth.db, client => makeLink(client, body, email, passwordHash))
  const redirectTo = allowedRedirect(auth.settings, body.redirect_to ?? url.searchParams.get('redirect_to'))
  const user = (await findUserById(auth.db, link.user.id))!
  reply(request, 200, {
    ...await userJson(auth.db, user),
    action_link: verifyLink(auth, link.issued.tokenHash, link.type, redirectTo),
    email_otp: link.issued.otp,
    hashed_token: link.issued.tokenHash,
    verification_type: link.type,
    redirect_to: redirectTo,
  })
}
