// Helpers for the story tests: a story row, and simulated editors (supabase-js + Yjs + the
// app's own StoryProvider) that type into the story's shared Yjs document.
import type { SupabaseClient } from '@supabase/supabase-js'
import * as Y from 'yjs'
import { StoryProvider } from '../../app/composables/useStoryProvider.ts'
import { storyBodyFromDoc, storyField, storyPlainText } from '../../shared/schemas/story.ts'
import { db } from '../access/fixtures.ts'
import { waitFor } from '../guestbook/support.ts'

/** A story of the resident, written by `authorId`, with a body but no collaborative state. */
export async function createStory(residentId: string, authorId: string, title = 'Sommeren på setra', body?: unknown) {
  const { rows } = await db<{ id: string }>(`insert into public.stories (resident_id, title, body, created_by)
    values ($1, $2, coalesce($3::jsonb, '{"type": "doc", "content": []}'), $4) returning id`,
  [residentId, title, body === undefined ? null : JSON.stringify(body), authorId])
  return rows[0]!.id
}

/** A simulated person with the story open: their own Y.Doc, connected through StoryProvider. */
export interface StoryEditor {
  doc: Y.Doc
  provider: StoryProvider
  /** Types `text` at the end of the first paragraph (one Yjs change per call). */
  type: (text: string) => void
  text: () => string
  /** Resolves once the channel is joined. */
  live: () => Promise<void>
}

/**
 * Opens the story in a simulated editor (or reader, with canEdit false). With `firstTopic`
 * (from public.story_live_topic) it joins and follows the keyed topic as the app does.
 */
export function openStory(client: SupabaseClient, storyId: string, canEdit = true, initial?: Uint8Array,
  firstTopic?: string | null): StoryEditor {
  const doc = new Y.Doc()
  if (initial) Y.applyUpdate(doc, initial)
  const topic = async () => (await client.rpc('story_live_topic', { story: storyId })).data as string | null
  const provider = new StoryProvider({ client, storyId, doc, canEdit, batchMs: 1,
    ...(firstTopic === undefined ? {} : { firstTopic, topic }) })
  const paragraph = () => {
    const fragment = doc.getXmlFragment(storyField)
    if (fragment.length === 0) {
      const p = new Y.XmlElement('paragraph')
      p.insert(0, [new Y.XmlText()])
      fragment.insert(0, [p])
    }
    return (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
  }
  return {
    doc, provider,
    type: (text) => {
      const target = paragraph()
      target.insert(target.length, text)
    },
    text: () => storyPlainText(storyBodyFromDoc(doc)),
    live: () => waitFor(() => provider.connection === 'live' ? true : undefined, 10_000, 'the story channel').then(() => {}),
  }
}
