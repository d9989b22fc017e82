// The live guestbook attacked at the websocket: what a listener receives when a
// moderator removes a post (broadcast_changes sends the old row as well as the
// new), a viewer sending forged changes to everyone on the channel, and a stale
// topic after a rekey.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, type World } from '../access/fixtures'
import { listenToGuestbook, liveClient, sleep, waitFor } from '../guestbook/support'

let world: World

beforeAll(async () => {
  world = await createWorld('Gjestebok live angrep')
})

describe('a post removed by a moderator', { timeout: 30_000 }, () => {
  // Fixed in 20261205150000: private.broadcast_guestbook_change sends an update without its old
  // row, so a removal no longer carries the removed text to every open page.
  it('reaches listeners without its removed text, also not as the old row', async () => {
    const viewer = await listenToGuestbook(await liveClient(world.users.viewer), world.residentId)
    const secret = `Fjernet tekst ${crypto.randomUUID()}`
    const relative = await world.client('relative')
    const { data: post } = await relative.from('guestbook_posts')
      .insert({ resident_id: world.residentId, body: secret }).select('id').single().throwOnError()
    await waitFor(() => viewer.messages.find(m => m.payload.record?.id === post!.id), 5_000, 'the new post')
    const staff = await world.client('staff')
    await staff.from('guestbook_posts').update({ removed_at: new Date().toISOString() }).eq('id', post!.id).throwOnError()
    await waitFor(() => viewer.messages.find(m => m.payload.record?.id === post!.id && m.payload.record?.removed_at),
      5_000, 'the removal')
    const afterRemoval = viewer.messages.filter(m => m.payload.operation === 'UPDATE' && m.payload.record?.id === post!.id)
    expect(JSON.stringify(afterRemoval)).not.toContain(secret)
  })
})

describe('forged broadcasts', { timeout: 30_000 }, () => {
  it('a viewer cannot send a made-up post or removal to everyone on the channel', async () => {
    const staff = await listenToGuestbook(await liveClient(world.users.staff), world.residentId)
    const viewer = await listenToGuestbook(await liveClient(world.users.viewer), world.residentId)
    const forgedId = '00000000-0000-0000-0000-0000000000aa'
    await viewer.channel.send({ type: 'broadcast', event: 'post', payload: { operation: 'INSERT', table: 'guestbook_posts',
      record: { id: forgedId, resident_id: world.residentId, body: '<img src=x onerror=alert(1)> Falsk innlegg',
        created_by: world.users.staff, kind: 'glimpse' }, old_record: null } })
    await sleep(800)
    expect(staff.messages.filter(m => JSON.stringify(m.payload).includes(forgedId))).toEqual([])
  })
})
