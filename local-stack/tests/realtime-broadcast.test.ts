import type { SupabaseClient } from '@supabase/supabase-js'
import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import { Inbox, realtimeClient, serviceRealtimeClient, sleep, subscribed, unique } from './realtime-helpers.ts'
import { sql, stack, userToken } from './support.ts'

type Received = { type: string, event: string, payload: Record<string, unknown>, meta?: Record<string, unknown> }

/** Joins `name` and collects every broadcast of any event. */
async function listen(client: SupabaseClient, name: string,
  config: { self?: boolean, ack?: boolean, private?: boolean } = {}) {
  const inbox = new Inbox<Received>()
  const channel = client.channel(name, {
    config: { broadcast: { self: config.self ?? false, ack: config.ack ?? false }, private: config.private ?? false },
  }).on('broadcast', { event: '*' }, inbox.add as never)
  await subscribed(channel)
  return { channel, inbox }
}

const member = randomUUID()
const outsider = randomUUID()
const room = unique('care_room')
const guestbook = unique('guestbook')

beforeAll(async () => {
  // Members of a room may read and write its private channel; everyone else may not.
  await sql(`create table if not exists public.rt_room_members (
      room text, user_id uuid, can_write boolean not null default true, primary key (room, user_id));
    grant select on public.rt_room_members to authenticated;
    drop policy if exists "Room members can read their room" on realtime.messages;
    create policy "Room members can read their room" on realtime.messages for select to authenticated
      using (exists (select 1 from public.rt_room_members m
        where m.room = realtime.topic() and m.user_id = auth.uid()));
    drop policy if exists "Room members can write to their room" on realtime.messages;
    create policy "Room members can write to their room" on realtime.messages for insert to authenticated
      with check (exists (select 1 from public.rt_room_members m
        where m.room = realtime.topic() and m.user_id = auth.uid() and m.can_write));`)
  await sql('insert into public.rt_room_members values ($1, $2)', [room, member])
  await sql(`create table public.${guestbook} (id bigint generated always as identity primary key, body text);
    create function public.${guestbook}_broadcast() returns trigger language plpgsql security definer
      set search_path = '' as $$
    begin
      perform realtime.broadcast_changes('${guestbook}', tg_op, tg_op, tg_table_name, tg_table_schema, new, old);
      return null;
    end $$;
    create trigger broadcast_changes after insert or update or delete on public.${guestbook}
      for each row execute function public.${guestbook}_broadcast();`)
})

describe('broadcast between clients', () => {
  it('reaches the other clients on the channel, and the sender only with self', async () => {
    const name = unique('cursor')
    const [a, b] = [await realtimeClient(), await realtimeClient()]
    const sender = await listen(a, name)
    const receiver = await listen(b, name)
    const echo = await listen(await realtimeClient(), name, { self: true })

    expect(await sender.channel.send({ type: 'broadcast', event: 'moved', payload: { x: 1 } })).toBe('ok')
    expect(await echo.channel.send({ type: 'broadcast', event: 'moved', payload: { x: 2 } })).toBe('ok')
    await receiver.inbox.wait(2)
    await echo.inbox.wait(2)
    await sleep(200)
    expect(receiver.inbox.items).toEqual([
      { type: 'broadcast', event: 'moved', payload: { x: 1 } },
      { type: 'broadcast', event: 'moved', payload: { x: 2 } },
    ])
    expect(sender.inbox.items.map(m => m.payload)).toEqual([{ x: 2 }])
    expect(echo.inbox.items.map(m => m.payload)).toEqual([{ x: 1 }, { x: 2 }])
  })

  it('carries binary payloads (e.g. Yjs updates) byte for byte', async () => {
    const name = unique('binary')
    const { inbox } = await listen(await realtimeClient(), name)
    const { channel } = await listen(await realtimeClient(), name)
    const update = new Uint8Array([0, 1, 2, 250, 255])
    await channel.send({ type: 'broadcast', event: 'yjs', payload: update.buffer })
    const [message] = await inbox.wait(1)
    expect(message.event).toBe('yjs')
    expect([...new Uint8Array(message.payload as unknown as ArrayBuffer)]).toEqual([...update])
  })

  it('acknowledges a send when the channel asks for ack', async () => {
    const { channel } = await listen(await realtimeClient(), unique('acked'), { ack: true })
    expect(await channel.send({ type: 'broadcast', event: 'ping', payload: {} })).toBe('ok')
  })

  it('keeps public and private channels of the same name apart', async () => {
    const pub = await listen(await realtimeClient(member), room)
    const priv = await listen(await realtimeClient(member), room, { private: true })
    const sender = await listen(await realtimeClient(member), room, { private: true })
    await sender.channel.send({ type: 'broadcast', event: 'note', payload: { n: 1 } })
    await priv.inbox.wait(1)
    await sleep(200)
    expect(pub.inbox.items).toEqual([])
  })
})

describe('the broadcast REST API', () => {
  it.each([
    ['the messages list', async (name: string) => fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { 'apikey': stack.anonKey, 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: name, event: 'visit', payload: { who: 'Kari' } }] }),
    })],
    ['the single-message form', async (name: string) => fetch(
      `${stack.apiUrl}/realtime/v1/api/broadcast/${name}/events/visit`, {
        method: 'POST',
        headers: { 'apikey': stack.anonKey, 'content-type': 'application/json' },
        body: JSON.stringify({ who: 'Kari' }),
      })],
  ])('delivers %s and answers 202', async (_, send) => {
    const name = unique('rest')
    const { inbox } = await listen(await realtimeClient(), name)
    const res = await send(name)
    expect(res.status).toBe(202)
    const [message] = await inbox.wait(1)
    expect(message).toEqual({ type: 'broadcast', event: 'visit', payload: { who: 'Kari' } })
  })

  it('refuses a request without a valid key', async () => {
    const res = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
      method: 'POST',
      headers: { 'apikey': 'not-a-key', 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ topic: 'x', event: 'y', payload: {} }] }),
    })
    expect(res.status).toBe(401)
    expect(await res.json()).toEqual({ error: 'The token provided is not a valid JWT' })
  })

  it('drops a private message from a caller the channel policy does not let write', async () => {
    const { inbox } = await listen(await realtimeClient(member), room, { private: true })
    for (const [sub, note] of [[outsider, 'intruder'], [member, 'member']]) {
      const res = await fetch(`${stack.apiUrl}/realtime/v1/api/broadcast`, {
        method: 'POST',
        headers: { 'apikey': stack.anonKey, 'authorization': `Bearer ${await userToken(sub)}`,
          'content-type': 'application/json' },
        body: JSON.stringify({ messages: [{ topic: room, event: 'note', payload: { note }, private: true }] }),
      })
      expect(res.status).toBe(202)
    }
    await inbox.wait(1)
    await sleep(200)
    expect(inbox.items.map(m => m.payload)).toEqual([{ note: 'member' }])
  })
})

describe('private channels', () => {
  it('refuses to join a user whom the policy on realtime.messages does not let read', async () => {
    const channel = (await realtimeClient(outsider)).channel(room, { config: { private: true } })
    await expect(subscribed(channel)).rejects.toThrow(
      `Unauthorized: You do not have permissions to read from this Channel topic: ${room}`)
  })

  it('refuses anonymous visitors', async () => {
    const channel = (await realtimeClient()).channel(room, { config: { private: true } })
    await expect(subscribed(channel)).rejects.toThrow(/Unauthorized/)
  })

  it('drops broadcasts from a member who may read but not write', async () => {
    const reader = randomUUID()
    await sql(`insert into public.rt_room_members values ($1, $2, false)`, [room, reader])
    const readOnly = await listen(await realtimeClient(reader), room, { private: true, self: true })
    await readOnly.channel.send({ type: 'broadcast', event: 'note', payload: { text: 'should vanish' } })
    await sleep(300)
    expect(readOnly.inbox.items).toEqual([])
  })

  it('refuses presence from a member whom the policy does not let write', async () => {
    const viewer = randomUUID()
    await sql(`insert into public.rt_room_members values ($1, $2, false)`, [room, viewer])
    const { channel } = await listen(await realtimeClient(viewer), room, { private: true })
    expect(await channel.track({ name: 'Viewer' })).toBe('error')
    const { channel: writer } = await listen(await realtimeClient(member), room, { private: true })
    expect(await writer.track({ name: 'Member' })).toBe('ok')
  })

  it('closes the channel when a refreshed token no longer passes the policy', async () => {
    const client = await realtimeClient(member)
    const closed = new Inbox<unknown>()
    const channel = client.channel(room, { config: { private: true } })
    channel.on('system', {}, closed.add)
    await subscribed(channel)
    client.realtime.setAuth(await userToken(outsider))
    const [message] = await closed.wait(1)
    expect(message).toMatchObject({ extension: 'system', status: 'error',
      message: `Unauthorized: You do not have permissions to read from this Channel topic: ${room}` })
  })

  it('lets the service role join any private channel', async () => {
    await expect(subscribed(serviceRealtimeClient().channel(room, { config: { private: true } })))
      .resolves.toBeDefined()
  })
})

describe('broadcast from the database', () => {
  it('realtime.send reaches channels of the topic, with the message id added', async () => {
    const name = unique('send')
    const { inbox } = await listen(await realtimeClient(), name)
    await sql(`select realtime.send('{"text":"hello"}', 'greeting', $1, false)`, [name])
    const [message] = await inbox.wait(1)
    expect(message).toMatchObject({ type: 'broadcast', event: 'greeting', payload: { text: 'hello' } })
    expect(message.payload.id).toMatch(/^[0-9a-f-]{36}$/)
  })

  it('a private realtime.send reaches only members who passed the policy', async () => {
    const priv = await listen(await realtimeClient(member), room, { private: true })
    const pub = await listen(await realtimeClient(), room)
    await sql(`select realtime.send('{"text":"for members"}', 'note', $1)`, [room])
    const [message] = await priv.inbox.wait(1)
    expect(message.payload.text).toBe('for members')
    await sleep(200)
    expect(pub.inbox.items).toEqual([])
  })

  it('realtime.broadcast_changes sends Supabase\'s record/old_record shape from a trigger', async () => {
    // broadcast_changes sends private messages (realtime.send's default), so listen privately.
    const { inbox } = await listen(serviceRealtimeClient(), guestbook, { private: true })
    const { rows } = await sql(`insert into public.${guestbook} (body) values ('Gratulerer!') returning id`)
    const id = Number(rows[0].id)
    await sql(`update public.${guestbook} set body = 'Gratulerer med dagen!' where id = $1`, [id])
    const [insert, update] = await inbox.wait(2)
    expect(insert).toMatchObject({ event: 'INSERT', payload: { operation: 'INSERT', schema: 'public',
      table: guestbook, record: { id, body: 'Gratulerer!' }, old_record: null } })
    expect(update.payload).toMatchObject({ operation: 'UPDATE', record: { body: 'Gratulerer med dagen!' },
      old_record: { body: 'Gratulerer!' } })
  })

  it('replays stored broadcasts of a private channel to a member who joins with replay', async () => {
    const since = Date.now() - 60_000
    // The stack learns of database broadcasts through logical replication, a moment
    // after the commit; a member joining inside that moment would also get 'later'
    // live. A listener that has seen both marks the point where they are history.
    const { inbox: witness } = await listen(serviceRealtimeClient(), room, { private: true })
    await sql(`select realtime.send('{"text":"earlier"}', 'note', $1)`, [room])
    await sql(`select realtime.send('{"text":"later"}', 'note', $1)`, [room])
    await witness.wait(2)
    const inbox = new Inbox<Received>()
    const channel = (await realtimeClient(member)).channel(room, {
      config: { private: true, broadcast: { replay: { since, limit: 2 } } },
    }).on('broadcast', { event: 'note' }, inbox.add as never)
    await subscribed(channel)
    // Limit 2: the two newest stored messages of the topic, oldest first.
    const replayed = await inbox.wait(2)
    expect(replayed.map(m => [m.payload.text, m.meta?.replayed])).toEqual([['earlier', true], ['later', true]])
    expect(replayed.every(m => typeof m.meta?.id === 'string')).toBe(true)
  })

  it('tells a channel that asks for replication_ready that replication is up', async () => {
    const system = new Inbox<Record<string, unknown>>()
    const channel = (await realtimeClient()).channel(unique('ready'), {
      config: { broadcast: { replication_ready: true } },
    }).on('system', {}, system.add)
    await subscribed(channel)
    expect(await system.wait(1)).toEqual([{ extension: 'system', status: 'ok',
      message: 'Replication connection established', channel: channel.subTopic }])
  })

  it('realtime.send only warns when the caller may not write, and sends nothing', async () => {
    const name = unique('refused')
    const { inbox } = await listen(await realtimeClient(), name)
    await sql(`begin; set local role authenticated;
      select set_config('request.jwt.claims', '{"role":"authenticated"}', true);
      select realtime.send('{"x":1}', 'e', '${name}', true); commit;`)
    await sql(`select realtime.send('{"x":2}', 'e', $1, false)`, [name])
    const [only] = await inbox.wait(1)
    await sleep(200)
    expect(inbox.items).toHaveLength(1)
    expect(only.payload.x).toBe(2)
  })
})
