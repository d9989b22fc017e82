// Saves a browser's changes to a story's collaborative text. The browser sends a Yjs update
// (its changes since its last save); mergeAndSaveStory merges it into the stored state,
// derives the Tiptap JSON and plain text from the merged document and saves all three with
// the person's own token, so RLS and save_story_document decide who may. Merging here rather
// than in the browser means a save never overwrites words it did not know about.
// The app also calls this with `fetch(..., { keepalive: true })` when a page is closed.
import * as Y from 'yjs'
import { serverSupabaseClient, serverSupabaseUser } from '#supabase/server'
import { fromBase64, mergeAndSaveStory, StorySaveError, storySaveSchema } from '#shared/schemas/story'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const statusOf = { missing: 404, not_allowed: 403, invalid: 400, busy: 409, unavailable: 503 } as const

/** The update in the request body, checked to be a Yjs update; null when it is not. */
function readUpdate(input: unknown) {
  const parsed = storySaveSchema.safeParse(input)
  if (!parsed.success) return null
  try {
    const update = fromBase64(parsed.data.update)
    Y.decodeUpdate(update)
    return { update, authored: parsed.data.authored, healthConfirmed: parsed.data.healthConfirmed }
  }
  catch {
    return null
  }
}

export default defineEventHandler(async (event) => {
  const user = await serverSupabaseUser(event).catch(() => null)
  if (!user) throw createError({ statusCode: 401, statusMessage: 'Sign in to save the story.', data: { reason: 'not_signed_in' } })
  const storyId = getRouterParam(event, 'id') ?? ''
  if (!uuid.test(storyId)) throw createError({ statusCode: 404, statusMessage: 'There is no such story.', data: { reason: 'missing' } })
  const input = readUpdate(await readBody(event).catch(() => null))
  if (!input) throw createError({ statusCode: 400, statusMessage: 'The changes could not be read.', data: { reason: 'invalid' } })

  try {
    const version = await mergeAndSaveStory(await serverSupabaseClient(event), storyId, input.update, input.authored,
      input.healthConfirmed)
    return { version }
  }
  catch (error) {
    if (!(error instanceof StorySaveError)) throw error
    // save_story_document refuses a story over its size limit with 22001; mergeAndSaveStory
    // passes that on as 'unavailable' with the code in its message. Retrying cannot help, so
    // the browser is told plainly (413) and asks the person to shorten the text.
    if (error.reason === 'unavailable' && error.message.includes(': 22001 ')) {
      throw createError({ statusCode: 413, statusMessage: 'The story is too long to save.', data: { reason: 'too_long' } })
    }
    if (error.reason === 'unavailable') console.error(error.message)
    throw createError({ statusCode: statusOf[error.reason], statusMessage: error.message, data: { reason: error.reason } })
  }
})
