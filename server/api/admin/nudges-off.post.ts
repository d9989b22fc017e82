// Turns family reminders off by the token in the e-mail's link, without signing in:
// from the page /help/reminders-off (JSON body) or a mail program's one-click
// button (RFC 8058: the token in the query string). The token can do nothing else.
import { serverSupabaseServiceRole } from '#supabase/server'
import { z } from 'zod'

const token = z.uuid()

export default defineEventHandler(async (event) => {
  const body = await readBody<{ token?: unknown } | string | undefined>(event).catch(() => undefined)
  const given = getQuery(event).token ?? (typeof body === 'object' ? body?.token : undefined)
  const parsed = token.safeParse(given)
  if (!parsed.success) throw createError({ statusCode: 404, statusMessage: 'This link is not known.' })

  const { data, error } = await serverSupabaseServiceRole(event)
    .rpc('unsubscribe_family_nudges', { token: parsed.data })
  if (error) {
    console.error(`family reminders: turning off failed: ${error.message}`)
    throw createError({ statusCode: 500, statusMessage: 'The reminders could not be turned off just now.' })
  }
  if (!data) throw createError({ statusCode: 404, statusMessage: 'This link is not known.' })
  return { residentName: data as string }
})
