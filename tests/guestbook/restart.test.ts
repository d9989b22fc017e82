// A front page left open while the stack restarts: the feed's own code (the same
// functions the app uses) rejoins the resident's channel, catches up with what it
// missed and ends with every post exactly once.
import { rmSync } from 'node:fs'
import { randomUUID } from 'node:crypto'
import { createClient } from '@supabase/supabase-js'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { signJwt } from '../../local-stack/src/jwt.ts'
import { startStack, throwawayStackConfig, type RunningStack } from '../../local-stack/src/stack.ts'
import { fetchGuestbookNewer, fetchGuestbookPage, mergePosts } from '../../app/composables/useGuestbookQueries.ts'
import { applyGuestbookChange, joinGuestbookChannels, type FeedState } from '../../app/composables/useGuestbookLive.ts'
import { sleep, waitFor } from './support.ts'

const config = await throwawayStackConfig('guestbook-restart')
const dataDir = config.dataDir
let running: RunningStack | undefined

afterAll(async () => {
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

describe('a stack restart under an open front page', () => {
  it('rejoins, catches up and shows every post once', { timeout: 120_000 }, async () => {
    running = await startStack(config)
    const [relative, staff] = [randomUUID(), randomUUID()]
    const { rows: [home] } = await run(`with o as (insert into public.organisations (name) values ('Omstart kommune')
        returning id), u as (insert into public.units (organisation_id, name) select id, 'Omstart' from o returning id)
      insert into public.residents (unit_id, display_name) select id, 'Ingrid Omstart' from u returning id, unit_id`)
    await run(`insert into auth.users (id, aud, role, email, created_at, updated_at)
      select id, 'authenticated', 'authenticated', id || '@eksempel.no', now(), now() from unnest($1::uuid[]) id`,
    [[relative, staff]])
    await run(`insert into public.unit_members (unit_id, user_id) values ($1, $2)`, [home.unit_id, staff])
    await run(`insert into public.resident_members (resident_id, user_id, role) values ($1, $2, 'relative')`,
      [home.id, relative])
    await run(`insert into public.legal_acceptances (user_id, document_id)
      select p, d.id from unnest($1::uuid[]) p cross join public.current_legal_documents d`, [[relative, staff]])
    const post = (body: string) => run(`insert into public.guestbook_posts (resident_id, body, created_by)
      values ($1, $2, $3)`, [home.id, body, staff])

    const iat = Math.floor(Date.now() / 1000)
    const token = await signJwt(running.secrets.jwtSecret,
      { sub: relative, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 })
    const client = createClient(running.apiUrl, running.secrets.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      accessToken: async () => token,
      realtime: { transport: WebSocket as never, reconnectAfterMs: () => 300 },
    })
    const state: FeedState = { posts: await fetchGuestbookPage(client, [home.id]), pending: [] }
    let joins = 0
    const failures: unknown[] = []
    const catchUp = async () => {
      const newest = state.posts[0]
      const newer = newest ? await fetchGuestbookNewer(client, [home.id], newest) : await fetchGuestbookPage(client, [home.id])
      state.posts = mergePosts(state.posts, newer)
    }
    await joinGuestbookChannels(client, [home.id], change => applyGuestbookChange(state, change, false), () => {
      joins += 1
      catchUp().catch(failure => failures.push(failure))
    })
    await waitFor(() => joins === 1 || undefined, 10_000, 'the first join')

    await post('Før omstarten')
    await waitFor(() => state.posts.find(p => p.body === 'Før omstarten'), 3_000, 'the first post')

    await running.stop()
    running = await startStack(config)
    // Written as soon as the stack is back, most likely before the page has rejoined.
    await post('Under omstarten')
    await waitFor(() => joins >= 2 || undefined, 30_000, 'the rejoin')
    await post('Etter omstarten')
    await waitFor(() => state.posts.find(p => p.body === 'Etter omstarten'), 5_000, 'the post after the restart')
    await sleep(500)

    expect(state.posts.map(p => p.body).sort()).toEqual(['Etter omstarten', 'Før omstarten', 'Under omstarten'])
    expect(failures).toEqual([])
    await client.removeAllChannels()
    client.realtime.disconnect()
  })
})
