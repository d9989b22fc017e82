// Removing someone's access ends their live life story and story editing too
// (20261205125300): checked at the websocket, frame by frame. The removed relative
// hears "rekey" on both old topics and then nothing more; the primary contact
// follows to the new topics and keeps receiving; the removed relative cannot join them.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures.ts'
import { liveClient, rawSocket, sleep, subscribed, waitFor } from '../guestbook/support.ts'

let world: World
let storyId: string
beforeAll(async () => {
  world = await createWorld('live-removal')
  const { rows } = await db(`insert into public.stories (resident_id, title) values ($1, 'Hytta på Hvaler') returning id`,
    [world.residentId])
  storyId = rows[0]!.id
})

interface Frame { topic: string, event: string, ref?: string, payload: { status?: string, event?: string, payload?: unknown } }
const parse = (frames: string[]) => frames.map(frame => JSON.parse(frame) as Frame)
const joinReply = (frames: string[], ref: string) =>
  parse(frames).find(f => f.event === 'phx_reply' && f.ref === ref)?.payload.status
const joined = (socket: { frames: string[] }, ref: string, what: string) =>
  waitFor(() => joinReply(socket.frames, ref) === 'ok' || undefined, 5_000, what)

async function topics(actor: 'relative' | 'primaryContact') {
  const client = await world.client(actor)
  const life = await client.rpc('life_story_live_topic', { resident: world.residentId })
  const story = await client.rpc('story_live_topic', { story: storyId })
  expect(life.error).toBeNull()
  expect(story.error).toBeNull()
  return { life: life.data as string | null, story: story.data as string | null }
}

const channel = { private: true, broadcast: { self: false } }

describe('removing a relative', () => {
  it('silences their open life-story and story channels, while the primary contact carries on', async () => {
    const before = await topics('relative')
    expect(before).toEqual({ life: `resident:${world.residentId}:life-story`, story: `story:${storyId}` })
    const removed = await rawSocket(world.users.relative)
    const staying = await rawSocket(world.users.primaryContact)
    await joined(removed, removed.join(before.life!, channel), 'the relative\'s life-story join')
    await joined(removed, removed.join(before.story!, channel), 'the relative\'s story join')

    await db(`delete from public.resident_members where resident_id = $1 and user_id = $2`,
      [world.residentId, world.users.relative])

    // Both old topics are told to rejoin; the message carries no content.
    for (const topic of [before.life!, before.story!]) {
      const rekey = await waitFor(() => parse(removed.frames).find(f => f.topic === `realtime:${topic}`
        && f.event === 'broadcast' && f.payload.event === 'rekey'), 3_000, `the rekey on ${topic}`)
      expect(rekey.payload.payload).toMatchObject({ reason: 'access_changed' })
    }
    expect(await topics('relative')).toEqual({ life: null, story: null })
    const after = await topics('primaryContact')
    expect(after.life).toMatch(new RegExp(`^resident:${world.residentId}:life-story:[0-9a-f-]{36}$`))
    expect(after.story).toMatch(new RegExp(`^story:${storyId}:[0-9a-f-]{36}$`))
    await joined(staying, staying.join(after.life!, channel), 'the primary contact\'s life-story join')
    await joined(staying, staying.join(after.story!, channel), 'the primary contact\'s story join')
    // The old topics admit nobody any more, and the new ones not the removed relative.
    const stale = staying.join(before.life!, channel)
    const retryLife = removed.join(after.life!, channel)
    const retryStory = removed.join(after.story!, channel)

    // A life-story change goes to the new topic only.
    const { rows } = await db(`insert into public.relations (resident_id, name) values ($1, 'Søster Marit') returning id`,
      [world.residentId])
    const relationId = rows[0]!.id as string
    await waitFor(() => staying.frames.find(f => f.includes(relationId)), 3_000, 'the change on the new topic')

    // An editor's update on the story's new topic reaches the primary contact, not the removed relative.
    const editor = await liveClient(world.users.staff)
    const editing = editor.channel(after.story!, { config: { private: true } })
    await subscribed(editing)
    const marker = 'oppdatering-etter-fjerning'
    await editing.send({ type: 'broadcast', event: 'update', payload: { update: marker } })
    await waitFor(() => staying.frames.find(f => f.includes(marker)), 3_000, 'the story update on the new topic')
    await sleep(500)

    expect(joinReply(staying.frames, stale)).toBe('error')
    expect(joinReply(removed.frames, retryLife)).toBe('error')
    expect(joinReply(removed.frames, retryStory)).toBe('error')
    expect(removed.frames.filter(f => f.includes(relationId) || f.includes(marker))).toEqual([])
    await editor.removeChannel(editing)
  })
})
