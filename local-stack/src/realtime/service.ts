import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { headerValue, translateKey, type StackContext } from '../context.ts'
import { StackError } from '../errors.ts'
import { sendJson } from '../http.ts'
import { log } from '../log.ts'
import type { Service } from '../server.ts'
import { ChangeFeed } from './changes.ts'
import { Hub } from './hub.ts'
import type { Vsn } from './protocol.ts'
import { ChangeStream, slotPrefix } from './replication.ts'
import { handleBroadcastApi } from './rest.ts'
import { RealtimeSocket } from './socket.ts'
import { TokenError, verifyToken } from './tokens.ts'

/**
 * How often the server pings each socket. A socket that misses two pongs in a row is dropped
 * (its presence leaves); one missed pong is forgiven, because a busy client answers late.
 */
const PING_INTERVAL_MS = 10_000
const MISSED_PONGS_ALLOWED = 1

function refuseUpgrade(socket: Duplex, status: number, message: string) {
  const body = JSON.stringify({ error: message })
  const reason = status === 403 ? 'Forbidden' : status === 400 ? 'Bad Request' : 'Unauthorized'
  socket.end(`HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json\r\n`
    + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`)
}

/** Realtime stand-in under /realtime/v1 (WebSocket and broadcast REST API). */
export async function createRealtimeService(ctx: StackContext): Promise<Service> {
  const hub = new Hub()
  const feed = new ChangeFeed(ctx.db.admin, hub)
  const wss = new WebSocketServer({ noServer: true, maxPayload: 3 * 1024 * 1024 })
  const sockets = new Set<RealtimeSocket>()
  const missed = new WeakMap<WebSocket, number>()

  // Slots of this stack's earlier runs are temporary and vanish with their
  // connection; an idle one can only be left over, and would hold WAL forever.
  await ctx.db.admin.query(`select pg_drop_replication_slot(slot_name) from pg_replication_slots
    where slot_name like $1 and not active`, [`${slotPrefix}%`])
  // Supabase drops realtime.messages partitions after a few days; the stack trims the table at start.
  await ctx.db.admin.query(`delete from realtime.messages where inserted_at < now() - interval '3 days'`)
  const stream = new ChangeStream(ctx.db.adminUrl, ['supabase_realtime', 'local_stack_realtime_messages'],
    tx => feed.deliver(tx))
  try {
    await stream.start()
  }
  catch (error) {
    await stream.stop()
    throw new StackError(`Realtime could not open its replication stream (${(error as Error).message}). `
      + 'The database needs wal_level=logical and a free replication slot (max_replication_slots).')
  }

  const pinger = setInterval(() => {
    for (const ws of wss.clients) {
      const count = missed.get(ws) ?? 0
      if (count > MISSED_PONGS_ALLOWED) {
        ws.terminate()
        continue
      }
      missed.set(ws, count + 1)
      ws.ping()
    }
  }, PING_INTERVAL_MS)

  async function upgrade(req: IncomingMessage, socket: Duplex, head: Buffer, path: string, url: URL) {
    if (path !== '/websocket') return refuseUpgrade(socket, 400, `No WebSocket endpoint at /realtime/v1${path}`)
    const vsn = (url.searchParams.get('vsn') ?? '1.0.0') as Vsn
    if (vsn !== '1.0.0' && vsn !== '2.0.0') {
      return refuseUpgrade(socket, 400, `Serializer version ${vsn} is not supported; use 1.0.0 or 2.0.0`)
    }
    const token = translateKey(headerValue(req.headers['x-api-key']) ?? url.searchParams.get('apikey')
      ?? undefined, ctx.secrets)
    try {
      await verifyToken(ctx.secrets, token)
    }
    catch (error) {
      if (!(error instanceof TokenError)) throw error
      return refuseUpgrade(socket, error.status, error.message)
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      missed.set(ws, 0)
      ws.on('pong', () => missed.set(ws, 0))
      ws.on('error', () => ws.terminate())
      const client = new RealtimeSocket(ws, vsn, token!, ctx, hub)
      sockets.add(client)
      ws.on('close', () => sockets.delete(client))
    })
  }

  return {
    prefix: '/realtime/v1',
    async handle(req, res, path, url) {
      if (path === '/api/broadcast' || path.startsWith('/api/broadcast/')) {
        return handleBroadcastApi(ctx, hub, req, res, path, url)
      }
      if (path === '/api/ping' || path === '/health') return sendJson(res, 200, { message: 'Success' })
      sendJson(res, 404, { message: `No Realtime endpoint at ${path}` })
    },
    upgrade(req, socket, head, path, url) {
      upgrade(req, socket, head, path, url).catch((error: Error) => {
        log('realtime', `a WebSocket upgrade failed: ${error.message}`)
        socket.destroy()
      })
    },
    async close() {
      clearInterval(pinger)
      for (const client of sockets) client.terminate()
      await new Promise(resolve => wss.close(resolve))
      await stream.stop()
    },
  }
}
