import type { RealtimePresenceJoinPayload, RealtimePresenceLeavePayload } from '@supabase/supabase-js'
import type WebSocket from 'ws'
import { describe, expect, it } from 'vitest'
import { Inbox, realtimeClient, sleep, subscribed, unique } from './realtime-helpers.ts'

type Visitor = { name: string }

/** A channel with presence listeners, collecting joins and leaves. */
async function watchPresence(name: string, key?: string) {
  const client = await realtimeClient()
  const joins = new Inbox<RealtimePresenceJoinPayload<Visitor>>()
  const leaves = new Inbox<RealtimePresenceLeavePayload<Visitor>>()
  const syncs = new Inbox<unknown>()
  const channel = client.channel(name, { config: { presence: { key: key ?? '' } } })
    .on('presence', { event: 'join' }, joins.add as never)
    .on('presence', { event: 'leave' }, leaves.add as never)
    .on('presence', { event: 'sync' }, () => syncs.add(undefined))
  await subscribed(channel)
  return { client, channel, joins, leaves, syncs }
}

describe('presence', () => {
  it('shows who is here: state after join, then joins and leaves', async () => {
    const name = unique('lounge')
    const kari = await watchPresence(name, 'kari')
    expect(await kari.channel.track({ name: 'Kari' })).toBe('ok')
    await kari.joins.wait(1)

    const ola = await watchPresence(name, 'ola')
    await ola.syncs.wait(1)
    expect(ola.channel.presenceState()).toEqual({ kari: [{ name: 'Kari', presence_ref: expect.any(String) }] })

    await ola.channel.track({ name: 'Ola' })
    const [olaJoined] = await kari.joins.wait(2).then(j => j.slice(1))
    expect(olaJoined).toMatchObject({ event: 'join', key: 'ola', newPresences: [{ name: 'Ola' }] })

    await ola.channel.untrack()
    const [olaLeft] = await kari.leaves.wait(1)
    expect(olaLeft).toMatchObject({ event: 'leave', key: 'ola', leftPresences: [{ name: 'Ola' }] })
    expect(Object.keys(kari.channel.presenceState())).toEqual(['kari'])
  })

  it('treats tracking the same payload again as no change', async () => {
    const name = unique('same')
    const watcher = await watchPresence(name)
    const tracker = await watchPresence(name, 'anne')
    await tracker.channel.track({ name: 'Anne' })
    await watcher.joins.wait(1)
    await tracker.channel.track({ name: 'Anne' })
    await sleep(200)
    expect(watcher.joins.items).toHaveLength(1)
    expect(watcher.leaves.items).toHaveLength(0)
  })

  it('updates a changed payload as a join of the new and a leave of the old', async () => {
    const name = unique('status')
    const watcher = await watchPresence(name)
    const tracker = await watchPresence(name, 'per')
    await tracker.channel.track({ name: 'Per' })
    await watcher.joins.wait(1)
    await tracker.channel.track({ name: 'Per (away)' })
    const [, rejoined] = await watcher.joins.wait(2)
    const [left] = await watcher.leaves.wait(1)
    expect(rejoined).toMatchObject({ key: 'per', newPresences: [{ name: 'Per (away)' }] })
    expect(left).toMatchObject({ key: 'per', leftPresences: [{ name: 'Per' }] })
    // presenceState() is not checked here: realtime-js strips phx_ref from the metas it already holds
    // when it reports a join, so it cannot drop the old meta afterwards (it does the same against Supabase).
  })

  it('lets a dropped connection leave within seconds', async () => {
    const name = unique('dropped')
    const watcher = await watchPresence(name)
    const leaver = await watchPresence(name, 'gone')
    await leaver.channel.track({ name: 'Gone' })
    await watcher.joins.wait(1)
    const started = Date.now()
    // Cut the TCP connection without a WebSocket close, as a lost network would.
    const internals = leaver.client.realtime as unknown as { socketAdapter: { socket: { conn: WebSocket } } }
    internals.socketAdapter.socket.conn.terminate()
    const [left] = await watcher.leaves.wait(1, 10_000)
    expect(left.key).toBe('gone')
    expect(Date.now() - started).toBeLessThan(10_000)
    leaver.client.realtime.disconnect()
  })

  it('gives each join its own key when none is configured', async () => {
    const name = unique('anonymous')
    const watcher = await watchPresence(name)
    const a = await watchPresence(name)
    const b = await watchPresence(name)
    await a.channel.track({ name: 'A' })
    await b.channel.track({ name: 'B' })
    await watcher.joins.wait(2)
    const keys = Object.keys(watcher.channel.presenceState())
    expect(keys).toHaveLength(2)
    for (const key of keys) expect(key).toMatch(/^[0-9a-f-]{36}$/)
  })
})
