// Two people writing a story while the local stack restarts under them: what was saved before
// the restart is all still there afterwards, the editors rejoin by themselves, bring over
// what they typed while the stack was down, and end with the same text, saved.
import { rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { signJwt } from '../../local-stack/src/jwt.ts'
import { startStack, throwawayStackConfig, type RunningStack } from '../../local-stack/src/stack.ts'
import { mergeAndSaveStory } from '../../shared/schemas/story.ts'
import { waitFor } from '../guestbook/support.ts'
import { openStory, type StoryEditor } from './support.ts'

const config = await throwawayStackConfig('story-restart')
const dataDir = config.dataDir
let running: RunningStack | undefined
const editors: StoryEditor[] = []

afterAll(async () => {
  await Promise.all(editors.map(editor => editor.provider.destroy().catch(() => {})))
  await running?.stop()
  rmSync(dataDir, { recursive: true, force: true })
})

async function run(text: string, params: unknown[] = []) {
  const client = new pg.Client({ connectionString: running!.dbUrl })
  await client.connect()
  try {
    return await client.query(text, params)
  }
  finally {
    await client.end()
  }
}

async function clientAs(userId: string): Promise<SupabaseClient> {
  const iat = Math.floor(Date.now() / 1000)
  const token = await signJwt(running!.secrets.jwtSecret,
    { sub: userId, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 })
  return createClient(running!.apiUrl, running!.secrets.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    accessToken: async () => token,
    realtime: { transport: WebSocket as never, reconnectAfterMs: () => 300 },
  })
}

/** Saves everything the editor has, as the app's server route would (merged into the stored state). */
const save = (client: SupabaseClient, storyId: string, editor: StoryEditor) =>
  mergeAndSaveStory(client, storyId, Y.encodeStateAsUpdate(editor.doc), true)

describe('a stack restart while a story is being written', () => {
  it('loses nothing that was saved, and merges what was typed meanwhile', { timeout: 120_000 }, async () => {
    running = await startStack(config)
    const [anneId, perId] = [randomUUID(), randomUUID()]
    const { rows: [home] } = await run(`with o as (insert into public.organisations (name) values ('Omstart kommune')
        returning id), u as (insert into public.units (organisation_id, name) select id, 'Omstart' from o returning id)
      insert into public.residents (unit_id, display_name) select id, 'Ingrid Omstart' from u returning id`)
    await run(`insert into auth.users (id, aud, role, email, created_at, updated_at)
      select id, 'authenticated', 'authenticated', id || '@eksempel.no', now(), now() from unnest($1::uuid[]) id`,
    [[anneId, perId]])
    await run(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'primary_contact'),
      ($1, $3, 'relative')`, [home.id, anneId, perId])
    await run(`insert into public.legal_acceptances (user_id, document_id)
      select p, d.id from unnest($1::uuid[]) p cross join public.current_legal_documents d`, [[anneId, perId]])
    const { rows: [story] } = await run(`insert into public.stories (resident_id, title, created_by)
      values ($1, 'Omstarten', $2) returning id`, [home.id, anneId])

    const [anneClient, perClient] = await Promise.all([clientAs(anneId), clientAs(perId)])
    const anne = openStory(anneClient, story.id)
    const per = openStory(perClient, story.id)
    editors.push(anne, per)
    await Promise.all([anne.live(), per.live()])
    anne.type('Anne før. ')
    await waitFor(() => per.text().includes('Anne før.') || undefined, 3_000, 'Anne\'s words at Per')
    per.type('Per før. ')
    await waitFor(() => anne.text().includes('Per før.') || undefined, 3_000, 'Per\'s words at Anne')
    await save(anneClient, story.id, anne)
    const saved = anne.text()

    await running.stop()
    await waitFor(() => anne.provider.connection === 'offline' || undefined, 10_000, 'Anne to notice')
    anne.type('Anne under. ')
    per.type('Per under. ')
    running = await startStack(config)

    const { rows: [stored] } = await run('select body_text from public.stories where id = $1', [story.id])
    expect(stored.body_text).toBe(saved)

    await Promise.all([anne.live(), per.live()])
    const text = await waitFor(() => anne.text() === per.text() && anne.text().includes('Per under.')
      && per.text().includes('Anne under.')
      ? anne.text()
      : undefined, 15_000, 'the same text at both')
    for (const words of ['Anne før.', 'Per før.', 'Anne under.', 'Per under.']) expect(text.split(words)).toHaveLength(2)
    await save(perClient, story.id, per)
    const { rows: [after] } = await run('select body_text from public.stories where id = $1', [story.id])
    expect(after.body_text).toBe(text)
  })
})
