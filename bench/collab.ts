// `npm run bench:collab`: five simulated editors (Node, supabase-js, Yjs and the app's own
// StoryProvider) write one story together on a throwaway local stack, each making 500 small
// edits. Prints the time to convergence after the last edit, the latency of a remote change
// (from the change to its arrival in another editor's document, median and p95), the bytes
// broadcast per edit, and the time to save and to load a 20,000-word story.
// Aim: remote change p95 under 100 ms on loopback.
import { randomUUID } from 'node:crypto'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import WebSocket from 'ws'
import * as Y from 'yjs'
import { StoryProvider } from '../app/composables/useStoryProvider.ts'
import { signJwt } from '../local-stack/src/jwt.ts'
import { startThrowawayStack } from '../local-stack/src/stack.ts'
import {
  fromByteaHex, mergeAndSaveStory, seedStoryState, storyBodyFromDoc, storyField, type StoryNode,
} from '../shared/schemas/story.ts'

const editorsCount = 5
const editsEach = 500
const editEveryMs = 20
const longStoryWords = 20_000

process.env.STACK_QUIET = '1'
const stack = await startThrowawayStack('bench-collab')
const db = new pg.Client({ connectionString: stack.dbUrl })
await db.connect()

const quantile = (values: number[], q: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN
}
const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

/** A resident with `count` relatives who accepted the terms, and an empty story. */
async function setUp(count: number) {
  const users = Array.from({ length: count }, () => randomUUID())
  const { rows: [home] } = await db.query(`with o as (insert into public.organisations (name) values ('Benk kommune')
      returning id), u as (insert into public.units (organisation_id, name) select id, 'Benk' from o returning id)
    insert into public.residents (unit_id, display_name) select id, 'Ingrid Benk' from u returning id`)
  await db.query(`insert into auth.users (id, aud, role, email, created_at, updated_at)
    select id, 'authenticated', 'authenticated', id || '@bench.minnespor.no', now(), now() from unnest($1::uuid[]) id`, [users])
  await db.query(`insert into public.resident_members (resident_id, user_id, role)
    select $1, id, 'relative' from unnest($2::uuid[]) id`, [home.id, users])
  await db.query(`insert into public.legal_acceptances (user_id, document_id)
    select p, d.id from unnest($1::uuid[]) p cross join public.current_legal_documents d`, [users])
  const story = async (title: string) => (await db.query(`insert into public.stories (resident_id, title, created_by)
    values ($1, $2, $3) returning id`, [home.id, title, users[0]])).rows[0].id as string
  return { users, story }
}

async function clientAs(userId: string): Promise<SupabaseClient> {
  const iat = Math.floor(Date.now() / 1000)
  const token = await signJwt(stack.secrets.jwtSecret, { sub: userId, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 })
  return createClient(stack.apiUrl, stack.secrets.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    accessToken: async () => token,
    realtime: { transport: WebSocket as never },
  })
}

/** A small edit: a word typed at a random place in the shared paragraph, or a few letters deleted. */
function edit(doc: Y.Doc, who: number, n: number) {
  const fragment = doc.getXmlFragment(storyField)
  const text = (fragment.get(0) as Y.XmlElement).get(0) as Y.XmlText
  const at = Math.floor(Math.random() * (text.length + 1))
  if (n % 5 === 4 && text.length > 10) text.delete(Math.min(at, text.length - 3), 3)
  else text.insert(at, `e${who}w${n} `)
}

async function collaborate() {
  const { users, story } = await setUp(editorsCount)
  const storyId = await story('Benken')
  const latencies: number[] = []
  const clients = await Promise.all(users.map(clientAs))
  const docs = users.map(() => new Y.Doc())
  // One starting paragraph, made once and shared, so every edit lands in the same paragraph.
  const start = new Y.Doc()
  const paragraph = new Y.XmlElement('paragraph')
  paragraph.insert(0, [new Y.XmlText('Start ')])
  start.getXmlFragment(storyField).insert(0, [paragraph])
  for (const doc of docs) Y.applyUpdate(doc, Y.encodeStateAsUpdate(start))

  const providers = docs.map((doc, i) => new StoryProvider({
    client: clients[i]!, storyId, doc, canEdit: true,
    onRemoteUpdate: at => latencies.push(Date.now() - at),
  }))
  while (providers.some(p => p.connection !== 'live')) await sleep(20)
  await sleep(500)
  latencies.length = 0
  for (const provider of providers) provider.bytesSent = 0

  const began = performance.now()
  await Promise.all(docs.map(async (doc, who) => {
    for (let n = 0; n < editsEach; n++) {
      edit(doc, who, n)
      await sleep(editEveryMs)
    }
  }))
  const lastEdit = performance.now()
  const same = () => docs.every(doc => Y.encodeStateVector(doc).toString() === Y.encodeStateVector(docs[0]!).toString())
  while (!same()) {
    if (performance.now() - lastEdit > 30_000) throw new Error('The editors did not converge within 30 s.')
    await sleep(2)
  }
  const converged = performance.now()
  const texts = new Set(docs.map(doc => doc.getXmlFragment(storyField).toString()))

  const saveStarted = performance.now()
  await mergeAndSaveStory(clients[0]!, storyId, Y.encodeStateAsUpdate(docs[0]!), true)
  const saved = performance.now()
  const bytes = providers.reduce((sum, p) => sum + p.bytesSent, 0)
  await Promise.all(providers.map(p => p.destroy()))
  for (const client of clients) client.realtime.disconnect()

  return {
    edits: editorsCount * editsEach,
    editing: lastEdit - began,
    convergence: converged - lastEdit,
    identical: texts.size === 1,
    messages: latencies.length,
    latency: { median: quantile(latencies, 0.5), p95: quantile(latencies, 0.95), max: Math.max(...latencies) },
    bytesPerEdit: bytes / (editorsCount * editsEach),
    save: saved - saveStarted,
    stateBytes: Y.encodeStateAsUpdate(docs[0]!).length,
  }
}

/** A story of 20,000 words in 200 paragraphs, saved once, then loaded as the page loads it. */
async function longStory() {
  const { users, story } = await setUp(1)
  const storyId = await story('Et langt liv')
  const client = await clientAs(users[0]!)
  const words = ['sommer', 'setra', 'fjorden', 'båten', 'mor', 'far', 'skolen', 'vinter', 'ski', 'kaffe']
  const body: StoryNode = { type: 'doc', content: Array.from({ length: 200 }, (_, p) => ({
    type: 'paragraph', content: [{ type: 'text', text: Array.from({ length: longStoryWords / 200 }, (_, w) => words[(p + w) % 10]).join(' ') }],
  })) }
  const saveStarted = performance.now()
  await mergeAndSaveStory(client, storyId, seedStoryState(body), true)
  const saveTime = performance.now() - saveStarted

  const loads: number[] = []
  let stateBytes = 0
  for (let i = 0; i < 10; i++) {
    const began = performance.now()
    const { data, error } = await client.from('stories').select('document_state, body').eq('id', storyId).single()
    if (error) throw error
    const state = fromByteaHex(data.document_state as string)!
    const doc = new Y.Doc()
    Y.applyUpdate(doc, state)
    storyBodyFromDoc(doc)
    loads.push(performance.now() - began)
    stateBytes = state.length
  }
  return { saveTime, stateBytes, load: { median: quantile(loads, 0.5), p95: quantile(loads, 0.95) } }
}

try {
  const together = await collaborate()
  const long = await longStory()
  const ms = (value: number) => `${value.toFixed(1)} ms`
  console.log(`collaborative editing: ${editorsCount} editors × ${editsEach} edits, one every ${editEveryMs} ms each`)
  console.log(`  edits made in               ${ms(together.editing)}`)
  console.log(`  convergence after last edit ${ms(together.convergence)} (documents identical: ${together.identical})`)
  console.log(`  remote change latency       median ${ms(together.latency.median)}, p95 ${ms(together.latency.p95)}, max ${ms(together.latency.max)} (${together.messages} arrivals; aim p95 < 100 ms)`)
  console.log(`  bytes broadcast per edit    ${together.bytesPerEdit.toFixed(0)} (payload JSON incl. base64, awareness and sync)`)
  console.log(`  saving the merged state     ${ms(together.save)} (${together.stateBytes} bytes of Yjs state)`)
  console.log(`a ${longStoryWords.toLocaleString('en')}-word story`)
  console.log(`  first save                  ${ms(long.saveTime)} (${long.stateBytes} bytes of Yjs state)`)
  console.log(`  load (REST + Yjs + JSON)    median ${ms(long.load.median)}, p95 ${ms(long.load.p95)} (10 loads)`)
}
finally {
  await db.end()
  await stack.stop()
}
