import type { IncomingMessage, ServerResponse } from 'node:http'
import { bearerToken, type StackContext } from '../context.ts'
import { BodyTooLarge, readBody, sendEmpty, sendJson } from '../http.ts'
import type { JwtClaims } from '../jwt.ts'
import { authorizeChannel } from './authorization.ts'
import type { Hub } from './hub.ts'
import type { UserBroadcast } from './protocol.ts'
import { TokenError, verifyToken } from './tokens.ts'

interface Outgoing { topic: string, event: string, body: string | Buffer, isPrivate: boolean }

class BadRequest extends Error {}

function parseMessages(json: unknown): Outgoing[] {
  const messages = (json as { messages?: unknown } | undefined)?.messages
  if (!Array.isArray(messages) || messages.length === 0) {
    throw new BadRequest('The body must be {"messages": [{"topic", "event", "payload", "private"?}, …]}')
  }
  return messages.map((m: Record<string, unknown>) => {
    if (typeof m?.topic !== 'string' || !m.topic || typeof m.event !== 'string') {
      throw new BadRequest('Every message needs a topic and an event (strings)')
    }
    return { topic: m.topic, event: m.event, body: JSON.stringify(m.payload ?? {}), isPrivate: m.private === true }
  })
}

async function readOutgoing(req: IncomingMessage, path: string, url: URL): Promise<Outgoing[]> {
  const body = await readBody(req)
  const single = path.match(/^\/api\/broadcast\/([^/]+)\/events\/([^/]+)$/)
  if (!single) {
    try {
      return parseMessages(JSON.parse(body.toString('utf8')))
    }
    catch (error) {
      if (error instanceof SyntaxError) throw new BadRequest('The body is not valid JSON')
      throw error
    }
  }
  const binary = (req.headers['content-type'] ?? '').startsWith('application/octet-stream')
  let payload: string | Buffer = body
  if (!binary) {
    try {
      payload = JSON.stringify(JSON.parse(body.toString('utf8') || 'null'))
    }
    catch {
      throw new BadRequest('The body is not valid JSON; send binary payloads as application/octet-stream')
    }
  }
  return [{ topic: decodeURIComponent(single[1]), event: decodeURIComponent(single[2]), body: payload,
    isPrivate: url.searchParams.get('private') === 'true' }]
}

/** POST /api/broadcast (messages list) and /api/broadcast/{topic}/events/{event}: deliver, answer 202. */
export async function handleBroadcastApi(ctx: StackContext, hub: Hub, req: IncomingMessage, res: ServerResponse,
  path: string, url: URL) {
  if (req.method !== 'POST') return sendJson(res, 405, { error: 'Use POST to send broadcasts' })
  let claims: JwtClaims
  let outgoing: Outgoing[]
  try {
    claims = await verifyToken(ctx.secrets, bearerToken(req, url, ctx.secrets))
    outgoing = await readOutgoing(req, path, url)
  }
  catch (error) {
    if (error instanceof TokenError) return sendJson(res, error.status, { error: error.message })
    if (error instanceof BadRequest) return sendJson(res, 400, { error: error.message })
    if (error instanceof BodyTooLarge) return sendJson(res, 413, { error: error.message })
    throw error
  }

  // Private messages need the caller's broadcast-write permission on each topic; others are dropped.
  const mayWrite = new Map<string, boolean>()
  for (const m of outgoing) {
    if (m.isPrivate && !mayWrite.has(m.topic)) {
      mayWrite.set(m.topic, (await authorizeChannel(ctx.db.admin, m.topic, claims)).broadcastWrite)
    }
    if (m.isPrivate && !mayWrite.get(m.topic)) continue
    const message: UserBroadcast = { topic: `realtime:${m.topic}`, event: m.event, body: m.body }
    hub.broadcast(m.topic, m.isPrivate, message)
  }
  sendEmpty(res, 202)
}
