import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { signJwt } from '../src/jwt.ts'
import { Inbox, realtimeClient, sleep, subscribed, unique } from './realtime-helpers.ts'
import { sql, stack, userToken } from './support.ts'

const socketUrl = stack.apiUrl.replace('http', 'ws') + '/realtime/v1/websocket'

/** The HTTP answer to a refused WebSocket upgrade. */
function refusal(url: string) {
  return new Promise<{ status: number, body: unknown }>((resolve, reject) => {
    const ws = new WebSocket(url)
    ws.on('unexpected-response', (_req, res) => {
      let text = ''
      res.on('data', (chunk: Buffer) => text += chunk)
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) }))
    })
    ws.on('open', () => reject(new Error('the upgrade was accepted')))
  })
}

/** A raw Phoenix client: sends frames and collects decoded replies. */
async function rawSocket(vsn: '1.0.0' | '2.0.0', key = stack.anonKey) {
  const ws = new WebSocket(`${socketUrl}?apikey=${key}&vsn=${vsn}`)
  const inbox = new Inbox<unknown>()
  ws.on('message', (data: Buffer, isBinary) => inbox.add(isBinary ? data : JSON.parse(data.toString())))
  await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject))
  return { ws, inbox, send: (frame: unknown) => ws.send(JSON.stringify(frame)) }
}

describe('the WebSocket upgrade', () => {
  const inAMinute = () => Math.floor(Date.now() / 1000) + 60
  it.each([
    ['no key', async () => '', 'API key is missing'],
    ['a key that is not a JWT', async () => 'apikey=nonsense', 'The token provided is not a valid JWT'],
    ['a token signed with another secret', async () => `apikey=${await signJwt('another secret of enough length!!',
      { role: 'anon', exp: inAMinute() })}`, 'The token provided is not a valid JWT'],
    ['an expired token', async () => `apikey=${await userToken(randomUUID(), { exp: inAMinute() - 240 })}`,
      'Token has expired'],
    ['a token without exp', async () => `apikey=${await signJwt(stack.jwtSecret, { role: 'anon' })}`,
      'Fields `role` and `exp` are required in JWT'],
  ])('refuses %s with 401 and a JSON reason', async (_, query, message) => {
    expect(await refusal(`${socketUrl}?${await query()}&vsn=2.0.0`)).toEqual({ status: 401, body: { error: message } })
  })

  it('accepts the publishable key in place of the anon JWT', async () => {
    const { ws, inbox, send } = await rawSocket('2.0.0', stack.publishableKey)
    send([null, '1', 'phoenix', 'heartbeat', {}])
    expect(await inbox.wait(1)).toEqual([[null, '1', 'phoenix', 'phx_reply', { status: 'ok', response: {} }]])
    ws.close()
  })
})

describe('the Phoenix protocol', () => {
  it('speaks vsn 1.0.0 JSON objects: heartbeat, join with bindings echoed in order, leave and close', async () => {
    const { ws, inbox, send } = await rawSocket('1.0.0')
    send({ topic: 'phoenix', event: 'heartbeat', payload: {}, ref: '1', join_ref: null })
    const bindings = [
      { event: 'INSERT', schema: 'public', table: 'a' },
      { event: '*', schema: 'public', table: 'b', filter: 'id=eq.1' },
    ]
    send({ topic: 'realtime:v1', event: 'phx_join', ref: '2', join_ref: '2',
      payload: { config: { broadcast: {}, presence: {}, postgres_changes: bindings, private: false } } })
    const [heartbeat, joined, system] = await inbox.wait(3) as Record<string, any>[]
    expect(heartbeat).toEqual({ topic: 'phoenix', event: 'phx_reply', ref: '1', join_ref: null,
      payload: { status: 'ok', response: {} } })
    expect(joined).toMatchObject({ topic: 'realtime:v1', event: 'phx_reply', ref: '2', payload: { status: 'ok' } })
    const echoed = joined.payload.response.postgres_changes
    expect(echoed.map(({ id: _, ...params }: { id: number }) => params)).toEqual(bindings)
    expect(echoed.every((b: { id: unknown }) => Number.isInteger(b.id))).toBe(true)
    expect(system).toMatchObject({ event: 'system', payload: { extension: 'postgres_changes', status: 'ok',
      message: 'Subscribed to PostgreSQL', channel: 'v1' } })

    send({ topic: 'realtime:v1', event: 'phx_leave', ref: '3', join_ref: '2', payload: {} })
    const [, , , left, closed] = await inbox.wait(5) as Record<string, any>[]
    expect(left).toMatchObject({ event: 'phx_reply', ref: '3', payload: { status: 'ok' } })
    expect(closed).toMatchObject({ event: 'phx_close', join_ref: '2' })
    ws.close()
  })

  it('answers a join to a private channel the user may not read with Supabase\'s error', async () => {
    const { ws, inbox, send } = await rawSocket('2.0.0')
    send(['1', '1', 'realtime:locked', 'phx_join', { config: { private: true }, access_token: stack.anonKey }])
    expect(await inbox.wait(1)).toEqual([['1', '1', 'realtime:locked', 'phx_reply', { status: 'error',
      response: { reason: 'Unauthorized: You do not have permissions to read from this Channel topic: locked' } }]])
    ws.close()
  })

  it.each([
    ['an expired access token', async () => ({ access_token: await userToken(randomUUID(),
      { exp: Math.floor(Date.now() / 1000) - 120 }) }), /^InvalidJWTToken: Token has expired$/],
    ['a malformed filter', async () => ({ config: { postgres_changes: [{ event: '*', schema: 'public',
      table: 't', filter: 'id=like' }] } }), /^Error parsing `filter` params/],
    ['a topic without a name', async () => ({}), /realtime:<name>/],
  ])('refuses a join with %s', async (label, payload, reason) => {
    const { ws, inbox, send } = await rawSocket('2.0.0')
    const topic = label.includes('topic') ? 'realtime:' : 'realtime:x'
    send(['1', '1', topic, 'phx_join', await payload()])
    const [[, , , event, body]] = await inbox.wait(1) as [unknown, unknown, unknown, string, any][]
    expect(event).toBe('phx_reply')
    expect(body.status).toBe('error')
    expect(body.response.reason).toMatch(reason)
    ws.close()
  })

  it('relays a binary broadcast (kind 3) to vsn 2.0.0 clients as kind 4 and to vsn 1.0.0 clients as JSON', async () => {
    const name = unique('mixed')
    const v1 = await rawSocket('1.0.0')
    v1.send({ topic: `realtime:${name}`, event: 'phx_join', ref: '1', join_ref: '1', payload: { config: {} } })
    await v1.inbox.wait(1)
    const listener = new Inbox<unknown>()
    const channel = (await realtimeClient()).channel(name).on('broadcast', { event: 'wave' }, listener.add)
    await subscribed(channel)
    const sender = (await realtimeClient()).channel(name)
    await subscribed(sender)
    await sender.send({ type: 'broadcast', event: 'wave', payload: { hand: 'left' } })

    expect(await listener.wait(1)).toEqual([{ type: 'broadcast', event: 'wave', payload: { hand: 'left' } }])
    const [, relayed] = await v1.inbox.wait(2)
    expect(relayed).toEqual({ topic: `realtime:${name}`, event: 'broadcast', ref: null, join_ref: null,
      payload: { type: 'broadcast', event: 'wave', payload: { hand: 'left' } } })
    v1.ws.close()
  })

  it('answers a push to a topic the socket never joined with an error', async () => {
    const { ws, inbox, send } = await rawSocket('2.0.0')
    send(['9', '9', 'realtime:nowhere', 'presence', { type: 'presence', event: 'track', payload: {} }])
    expect(await inbox.wait(1)).toEqual([['9', '9', 'realtime:nowhere', 'phx_reply',
      { status: 'error', response: { reason: 'unmatched topic' } }]])
    ws.close()
  })
})

describe('token refresh', () => {
  it('keeps a public channel joined and applies the new claims to postgres_changes', async () => {
    const table = unique('rt_refresh')
    const before = randomUUID()
    const after = randomUUID()
    await sql(`create table public.${table} (id bigint generated always as identity primary key, owner uuid);
      alter table public.${table} enable row level security;
      create policy "Owners can read" on public.${table} for select to authenticated using (owner = auth.uid());
      alter publication supabase_realtime add table public.${table};`)
    const client = await realtimeClient(before)
    const inbox = new Inbox<{ new: { owner: string } }>()
    await subscribed(client.channel(unique('refresh')).on('postgres_changes' as never,
      { event: 'INSERT', schema: 'public', table } as never, inbox.add as never))
    await client.realtime.setAuth(await userToken(after))
    // The refresh is a push on the same socket, so it is handled before anything committed after it.
    await new Promise(resolve => setTimeout(resolve, 100))
    await sql(`insert into public.${table} (owner) values ($1), ($2)`, [before, after])
    const [only] = await inbox.wait(1)
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(inbox.items).toHaveLength(1)
    expect(only.new.owner).toBe(after)
  })

  it('closes a channel with a system error when the refreshed token has expired', async () => {
    const client = await realtimeClient(randomUUID())
    const system = new Inbox<Record<string, unknown>>()
    const channel = client.channel(unique('expiring')).on('system', {}, system.add)
    await subscribed(channel)
    await client.realtime.setAuth(await userToken(randomUUID(), { exp: Math.floor(Date.now() / 1000) - 120 }))
    const [message] = await system.wait(1)
    expect(message).toMatchObject({ extension: 'system', status: 'error', message: 'Token refresh failed: Token has expired' })
    await sleep(100)
    expect(channel.state).toBe('closed')
  })
})
