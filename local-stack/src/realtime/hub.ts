import { randomUUID } from 'node:crypto'
import type { JwtClaims } from '../jwt.ts'
import type { Condition } from './filters.ts'
import { encodeBroadcastBinary, encodeBroadcastJson, encodeRaw, type UserBroadcast, type Vsn } from './protocol.ts'

/** What a private channel's RLS allows its member (public channels allow everything). */
export interface Access {
  broadcastRead: boolean
  broadcastWrite: boolean
  presenceRead: boolean
  presenceWrite: boolean
}

/** A postgres_changes binding as the client asked for it, with the id the join reply gave it. */
export interface ChangeBinding {
  id: number
  event: string
  schema: string
  table?: string
  conditions: Condition[]
}

/** The socket side a channel member talks through. */
export interface Outlet {
  vsn: Vsn
  sendText(frame: string): void
  sendBinary(frame: Buffer): void
  push(topic: string, event: string, payload: Record<string, unknown>, joinRef?: string | null): void
}

/** One socket joined to one channel. */
export interface ChannelMember {
  outlet: Outlet
  /** `realtime:<name>`, as on the wire. */
  topic: string
  name: string
  joinRef: string | null
  isPrivate: boolean
  self: boolean
  ack: boolean
  presenceKey: string
  presenceEnabled: boolean
  role: string
  claims: JwtClaims
  access: Access
  bindings: ChangeBinding[]
  expiry?: NodeJS.Timeout
}

type Meta = Record<string, unknown> & { phx_ref: string }

/** Public and private channels of the same name are separate rooms, as on Supabase. */
export function roomOf(name: string, isPrivate: boolean) {
  return `${isPrivate ? 'private' : 'public'}:${name}`
}

/**
 * Everyone joined to each room: broadcast fan-out and presence. Presence is
 * kept per member (one meta per channel join), keyed by the presence key.
 */
export class Hub {
  private rooms = new Map<string, Set<ChannelMember>>()
  private presence = new Map<ChannelMember, { key: string, meta: Meta }>()
  private refs = 0

  /** Every member of every room, e.g. for postgres_changes matching. */
  members(): ChannelMember[] {
    return [...this.rooms.values()].flatMap(room => [...room])
  }

  add(member: ChannelMember) {
    const room = roomOf(member.name, member.isPrivate)
    let members = this.rooms.get(room)
    if (!members) this.rooms.set(room, members = new Set())
    members.add(member)
    if (member.presenceEnabled && member.access.presenceRead) this.sendState(member)
  }

  remove(member: ChannelMember) {
    clearTimeout(member.expiry)
    const room = roomOf(member.name, member.isPrivate)
    const members = this.rooms.get(room)
    members?.delete(member)
    this.untrack(member)
    if (members?.size === 0) this.rooms.delete(room)
  }

  /** Sends a broadcast to a room; `from` (the sender) is skipped unless it joined with `self`. */
  broadcast(name: string, isPrivate: boolean, message: UserBroadcast, from?: ChannelMember) {
    const members = this.rooms.get(roomOf(name, isPrivate))
    if (!members) return 0
    // Encoded once per wire format, not once per member.
    const frames: Partial<Record<Vsn, string | Buffer | undefined>> = {}
    let sent = 0
    for (const member of members) {
      if (member === from && !member.self) continue
      if (!member.access.broadcastRead) continue
      const vsn = member.outlet.vsn
      if (!(vsn in frames)) frames[vsn] = broadcastFrame(vsn, message)
      send(member, frames[vsn])
      sent++
    }
    return sent
  }

  /** Sends a broadcast to one member only (e.g. a replay after its join). */
  sendTo(member: ChannelMember, message: UserBroadcast) {
    send(member, broadcastFrame(member.outlet.vsn, message))
  }

  /** Tracks (or re-tracks) the member's presence; an unchanged payload changes nothing. */
  track(member: ChannelMember, payload: Record<string, unknown>) {
    if (!member.presenceEnabled) {
      member.presenceEnabled = true
      if (member.access.presenceRead) this.sendState(member)
    }
    const previous = this.presence.get(member)
    const key = member.presenceKey
    if (previous && sameFields(previous.meta, payload)) return

    const meta: Meta = { ...payload, phx_ref: this.nextRef() }
    if (previous) meta.phx_ref_prev = previous.meta.phx_ref
    this.presence.set(member, { key, meta })
    this.sendDiff(member, { [key]: { metas: [meta] } }, previous ? { [key]: { metas: [previous.meta] } } : {})
  }

  untrack(member: ChannelMember) {
    const previous = this.presence.get(member)
    if (!previous) return
    this.presence.delete(member)
    this.sendDiff(member, {}, { [previous.key]: { metas: [previous.meta] } })
  }

  private nextRef() {
    return Buffer.from(`${Date.now()}:${++this.refs}`).toString('base64url')
  }

  private sendState(member: ChannelMember) {
    const state: Record<string, { metas: Meta[] }> = {}
    for (const other of this.rooms.get(roomOf(member.name, member.isPrivate)) ?? []) {
      const tracked = this.presence.get(other)
      if (!tracked) continue
      state[tracked.key] ??= { metas: [] }
      state[tracked.key].metas.push(tracked.meta)
    }
    member.outlet.push(member.topic, 'presence_state', state)
  }

  private sendDiff(from: ChannelMember, joins: object, leaves: object) {
    const payload = JSON.stringify({ joins, leaves })
    for (const member of this.rooms.get(roomOf(from.name, from.isPrivate)) ?? []) {
      if (!member.presenceEnabled || !member.access.presenceRead) continue
      member.outlet.sendText(encodeRaw(member.outlet.vsn, member.topic, 'presence_diff', payload))
    }
  }
}

function broadcastFrame(vsn: Vsn, message: UserBroadcast) {
  return vsn === '2.0.0' ? encodeBroadcastBinary(message) : encodeBroadcastJson(message)
}

function send(member: ChannelMember, frame: string | Buffer | undefined) {
  if (typeof frame === 'string') member.outlet.sendText(frame)
  else if (frame) member.outlet.sendBinary(frame)
}

function sameFields(meta: Meta, payload: Record<string, unknown>) {
  const { phx_ref: _ref, phx_ref_prev: _prev, ...fields } = meta
  return JSON.stringify(fields) === JSON.stringify(payload)
}

/** A presence key for members who did not choose one. */
export function newPresenceKey() {
  return randomUUID()
}
