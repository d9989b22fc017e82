// The live guestbook through supabase-js on the local stack: what one person does
// reaches the others on the resident's private channel within a second, and
// nobody outside the resident's circle receives a byte of it.
import type { SupabaseClient } from '@supabase/supabase-js'
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures.ts'
import { dropConnection, guestbookTopic, listenToGuestbook, liveClient, rawSocket, sleep, subscribed,
  waitFor, type LiveMessage } from './support.ts'

let world: World
let staff: SupabaseClient
let relative: SupabaseClient
let viewer: SupabaseClient

beforeAll(async () => {
  world = await createWorld('Live')
  ;[staff, relative, viewer] = await Promise.all(
    [world.users.staff, world.users.relative, world.users.viewer].map(liveClient))
})

/** Waits until a listener has the message for this row and event, and says how long it took. */
function arrival(messages: LiveMessage[], event: string, operation: string, match: (r: Record<string, unknown>) => boolean) {
  return waitFor(() => messages.find(m => m.event === event && m.payload.operation === operation
    && match(m.payload.record ?? m.payload.old_record ?? {})), 1_000, `${event} ${operation}`)
}

describe('the live guestbook channel', () => {
  it('carries a post, an edit, a removal, a comment and a heart to the others within a second', async () => {
    const [forRelative, forViewer] = await Promise.all(
      [relative, viewer].map(client => listenToGuestbook(client, world.residentId)))
    const listeners = [forRelative.messages, forViewer.messages]

    let started = Date.now()
    const { data: post, error } = await staff.from('guestbook_posts')
      .insert({ resident_id: world.residentId, kind: 'glimpse', body: 'Vi bakte vafler i dag 🧇' })
      .select().single()
    expect(error).toBeNull()
    for (const messages of listeners) {
      const message = await arrival(messages, 'post', 'INSERT', r => r.id === post.id)
      expect(message.payload.record).toMatchObject({ body: 'Vi bakte vafler i dag 🧇', kind: 'glimpse',
        resident_id: world.residentId, created_by: world.users.staff })
      expect(message.at - started).toBeLessThan(1_000)
    }

    started = Date.now()
    await staff.from('guestbook_posts').update({ body: 'Vi bakte vafler, og hun sang med.' }).eq('id', post.id)
      .throwOnError()
    for (const messages of listeners) {
      const message = await arrival(messages, 'post', 'UPDATE', r => r.id === post.id && r.edited_at !== null)
      expect(message.payload.record?.body).toBe('Vi bakte vafler, og hun sang med.')
      expect(message.at - started).toBeLessThan(1_000)
    }

    started = Date.now()
    await relative.from('guestbook_comments')
      .insert({ post_id: post.id, resident_id: world.residentId, body: 'Så fint å høre!' }).throwOnError()
    await viewer.from('guestbook_hearts').insert({ post_id: post.id, resident_id: world.residentId }).throwOnError()
    const comment = await arrival(forViewer.messages, 'comment', 'INSERT', r => r.post_id === post.id)
    expect(comment.payload.record).toMatchObject({ body: 'Så fint å høre!', created_by: world.users.relative })
    const heart = await arrival(forRelative.messages, 'heart', 'INSERT', r => r.post_id === post.id)
    expect(heart.payload.record).toMatchObject({ created_by: world.users.viewer })
    expect(Math.max(comment.at, heart.at) - started).toBeLessThan(1_000)

    started = Date.now()
    await (await world.client('primaryContact')).from('guestbook_posts')
      .update({ removed_at: new Date().toISOString() }).eq('id', post.id).throwOnError()
    for (const messages of listeners) {
      const message = await arrival(messages, 'post', 'UPDATE', r => r.id === post.id && r.removed_at !== null)
      expect(message.payload.record).toMatchObject({ body: '', removed_by: world.users.primaryContact })
      expect(message.at - started).toBeLessThan(1_000)
    }
  })

  it('sends each change once, also after the socket dropped and the client rejoined', async () => {
    const client = await liveClient(world.users.relative)
    const listener = await listenToGuestbook(client, world.residentId)
    const rejoined = waitFor(() => listener.joins > 1 || undefined, 8_000, 'the rejoin')
    dropConnection(client)
    await rejoined

    const { data: post } = await staff.from('guestbook_posts')
      .insert({ resident_id: world.residentId, body: 'Etter gjenoppkobling' }).select('id').single()
    await arrival(listener.messages, 'post', 'INSERT', r => r.id === post!.id)
    await sleep(300)
    expect(listener.messages.filter(m => m.payload.record?.id === post!.id)).toHaveLength(1)
  })

  it('refuses a relative of another resident at the join', async () => {
    const outsider = await liveClient(world.users.otherRelative)
    const channel = outsider.channel(guestbookTopic(world.residentId), { config: { private: true } })
    await expect(subscribed(channel)).rejects.toThrow(
      `Unauthorized: You do not have permissions to read from this Channel topic: ${guestbookTopic(world.residentId)}`)
  })

  it.each([
    ['otherRelative'], ['otherUnitStaff'], ['formerStaff'], ['termsNotAccepted'],
  ] as const)('sends %s not one frame about the resident, whatever they join', async (actor) => {
    const socket = await rawSocket(world.users[actor])
    socket.join(guestbookTopic(world.residentId), { private: true, broadcast: { self: false } })
    socket.join(guestbookTopic(world.otherResidentId), { private: true, broadcast: { self: false } })
    socket.join(`spy_${actor}`, { private: false, postgres_changes: [
      { event: '*', schema: 'public', table: 'guestbook_posts' },
      { event: '*', schema: 'public', table: 'guestbook_comments' },
    ] })
    await sleep(300)

    const secret = `Hemmelig hilsen til ${actor}`
    const { data: post } = await staff.from('guestbook_posts')
      .insert({ resident_id: world.residentId, body: secret }).select('id').single()
    await staff.from('guestbook_comments')
      .insert({ post_id: post!.id, resident_id: world.residentId, body: `${secret} (kommentar)` }).throwOnError()
    await sleep(600)

    const joined = socket.frames.map(f => JSON.parse(f) as { topic: string, event: string, payload: { status?: string } })
      .filter(f => f.event === 'phx_reply' && f.topic === `realtime:${guestbookTopic(world.residentId)}`)
    expect(joined.map(f => f.payload.status)).toEqual(['error'])
    expect(socket.frames.filter(f => f.includes(post!.id) || f.includes(secret))).toEqual([])
  })
})

describe('removal', () => {
  it('takes the text out of the table for everyone, and a moderator can restore it', async () => {
    const { data: post } = await relative.from('guestbook_posts')
      .insert({ resident_id: world.residentId, body: 'Dette hører ikke hjemme her' }).select('id').single()
    await staff.from('guestbook_posts').update({ removed_at: new Date().toISOString() }).eq('id', post!.id)
      .throwOnError()

    for (const client of [relative, staff, viewer]) {
      const { data } = await client.from('guestbook_posts').select('body, removed_by').eq('id', post!.id).single()
      expect(data).toEqual({ body: '', removed_by: world.users.staff })
    }
    const { rows } = await db(`select body from private.guestbook_removed_texts where row_id = $1`, [post!.id])
    expect(rows).toEqual([{ body: 'Dette hører ikke hjemme her' }])

    await staff.from('guestbook_posts').update({ removed_at: null }).eq('id', post!.id).throwOnError()
    const { data } = await viewer.from('guestbook_posts').select('body, removed_by').eq('id', post!.id).single()
    expect(data).toEqual({ body: 'Dette hører ikke hjemme her', removed_by: null })
  })

  it.each([
    ['a relative, on staff\'s post', 'relative', 'staff', null],
    ['a viewer, on staff\'s post', 'viewer', 'staff', null],
    ['a relative, on their own post', 'relative', 'relative',
      'Only the author can edit this; staff and the primary contact can only remove it.'],
  ] as const)('is refused to %s and changes nothing', async (_, remover, author, message) => {
    const { data: post } = await (await world.client(author)).from('guestbook_posts')
      .insert({ resident_id: world.residentId, body: 'Trim i stua' }).select('id').single()
    const { data, error } = await (await world.client(remover)).from('guestbook_posts')
      .update({ removed_at: new Date().toISOString() }).eq('id', post!.id).select()
    expect(error?.message ?? null).toBe(message)
    if (!message) expect(data).toEqual([])
    const { rows } = await db(`select body, removed_at from public.guestbook_posts where id = $1`, [post!.id])
    expect(rows).toEqual([{ body: 'Trim i stua', removed_at: null }])
  })
})
