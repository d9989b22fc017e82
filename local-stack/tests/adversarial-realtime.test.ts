import { randomUUID } from 'node:crypto'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { signJwt } from '../src/jwt.ts'
import { sleep, unique } from './realtime-helpers.ts'
import { sql, stack, userToken } from './support.ts'

// Attacks on Realtime with a raw Phoenix client: forged tokens at the upgrade
// and mid-channel, junk frames, private channels without permission, other
// users' rows, dropped sockets and crowds. The stack must answer in protocol
// and keep serving everyone else.
const alice = randomUUID()
const bob = randomUUID()
const table = 'adversarial_live_notes'
const wsUrl = `${stack.apiUrl.replace('http', 'ws')}/realtime/v1/websocket`

interface Frame { topic: string, event: string, ref: string | null, payload: Record<string, unknown> }

/** A raw vsn 1.0.0 Phoenix socket that records every frame it gets. */
class RawSocket {
  frames: Frame[] = []
  closeCode?: number
  private constructor(readonly ws: WebSocket) {
    ws.on('message', data => this.frames.push(JSON.parse(data.toString()) as Frame))
    ws.on('close', (code) => {
      this.closeCode = code
    })
  }

  static open(key = stack.anonKey) {
    return new Promise<RawSocket>((resolve, reject) => {
      const ws = new WebSocket(`${wsUrl}?apikey=${key}&vsn=1.0.0`)
      ws.once('open', () => resolve(new RawSocket(ws)))
      ws.once('unexpected-response', (_request, response) => {
        let body = ''
        response.on('data', (chunk: Buffer) => body += chunk)
        response.on('end', () => reject(Object.assign(new Error(body), { status: response.statusCode })))
      })
      ws.once('error', reject)
    })
  }

  send(topic: string, event: string, payload: unknown, ref = randomUUID()) {
    this.ws.send(JSON.stringify({ topic, event, payload, ref, join_ref: ref }))
    return ref
  }

  /** The first frame matching `test`, waiting up to `timeout` ms. */
  async next(test: (frame: Frame) => boolean, timeout = 5_000) {
    const deadline = Date.now() + timeout
    while (Date.now() < deadline) {
      const frame = this.frames.find(test)
      if (frame) return frame
      await sleep(20)
    }
    throw new Error(`no matching frame within ${timeout} ms; got ${JSON.stringify(this.frames).slice(0, 500)}`)
  }

  reply(ref: string) {
    return this.next(frame => frame.event === 'phx_reply' && frame.ref === ref)
  }

  async join(topic: string, config: Record<string, unknown>, token?: string) {
    const ref = this.send(`realtime:${topic}`, 'phx_join', { config, ...(token ? { access_token: token } : {}) })
    return (await this.reply(ref)).payload as { status: string, response: Record<string, unknown> }
  }

  changes() {
    return this.frames.filter(frame => frame.event === 'postgres_changes')
      .map(frame => ((frame.payload.data as { record: { body: string } }).record.body))
  }
}

beforeAll(async () => {
  await sql(`
    drop table if exists ${table} cascade;
    create table ${table} (id int generated always as identity primary key, owner uuid not null, body text);
    alter table ${table} enable row level security;
    create policy "Own live notes" on ${table} for select to authenticated using (owner = auth.uid());
    grant select on ${table} to authenticated;
    alter publication supabase_realtime add table ${table};
  `)
})

describe('tokens at the upgrade', () => {
  const now = () => Math.floor(Date.now() / 1000)
  it.each([
    ['no key', async () => '', 401],
    ['a key that is not a JWT', async () => 'abc', 401],
    ['a key signed with another secret', () => signJwt('another-secret-another-secret-another', { role: 'anon', exp: now() + 60 }), 401],
    ['an expired key', () => signJwt(stack.jwtSecret, { role: 'anon', exp: now() - 100 }), 401],
    ['a key for the role postgres', () => signJwt(stack.jwtSecret, { role: 'postgres', exp: now() + 60 }), 403],
  ])('%s is refused with a JSON reason', async (_name, key, status) => {
    const failure = await RawSocket.open(await key()).then(() => undefined, (error: Error & { status: number }) => error)
    expect(failure?.status).toBe(status)
    expect(JSON.parse(failure!.message)).toHaveProperty('error')
  })
})

describe('junk on an open socket', () => {
  it('frames that are not messages are ignored and the socket keeps answering', async () => {
    const socket = await RawSocket.open()
    for (const junk of ['not json', '[1,2', '{"topic":5}', 'null']) socket.ws.send(junk)
    socket.ws.send(Buffer.from([1, 2, 3, 255, 0]), { binary: true })
    const unjoined = socket.send('realtime:nobody-joined', 'broadcast', { type: 'broadcast', event: 'e', payload: {} })
    expect((await socket.reply(unjoined)).payload).toMatchObject({ status: 'error', response: { reason: 'unmatched topic' } })
    const heartbeat = socket.send('phoenix', 'heartbeat', {})
    expect((await socket.reply(heartbeat)).payload).toMatchObject({ status: 'ok' })
    socket.ws.close()
  })

  it('a frame over the size limit closes only that socket', async () => {
    const [big, bystander] = await Promise.all([RawSocket.open(), RawSocket.open()])
    big.ws.send('x'.repeat(4 * 1024 * 1024))
    for (let waited = 0; big.closeCode === undefined && waited < 5_000; waited += 20) await sleep(20)
    // 1009 when the close frame arrives; 1006 when the server cuts the socket while the client still sends.
    expect([1006, 1009]).toContain(big.closeCode)
    expect((await bystander.reply(bystander.send('phoenix', 'heartbeat', {}))).payload).toMatchObject({ status: 'ok' })
    bystander.ws.close()
  })

  it('a join with a filter full of SQL, or an unknown event, is refused', async () => {
    const socket = await RawSocket.open(await userToken(alice))
    const reply = await socket.join(unique('junk'), { postgres_changes: [
      { event: 'INSERT', schema: 'public', table, filter: 'id=eq.1) or (true' },
      { event: 'BOGUS', schema: 'pg_catalog', table: 'pg_authid' },
    ] })
    expect(reply.status).toBe('error')
    socket.ws.close()
  })
})

describe('what a user may not see', () => {
  it('a private channel without a policy that lets the user read refuses the join', async () => {
    const topic = unique('adversarial-private')
    const socket = await RawSocket.open(await userToken(alice))
    const reply = await socket.join(topic, { private: true }, await userToken(alice))
    expect(reply).toEqual({ status: 'error', response: {
      reason: `Unauthorized: You do not have permissions to read from this Channel topic: ${topic}` } })
    socket.ws.close()
  })

  it('postgres_changes carry only the subscriber\'s own rows, even with a filter aimed at others', async () => {
    const token = await userToken(alice)
    const socket = await RawSocket.open(token)
    expect((await socket.join(unique('mine'), { postgres_changes: [
      { event: '*', schema: 'public', table },
      { event: '*', schema: 'public', table, filter: `owner=eq.${bob}` },
    ] }, token)).status).toBe('ok')
    await sql(`insert into ${table} (owner, body) values ($1, 'bob''s'), ($2, 'alice''s')`, [bob, alice])
    await sql(`update ${table} set body = body || '!'`)
    await socket.next(frame => frame.event === 'postgres_changes'
      && (frame.payload.data as { type: string }).type === 'UPDATE')
    await sleep(300)
    expect(socket.changes()).toEqual(['alice\'s', 'alice\'s!'])
    socket.ws.close()
  })

  it('a forged access_token mid-channel closes the channel; nothing follows', async () => {
    const token = await userToken(alice)
    const socket = await RawSocket.open(token)
    const topic = `realtime:${unique('forged')}`
    expect((await socket.join(topic.slice('realtime:'.length),
      { postgres_changes: [{ event: 'INSERT', schema: 'public', table }] }, token)).status).toBe('ok')
    const forged = (await userToken(bob)).replace(/\.[^.]+$/, '.AAAA')
    socket.send(topic, 'access_token', { access_token: forged })
    await socket.next(frame => frame.topic === topic && frame.event === 'phx_close')
    await sql(`insert into ${table} (owner, body) values ($1, 'after forgery')`, [alice])
    await sleep(500)
    expect(socket.changes()).toEqual([])
    socket.ws.close()
  })

  it('after leaving, sends are refused and changes stop', async () => {
    const token = await userToken(alice)
    const socket = await RawSocket.open(token)
    const topic = `realtime:${unique('left')}`
    await socket.join(topic.slice('realtime:'.length), { postgres_changes: [{ event: 'INSERT', schema: 'public', table }] }, token)
    expect((await socket.reply(socket.send(topic, 'phx_leave', {}))).payload).toMatchObject({ status: 'ok' })
    const late = socket.send(topic, 'broadcast', { type: 'broadcast', event: 'e', payload: {} })
    expect((await socket.reply(late)).payload).toMatchObject({ status: 'error', response: { reason: 'unmatched topic' } })
    await sql(`insert into ${table} (owner, body) values ($1, 'after leave')`, [alice])
    await sleep(500)
    expect(socket.changes()).toEqual([])
    socket.ws.close()
  })
})

describe('dropped clients and crowds', () => {
  it.each([
    ['closes', (ws: WebSocket) => ws.close()],
    ['is terminated', (ws: WebSocket) => ws.terminate()],
    ['loses its TCP connection', (ws: WebSocket) => (ws as unknown as { _socket: { destroy(): void } })._socket.destroy()],
  ])('a tracked client that %s leaves presence within seconds', async (_name, drop) => {
    const topic = unique('presence')
    const [leaver, watcher] = await Promise.all([RawSocket.open(), RawSocket.open()])
    await leaver.join(topic, { presence: { key: 'leaver', enabled: true } })
    await watcher.join(topic, { presence: { key: 'watcher', enabled: true } })
    await leaver.reply(leaver.send(`realtime:${topic}`, 'presence', { type: 'presence', event: 'track', payload: { here: true } }))
    await watcher.next(frame => frame.event === 'presence_diff' && 'leaver' in (frame.payload.joins as object))
    drop(leaver.ws)
    await watcher.next(frame => frame.event === 'presence_diff' && 'leaver' in (frame.payload.leaves as object), 3_000)
    watcher.ws.close()
  })

  it('300 sockets and a reconnect storm of 300 more leave the stack serving', async () => {
    const token = await userToken(alice)
    const subscriber = await RawSocket.open(token)
    await subscriber.join(unique('storm'), { postgres_changes: [{ event: 'INSERT', schema: 'public', table }] }, token)
    const crowd = await Promise.all(Array.from({ length: 300 }, () => RawSocket.open()))
    crowd.forEach(socket => socket.send('realtime:crowd', 'phx_join', { config: {} }))
    for (let round = 0; round < 3; round++) {
      const batch = await Promise.all(Array.from({ length: 100 }, () => RawSocket.open()))
      batch.forEach((socket) => {
        socket.send('realtime:storm', 'phx_join', { config: {} })
        socket.ws.terminate()
      })
    }
    const started = Date.now()
    const health = await fetch(`${stack.apiUrl}/auth/v1/health`)
    expect(health.status).toBe(200)
    expect(Date.now() - started).toBeLessThan(5_000)
    await sql(`insert into ${table} (owner, body) values ($1, 'through the storm')`, [alice])
    await subscriber.next(frame => frame.event === 'postgres_changes')
    expect(subscriber.changes()).toEqual(['through the storm'])
    crowd.forEach(socket => socket.ws.terminate())
    subscriber.ws.close()
  })
})
