// Removing a staff member ends their access in the same second: their next request
// is refused, and their open live guestbook channel gets nothing more. Checked at
// the websocket, frame by frame, with a bare Phoenix socket for each person.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, type World } from '../access/fixtures.ts'
import { rawSocket, sleep, waitFor } from '../guestbook/support.ts'

let world: World
beforeAll(async () => {
  world = await createWorld('removal')
})

interface Frame { topic: string, event: string, payload: { status?: string, event?: string, payload?: unknown } }
const parse = (frames: string[]) => frames.map(frame => JSON.parse(frame) as Frame)
const joinReply = (frames: string[], ref: string) =>
  parse(frames).find(f => f.event === 'phx_reply' && (f as unknown as { ref: string }).ref === ref)?.payload.status

async function topicFor(actor: 'staff' | 'leader') {
  const { data, error } = await (await world.client(actor))
    .rpc('guestbook_live_topics', { resident_ids: [world.residentId] })
  expect(error).toBeNull()
  return (data as { topic: string }[])[0]?.topic
}

describe('removing a staff member', () => {
  it('refuses their next request and silences their live channel, while the leader carries on', async () => {
    const before = await topicFor('staff')
    expect(before).toBe(`resident:${world.residentId}:guestbook`)
    const staffSocket = await rawSocket(world.users.staff)
    const leaderSocket = await rawSocket(world.users.leader)
    const staffJoin = staffSocket.join(before!, { private: true, broadcast: { self: false } })
    leaderSocket.join(before!, { private: true, broadcast: { self: false } })
    await waitFor(() => joinReply(staffSocket.frames, staffJoin) === 'ok' || undefined, 5_000, 'the staff join')

    const removedAt = Date.now()
    const removed = await (await world.client('leader'))
      .rpc('remove_unit_member', { unit_id: world.unitId, user_id: world.users.staff })
    expect(removed.error).toBeNull()
    const next = await (await world.client('staff')).from('residents').select('id').eq('id', world.residentId)
    expect(next.data).toEqual([])
    const write = await (await world.client('staff')).from('guestbook_posts')
      .insert({ resident_id: world.residentId, kind: 'glimpse', body: 'Etter at jeg sluttet' })
    expect(write.error?.code).toBe('42501')
    expect(Date.now() - removedAt).toBeLessThan(1_000)

    // The old topic's listeners are told to rejoin; the message carries no content.
    const rekey = await waitFor(() => parse(staffSocket.frames)
      .find(f => f.event === 'broadcast' && f.payload.event === 'rekey'), 3_000, 'the rekey message')
    expect(rekey.payload.payload).toMatchObject({ reason: 'access_changed' })

    const after = await topicFor('leader')
    expect(after).not.toBe(before)
    const leaderJoin = leaderSocket.join(after!, { private: true, broadcast: { self: false } })
    await waitFor(() => joinReply(leaderSocket.frames, leaderJoin) === 'ok' || undefined, 5_000, 'the leader join')
    expect(await topicFor('staff')).toBeUndefined()
    const retry = staffSocket.join(after!, { private: true, broadcast: { self: false } })

    const secret = 'Ingrid sang for oss i dag'
    const { data: post } = await (await world.client('leader')).from('guestbook_posts')
      .insert({ resident_id: world.residentId, kind: 'glimpse', body: secret }).select('id').single()
    await waitFor(() => leaderSocket.frames.find(f => f.includes(post!.id)), 3_000, 'the post on the new topic')
    await sleep(500)

    expect(joinReply(staffSocket.frames, retry)).toBe('error')
    expect(staffSocket.frames.filter(f => f.includes(post!.id) || f.includes(secret))).toEqual([])
  })
})
