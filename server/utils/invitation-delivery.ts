// Invitations travel through Supabase Auth, so hosted Supabase sends them with the
// project's own mail and SMS settings (and the local stack puts them in its mailbox).
import { createClient } from '@supabase/supabase-js'
import type { H3Event } from 'h3'
import { serverSupabaseServiceRole } from '#supabase/server'

export interface Delivery {
  token: string
  email?: string | null
  phone?: string | null
}

/** Where the invitee opens the invitation: a page that only previews it until they accept. */
export function invitationLink(event: H3Event, token: string) {
  return `${getRequestURL(event).origin}/invitation/${encodeURIComponent(token)}`
}

/** Sends the invitation by e-mail (invite or sign-in link) or by SMS (a code), through Auth. */
export async function deliverInvitation(event: H3Event, delivery: Delivery) {
  const link = invitationLink(event, delivery.token)
  if (delivery.email) return sendEmail(event, delivery.email, link)
  if (delivery.phone) return sendSms(event, delivery.phone, delivery.token)
  throw createError({ statusCode: 400, statusMessage: 'An invitation needs an e-mail address or a phone number.' })
}

async function sendEmail(event: H3Event, email: string, link: string) {
  const admin = serverSupabaseServiceRole(event)
  const invited = await admin.auth.admin.inviteUserByEmail(email, { redirectTo: link })
  if (!invited.error) return
  // Someone who already has an account gets a sign-in link that leads to the same page.
  if (invited.error.code !== 'email_exists' && invited.error.status !== 422) throw deliveryFailed(invited.error)
  const { error } = await publicAuth(event).signInWithOtp({
    email, options: { shouldCreateUser: false, emailRedirectTo: link },
  })
  if (error) throw deliveryFailed(error)
}

// Auth's SMS carries only a sign-in code, not our link. So the token waits in the
// invitee's app_metadata (only admins can write it, only they can read it), and after
// typing the code on /invitation/code the app finds it there and opens the invitation.
async function sendSms(event: H3Event, phone: string, token: string) {
  const admin = serverSupabaseServiceRole(event).auth.admin
  let user = await findUserByPhone(event, phone)
  if (!user) {
    const created = await admin.createUser({ phone, phone_confirm: false })
    if (created.error) throw deliveryFailed(created.error)
    user = created.data.user
  }
  const waiting = (user.app_metadata?.invitation_tokens as string[] | undefined) ?? []
  const updated = await admin.updateUserById(user.id, {
    app_metadata: { invitation_tokens: [...waiting, token].slice(-10) },
  })
  if (updated.error) throw deliveryFailed(updated.error)

  const { error } = await publicAuth(event).signInWithOtp({ phone, options: { shouldCreateUser: false } })
  if (error) throw deliveryFailed(error)
}

// The Auth admin API cannot look a user up by phone, so this pages through all users.
// Fine for a care provider's few thousand accounts; a larger install wants an RPC for it.
async function findUserByPhone(event: H3Event, phone: string) {
  const admin = serverSupabaseServiceRole(event).auth.admin
  const digits = phone.replace(/\D/g, '')
  for (let page = 1; page < 100; page++) {
    const { data, error } = await admin.listUsers({ page, perPage: 1000 })
    if (error) throw deliveryFailed(error)
    const found = data.users.find(user => user.phone?.replace(/\D/g, '') === digits)
    if (found) return found
    if (data.users.length < 1000) return null
  }
  return null
}

/** An anon-key Auth client on the server that keeps no session. */
function publicAuth(event: H3Event) {
  const { url, key } = useRuntimeConfig(event).public.supabase as { url: string, key: string }
  return createClient(url, key, { auth: { persistSession: false, autoRefreshToken: false } }).auth
}

function deliveryFailed(error: { code?: string, status?: number, message: string }) {
  console.error(`invitation delivery failed: ${error.code ?? error.status} ${error.message}`)
  const rateLimited = error.status === 429
  return createError({
    statusCode: rateLimited ? 429 : 502,
    statusMessage: rateLimited ? 'Too many messages to this address; wait a minute.' : 'The invitation could not be sent.',
    data: { code: rateLimited ? 'over_send_rate_limit' : 'delivery_failed' },
  })
}
