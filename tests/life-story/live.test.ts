// Life-story changes reach every open page live, deletes included: the database announces
// each change in the resident's private channel (resident:<id>:life-story) with table, id
// and operation only, and only readers of the resident may join that channel.
import type { SupabaseClient } from '@supabase/supabase-js'
import { beforeAll, describe, expect, test } from 'vitest'
import { createWorld, db, one, type World } from '../access/fixtures'
import { liveClient, sleep, waitFor } from '../guestbook/support'

interface Announcement { table: string, id: string, operation: string }

let world: World

beforeAll(async () => {
  world = await createWorld('Livshistorie live')
})

const topic = (residentId: string) => `resident:${residentId}:life-story`

/** Joins the resident's life-story channel as the client; records every announcement. */
async function listen(client: SupabaseClient, residentId: string) {
  const heard: Announcement[] = []
  await client.realtime.setAuth()
  const channel = client.channel(topic(residentId), { config: { private: true } })
    .on('broadcast', { event: 'change' }, ({ payload }) => heard.push(payload as Announcement))
  const status = await new Promise<string>((resolve) => {
    channel.subscribe((state) => {
      if (state !== 'CLOSED') resolve(state)
    })
  })
  return { heard, status }
}

describe('the live life story', { timeout: 30_000 }, () => {
  test.each(['relations', 'life_events', 'interests', 'everyday_wishes'])(
    'staff hear an insert, an update and a delete of %s, with no content in the message', async (table) => {
      const staff = await listen(await liveClient(world.users.staff), world.residentId)
      expect(staff.status).toBe('SUBSCRIBED')
      const column = table === 'relations' ? 'name' : 'title'
      const author = await world.client('relative')
      const { data, error } = await author.from(table).insert({ resident_id: world.residentId, [column]: 'Søndagstur til Mjøsa' })
        .select('id').single()
      expect(error).toBeNull()
      const id = data!.id as string
      await author.from(table).update({ [column]: 'Søndagstur til Mjøsa med kaffe' }).eq('id', id)
      const deleted = await author.from(table).delete().eq('id', id).select('id')
      expect(deleted.data).toEqual([{ id }])

      const operations = () => staff.heard.filter(a => a.id === id).map(a => a.operation)
      await waitFor(() => operations().length === 3 ? true : undefined, 5_000, 'three announcements')
      expect(operations()).toEqual(['INSERT', 'UPDATE', 'DELETE'])
      for (const announcement of staff.heard.filter(a => a.id === id)) {
        expect(Object.keys(announcement).sort()).toEqual(['id', 'operation', 'table'])
        expect(announcement.table).toBe(table)
      }
    })

  test('a delete is delivered to a viewer too, who can then no longer read the row', async () => {
    const client = await liveClient(world.users.viewer)
    const viewer = await listen(client, world.residentId)
    const row = await one<{ id: string }>(`insert into public.interests (resident_id, title, created_by)
      values ($1, 'Hardingfele', $2) returning id`, [world.residentId, world.authorId])
    expect((await client.from('interests').select('id').eq('id', row!.id)).data).toEqual([{ id: row!.id }])
    await db(`delete from public.interests where id = $1`, [row!.id])
    const heard = await waitFor(() => viewer.heard.find(a => a.id === row!.id && a.operation === 'DELETE'), 5_000, 'the delete')
    expect(heard).toEqual({ table: 'interests', id: row!.id, operation: 'DELETE' })
    expect((await client.from('interests').select('id').eq('id', row!.id)).data).toEqual([])
  })

  test('someone without access to the resident is refused the channel and hears nothing', async () => {
    const stranger = await listen(await liveClient(world.users.otherRelative), world.residentId)
    expect(stranger.status).not.toBe('SUBSCRIBED')
    await db(`insert into public.interests (resident_id, title, created_by) values ($1, 'Skihopp', $2)`,
      [world.residentId, world.authorId])
    await sleep(800)
    expect(stranger.heard).toEqual([])
  })

  test('a relative of another resident hears nothing of this one\'s changes in their own channel', async () => {
    const other = await listen(await liveClient(world.users.otherRelative), world.otherResidentId)
    expect(other.status).toBe('SUBSCRIBED')
    await db(`insert into public.relations (resident_id, name, created_by) values ($1, 'Kari', $2)`,
      [world.residentId, world.authorId])
    await sleep(800)
    expect(other.heard).toEqual([])
  })
})
