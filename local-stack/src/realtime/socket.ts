import type WebSocket from 'ws'
import type { StackContext } from '../context.ts'
import { translateKey } from '../context.ts'
import type { JwtClaims } from '../jwt.ts'
import { log } from '../log.ts'
import { authorizeChannel, openAccess, unauthorizedReason } from './authorization.ts'
import { parseBindings } from './changes.ts'
import { replayBroadcasts } from './messages.ts'
import { FilterError } from './filters.ts'
import { newPresenceKey, type ChannelMember, type Hub, type Outlet } from './hub.ts'
import { decodeFrame, encodeMessage, type PhoenixMessage, type UserBroadcast, type Vsn } from './protocol.ts'
import { msUntilExpiry, TokenError, verifyToken } from './tokens.ts'

type Payload = Record<string, unknown>

function object(value: unknown): Payload {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Payload : {}
}

/**
 * One client WebSocket speaking the Phoenix channel protocol. Messages are
 * handled one after another, so a push that follows a join waits for it.
 */
export class RealtimeSocket implements Outlet {
  private channels = new Map<string, ChannelMember>()
  private work = Promise.resolve()

  constructor(
    private readonly ws: WebSocket,
    readonly vsn: Vsn,
    private socketToken: string,
    private readonly ctx: StackContext,
    private readonly hub: Hub,
  ) {
    ws.on('message', (data: Buffer, isBinary) => {
      this.work = this.work.then(() => this.receive(data, isBinary)).catch((error: Error) => {
        log('realtime', `a message could not be handled: ${error.message}`)
      })
    })
    ws.on('close', () => {
      for (const member of this.channels.values()) this.hub.remove(member)
      this.channels.clear()
    })
  }

  sendText(frame: string) {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame)
  }

  sendBinary(frame: Buffer) {
    if (this.ws.readyState === this.ws.OPEN) this.ws.send(frame, { binary: true })
  }

  push(topic: string, event: string, payload: Payload, joinRef: string | null = null) {
    this.sendText(encodeMessage(this.vsn, { joinRef, ref: null, topic, event, payload }))
  }

  private reply(message: PhoenixMessage, status: 'ok' | 'error', response: Payload = {}) {
    this.sendText(encodeMessage(this.vsn, { joinRef: message.joinRef, ref: message.ref, topic: message.topic,
      event: 'phx_reply', payload: { status, response } }))
  }

  private async receive(data: Buffer, isBinary: boolean) {
    const { message, broadcast } = decodeFrame(data, isBinary, this.vsn)
    if (message.topic === 'phoenix' && message.event === 'heartbeat') return this.reply(message, 'ok')
    if (message.event === 'phx_join') return this.join(message)

    const member = this.channels.get(message.topic)
    if (!member) return this.reply(message, 'error', { reason: 'unmatched topic' })
    switch (message.event) {
      case 'phx_leave':
        this.reply(message, 'ok')
        return this.close(member)
      case 'access_token':
        return this.refresh(member, String(message.payload.access_token ?? ''))
      case 'broadcast':
        return this.broadcast(member, message, broadcast)
      case 'presence':
        return this.presence(member, message)
      default:
        // realtime answers unknown events with nothing; the client times such pushes out itself.
    }
  }

  private async join(message: PhoenixMessage) {
    const name = message.topic.startsWith('realtime:') ? message.topic.slice('realtime:'.length) : ''
    if (!name) return this.reply(message, 'error', { reason: 'Topic must be realtime:<name> with a name' })

    const previous = this.channels.get(message.topic)
    if (previous) this.close(previous, false)

    const config = object(message.payload.config)
    const token = typeof message.payload.access_token === 'string' && !message.payload.access_token.startsWith('sb_')
      ? message.payload.access_token
      : this.socketToken
    let claims: JwtClaims
    let bindings
    try {
      claims = await verifyToken(this.ctx.secrets, token)
      bindings = parseBindings(config.postgres_changes)
    }
    catch (error) {
      if (!(error instanceof TokenError || error instanceof FilterError)) throw error
      const prefix = error instanceof TokenError ? 'InvalidJWTToken: ' : ''
      return this.reply(message, 'error', { reason: `${prefix}${error.message}` })
    }

    const isPrivate = config.private === true
    const access = isPrivate ? await authorizeChannel(this.ctx.db.admin, name, claims) : openAccess
    if (!access.broadcastRead && !access.presenceRead) {
      return this.reply(message, 'error', { reason: unauthorizedReason(name) })
    }

    const broadcastConfig = object(config.broadcast)
    const presenceConfig = object(config.presence)
    const member: ChannelMember = {
      outlet: this,
      topic: message.topic,
      name,
      joinRef: message.joinRef,
      isPrivate,
      self: broadcastConfig.self === true,
      ack: broadcastConfig.ack === true,
      presenceKey: typeof presenceConfig.key === 'string' && presenceConfig.key ? presenceConfig.key : newPresenceKey(),
      presenceEnabled: presenceConfig.enabled === true,
      role: claims.role!,
      claims,
      access,
      bindings,
    }
    // The socket may have gone while the policies were probed.
    if (this.ws.readyState !== this.ws.OPEN) return
    const echoed = (Array.isArray(config.postgres_changes) ? config.postgres_changes : [])
      .map((params: Payload, i: number) => ({ ...params, id: bindings[i].id }))
    this.reply(message, 'ok', { postgres_changes: echoed })
    this.channels.set(message.topic, member)
    this.hub.add(member)
    this.watchExpiry(member)
    if (bindings.length) {
      this.push(message.topic, 'system', { extension: 'postgres_changes', status: 'ok',
        message: 'Subscribed to PostgreSQL', channel: name }, message.joinRef)
    }
    // The replication stream is up before the stack serves anything, so it is always ready.
    if (broadcastConfig.replication_ready === true) {
      this.push(message.topic, 'system', { extension: 'system', status: 'ok',
        message: 'Replication connection established', channel: name }, message.joinRef)
    }
    if (isPrivate && access.broadcastRead && broadcastConfig.replay) {
      await replayBroadcasts(this.ctx.db.admin, this.hub, member, broadcastConfig.replay)
    }
  }

  /** Leaves a channel: presence leaves, and the client hears phx_close. */
  private close(member: ChannelMember, notify = true) {
    this.hub.remove(member)
    if (this.channels.get(member.topic) === member) this.channels.delete(member.topic)
    if (notify) this.push(member.topic, 'phx_close', {}, member.joinRef)
  }

  /** Realtime shuts a channel whose token fails with a system error, then phx_close. */
  private shut(member: ChannelMember, reason: string) {
    this.push(member.topic, 'system', { extension: 'system', status: 'error', message: reason,
      channel: member.name }, member.joinRef)
    this.close(member)
  }

  private watchExpiry(member: ChannelMember) {
    clearTimeout(member.expiry)
    // setTimeout cannot wait longer than about 24.8 days; such tokens are re-checked on refresh anyway.
    const wait = Math.min(msUntilExpiry(member.claims) + 30_000, 2 ** 31 - 1)
    member.expiry = setTimeout(() => {
      if (this.channels.get(member.topic) === member) this.shut(member, 'Token has expired')
    }, wait)
    member.expiry.unref()
  }

  private async refresh(member: ChannelMember, token: string) {
    if (!token || token.startsWith('sb_')) return
    let claims: JwtClaims
    try {
      claims = await verifyToken(this.ctx.secrets, translateKey(token, this.ctx.secrets))
    }
    catch (error) {
      if (!(error instanceof TokenError)) throw error
      return this.shut(member, `Token refresh failed: ${error.message}`)
    }
    if (member.isPrivate) {
      const access = await authorizeChannel(this.ctx.db.admin, member.name, claims)
      if (!access.broadcastRead && !access.presenceRead) return this.shut(member, unauthorizedReason(member.name))
      member.access = access
    }
    this.socketToken = token
    member.claims = claims
    member.role = claims.role!
    this.watchExpiry(member)
  }

  private broadcast(member: ChannelMember, message: PhoenixMessage, binary?: UserBroadcast) {
    const payload = message.payload
    const event = binary?.event ?? (typeof payload.event === 'string' ? payload.event : undefined)
    if (event === undefined) return this.reply(message, 'error', { reason: 'A broadcast needs an event name' })
    // An unauthorised send on a private channel is dropped without a word, as on Supabase.
    if (!member.access.broadcastWrite) return
    const body = binary?.body ?? JSON.stringify(payload.payload ?? {})
    this.hub.broadcast(member.name, member.isPrivate, { topic: member.topic, event, body, meta: binary?.meta }, member)
    if (member.ack) this.reply(message, 'ok')
  }

  private presence(member: ChannelMember, message: PhoenixMessage) {
    const event = message.payload.event
    if (!member.access.presenceWrite) {
      return this.reply(message, 'error', { reason: `Unauthorized: You do not have permissions to track presence `
        + `on this Channel topic: ${member.name}` })
    }
    if (event === 'track') this.hub.track(member, object(message.payload.payload))
    else if (event === 'untrack') this.hub.untrack(member)
    else return this.reply(message, 'error', { reason: `Unknown presence event ${String(event)}` })
    this.reply(message, 'ok')
  }

  /** Drops the connection without a close handshake (used at shutdown). */
  terminate() {
    this.ws.terminate()
  }
}
