// The story's editing channel "story:<id>", checked at the websocket with supabase-js:
// everyone who may read the story may follow it, only those who may edit it may send.
import type { SupabaseClient } from '@supabase/supabase-js'
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures.ts'
import { liveClient, sleep, subscribed, waitFor } from '../guestbook/support.ts'
import { createStory } from './support.ts'

let world: World
let storyId: string
const clients: Partial<Record<string, SupabaseClient>> = {}

beforeAll(async () => {
  world = await createWorld('Kanal')
  storyId = await createStory(world.residentId, world.authorId)
  for (const actor of ['relative', 'staff', 'viewer', 'otherRelative', 'termsNotAccepted'] as const) {
    clients[actor] = await liveClient(world.users[actor])
  }
})

function join(client: SupabaseClient, topic = `story:${storyId}`) {
  // A presence listener makes realtime-js ask for presence when joining.
  return client.channel(topic, { config: { private: true, broadcast: { self: false } } })
    .on('presence', { event: 'sync' }, () => {})
}

describe('joining a story\'s editing channel', () => {
  it.each(['relative', 'staff', 'viewer'])('is allowed to %s, who may read the story', async (actor) => {
    const channel = await subscribed(join(clients[actor]!))
    expect(channel.state).toBe('joined')
    await clients[actor]!.removeChannel(channel)
  })

  it.each([
    ['a relative of another resident', 'otherRelative'],
    ['someone who has not accepted the terms', 'termsNotAccepted'],
  ])('is refused to %s', async (_, actor) => {
    await expect(subscribed(join(clients[actor]!))).rejects.toThrow(
      `Unauthorized: You do not have permissions to read from this Channel topic: story:${storyId}`)
  })

  it('is refused for a hidden story to a relative who did not write it', async () => {
    const hidden = await createStory(world.residentId, world.authorId, 'Skjult')
    await db('update public.stories set hidden = true where id = $1', [hidden])
    await expect(subscribed(join(clients.relative!, `story:${hidden}`))).rejects.toThrow('Unauthorized')
  })
})

describe('sending on the editing channel', () => {
  it('reaches the others when an editor sends, and is dropped when a viewer sends', async () => {
    const heard: string[] = []
    const listener = await subscribed(join(clients.staff!).on('broadcast', { event: 'update' }, ({ payload }) => {
      heard.push(String(payload.from))
    }))
    const editor = await subscribed(join(clients.relative!))
    const viewer = await subscribed(join(clients.viewer!))

    await viewer.send({ type: 'broadcast', event: 'update', payload: { from: 'viewer' } })
    await editor.send({ type: 'broadcast', event: 'update', payload: { from: 'relative' } })
    await waitFor(() => heard.includes('relative') || undefined, 3_000, 'the relative\'s update')
    await sleep(300)
    expect(heard).toEqual(['relative'])
    for (const [actor, channel] of [['staff', listener], ['relative', editor], ['viewer', viewer]] as const) {
      await clients[actor]!.removeChannel(channel)
    }
  })

  it('lets an editor be present, and refuses presence to a viewer', async () => {
    const editor = await subscribed(join(clients.relative!))
    const viewer = await subscribed(join(clients.viewer!))
    expect(await editor.track({ clientId: 1 })).toBe('ok')
    expect(await viewer.track({ clientId: 2 })).not.toBe('ok')
    await clients.relative!.removeChannel(editor)
    await clients.viewer!.removeChannel(viewer)
  })
})
