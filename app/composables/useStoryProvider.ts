// Keeps one story's Yjs document in step between browsers over Supabase Realtime: one private
// channel per story ("story:<id>", RLS on realtime.messages decides who may join and send).
//
// The exchange, after the ideas of y-protocols' sync protocol but as broadcast events:
// - "sync" {from, sv}: sent on every (re)join with our state vector, "what I have".
// - "reply" {to, from, update, sv}: every editor answers with what the asker is missing, plus
//   its own state vector, so the asker sends back what *they* miss (edits made offline).
// - "update" {update}: each local change (changes within a few ms go out merged as one).
// - "awareness" {update}: carets and names (y-protocols' awareness encoding).
// Presence lists who is here; when someone leaves, their caret is removed at once.
// Binary data travels as base64. Someone who may only read joins without sending anything;
// they follow the "update" events and catch up from the saved state when one was missed.
// No Nuxt auto-imports here: bench/collab.ts runs this same class in Node.
import type { RealtimeChannel, SupabaseClient } from '@supabase/supabase-js'
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate, removeAwarenessStates } from 'y-protocols/awareness'
import * as Y from 'yjs'
import { fromBase64, toBase64 } from '../../shared/schemas/story'
import { oneAtATime } from '../utils/one-at-a-time'

/**
 * connecting: joining; live: joined and in step; offline: no connection (typing goes on);
 * refused: the network works but this person may no longer open the story (access removed).
 */
export type StoryConnection = 'connecting' | 'live' | 'offline' | 'refused'

export interface StoryProviderOptions {
  client: SupabaseClient
  storyId: string
  doc: Y.Doc
  /** Whether this person may edit: only editors send updates, replies, awareness and presence. */
  canEdit: boolean
  /** Called whenever the connection state changes. */
  onConnection?: (state: StoryConnection) => void
  /** Called when someone else's change arrives (with when it was sent, for measuring). */
  onRemoteUpdate?: (sentAt: number) => void
  /** How long local changes are collected before they go out as one message (ms). */
  batchMs?: number
  /**
   * The story's current editing topic (public.story_live_topic): it moves when someone loses
   * access (migration 20261205125300). Asked for again on "rekey"; without it, story:<id>.
   * Null means the person may no longer read the story; a thrown error, that nobody answered.
   */
  topic?: () => Promise<string | null>
  /** The topic to join first (asked for by the caller before it builds the provider). */
  firstTopic?: string | null
}

/** The provider Tiptap's CollaborationCaret extension needs: it has an `awareness`. */
export class StoryProvider {
  readonly awareness: Awareness
  readonly doc: Y.Doc
  connection: StoryConnection = 'connecting'
  /** Bytes of everything this provider broadcast (payload JSON), for the benchmark. */
  bytesSent = 0
  private channel: RealtimeChannel
  private outbox: Uint8Array[] = []
  /** When the oldest change in the outbox was made (sent along, so latency counts the batching). */
  private outboxSince = 0
  private flushTimer: ReturnType<typeof setTimeout> | undefined
  private readonly options: StoryProviderOptions

  constructor(options: StoryProviderOptions) {
    this.options = options
    this.topic = options.firstTopic ?? ''
    this.doc = options.doc
    this.awareness = new Awareness(this.doc)
    this.doc.on('update', this.onDocUpdate)
    this.awareness.on('update', this.onAwarenessUpdate)
    this.channel = this.open()
  }

  private topic = ''
  private destroyed = false

  private open() {
    const channel = this.options.client.channel(this.topic || `story:${this.options.storyId}`, {
      config: { private: true, broadcast: { self: false, ack: false }, presence: { key: String(this.doc.clientID) } },
    })
    this.listen(channel)
    channel.subscribe((status) => {
      if (!this.current(channel)) return
      if (status === 'SUBSCRIBED') this.joined()
      else void this.lost(channel)
    })
    return channel
  }

  /** Channels being left on purpose (rejoin, destroy): their closing says nothing about the network. */
  private retired = new WeakSet<RealtimeChannel>()

  /** Whether news of `channel` still matters: it is the one in use, and nobody has left for good. */
  private current(channel: RealtimeChannel) {
    return channel === this.channel && !this.retired.has(channel) && this.connection !== 'refused' && !this.destroyed
  }

  /**
   * The channel closed or would not open. Whether that is the network or a removed access is
   * told by asking for the topic: null means no access (the words will not be saved), an error
   * or an answer means the connection (typing goes on and is sent on the next join).
   */
  private async lost(channel: RealtimeChannel) {
    const topic = this.options.topic ? await this.options.topic().catch(() => undefined) : undefined
    // The answer may come after a rejoin has already brought a working channel.
    if (!this.current(channel)) return
    this.setConnection(topic === null ? 'refused' : 'offline')
    // The topic moved while nobody could tell us (offline, or the rejoin's own question was
    // lost): knocking on the old one would fail for ever, so follow the new one.
    if (topic && topic !== this.topic) void this.rejoin()
  }

  /** The device lost its network: stop sending (typing goes on; the next join brings it over). */
  pause() {
    this.setConnection('offline')
  }

  /**
   * Joins afresh, e.g. when the device is back online: a socket that looked open through a
   * network change may have lost messages, and a new join's sync makes up for anything missed.
   * One at a time: asked again while one runs (the network flapping, "online" and a "rekey"
   * together), one more runs after it, from the channel it opened.
   */
  readonly rejoin = oneAtATime(() => this.rejoinOnce())

  private async rejoinOnce() {
    if (this.destroyed) return
    // realtime-js hands back the existing channel of a topic, so the old one goes first.
    const old = this.channel
    const topic = this.options.topic ? await this.options.topic().catch(() => undefined) : undefined
    if (topic === null) {
      // No longer allowed in: stay out rather than knock on the old topic again and again.
      this.setConnection('refused')
      this.retired.add(old)
      await this.options.client.removeChannel(old)
      return
    }
    if (topic) this.topic = topic
    this.retired.add(old)
    await this.options.client.removeChannel(old)
    // Left meanwhile: a channel opened now would never be closed.
    if (this.destroyed) return
    this.setConnection('connecting')
    this.channel = this.open()
  }

  /** Whether updates arrived whose earlier changes this document has not seen yet. */
  get missingChanges() {
    return this.doc.store.pendingStructs !== null || this.doc.store.pendingDs !== null
  }

  private listen(channel: RealtimeChannel) {
    channel
      .on('broadcast', { event: 'update' }, ({ payload }) => guarded('update', () => this.receiveUpdate(payload)))
      // Someone lost access and the topic moved: follow it (only those with access get in).
      .on('broadcast', { event: 'rekey' }, () => void this.rejoin())
      .on('broadcast', { event: 'sync' }, ({ payload }) => guarded('sync', () => this.answerSync(payload)))
      .on('broadcast', { event: 'reply' }, ({ payload }) => guarded('reply', () => this.receiveReply(payload)))
      .on('broadcast', { event: 'awareness' }, ({ payload }) => guarded('awareness', () => {
        applyAwarenessUpdate(this.awareness, fromBase64(payload.update), this)
      }))
      .on('presence', { event: 'leave' }, ({ key }) => {
        const clientId = Number(key)
        if (clientId !== this.doc.clientID) removeAwarenessStates(this.awareness, [clientId], this)
      })
  }

  private joined() {
    this.setConnection('live')
    if (!this.options.canEdit) return
    this.send('sync', { from: this.doc.clientID, sv: toBase64(Y.encodeStateVector(this.doc)) })
    this.sendAwareness()
    void this.channel.track({ clientId: this.doc.clientID })
  }

  private setConnection(state: StoryConnection) {
    if (this.connection === state) return
    this.connection = state
    this.options.onConnection?.(state)
  }

  private onDocUpdate = (update: Uint8Array, origin: unknown) => {
    if (origin === this || !this.options.canEdit) return
    if (!this.outbox.length) this.outboxSince = Date.now()
    this.outbox.push(update)
    this.flushTimer ??= setTimeout(() => this.flush(), this.options.batchMs ?? 5)
  }

  /** Sends collected local changes now. Offline they are dropped: the next join's sync brings them. */
  flush() {
    clearTimeout(this.flushTimer)
    this.flushTimer = undefined
    if (!this.outbox.length) return
    const update = this.outbox.length === 1 ? this.outbox[0]! : Y.mergeUpdates(this.outbox)
    this.outbox = []
    if (this.connection === 'live') this.send('update', { update: toBase64(update), at: this.outboxSince })
  }

  private receiveUpdate(payload: { update: string, at?: number }) {
    Y.applyUpdate(this.doc, fromBase64(payload.update), this)
    this.options.onRemoteUpdate?.(payload.at ?? Date.now())
  }

  private answerSync(payload: { from: number, sv: string }) {
    if (!this.options.canEdit || payload.from === this.doc.clientID) return
    const missing = Y.encodeStateAsUpdate(this.doc, fromBase64(payload.sv))
    this.send('reply', {
      to: payload.from, from: this.doc.clientID, update: toBase64(missing), sv: toBase64(Y.encodeStateVector(this.doc)),
    })
    this.sendAwareness()
  }

  private receiveReply(payload: { to: number, update: string, sv: string }) {
    if (payload.to !== this.doc.clientID) return
    Y.applyUpdate(this.doc, fromBase64(payload.update), this)
    // What they lack of ours (typed while offline, or before they came), straight back to all.
    const theirs = Y.encodeStateVector(this.doc)
    if (!sameVector(theirs, fromBase64(payload.sv))) {
      this.send('update', { update: toBase64(Y.encodeStateAsUpdate(this.doc, fromBase64(payload.sv))), at: Date.now() })
    }
  }

  private onAwarenessUpdate = ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
    if (origin !== 'local' || !this.options.canEdit) return
    if ([...added!, ...updated!, ...removed!].includes(this.doc.clientID)) this.sendAwareness()
  }

  private sendAwareness() {
    if (this.connection !== 'live' || !this.options.canEdit) return
    this.send('awareness', { update: toBase64(encodeAwarenessUpdate(this.awareness, [this.doc.clientID])) })
  }

  private send(event: string, payload: Record<string, unknown>) {
    this.bytesSent += JSON.stringify(payload).length
    void this.channel.send({ type: 'broadcast', event, payload })
  }

  /** Leaves the channel; the others drop this person's caret. */
  async destroy() {
    this.flush()
    this.destroyed = true
    clearTimeout(this.flushTimer)
    this.doc.off('update', this.onDocUpdate)
    this.awareness.off('update', this.onAwarenessUpdate)
    removeAwarenessStates(this.awareness, [this.doc.clientID], 'destroy')
    this.awareness.destroy()
    await this.options.client.removeChannel(this.channel)
  }
}

/**
 * Runs a handler for a message from another browser. A malformed message (not base64, not a
 * Yjs update, missing fields) is skipped and logged: one broken sender must not break every
 * open page, and the next join's sync brings anything that was really missed.
 */
function guarded(event: string, handle: () => void) {
  try {
    handle()
  }
  catch (error) {
    console.warn(`story: ignored a malformed "${event}" message`, error)
  }
}

/** Whether two Yjs state vectors say the same (our state covers theirs and nothing more). */
function sameVector(a: Uint8Array, b: Uint8Array) {
  const mine = Y.decodeStateVector(a)
  const theirs = Y.decodeStateVector(b)
  if (mine.size !== theirs.size) return false
  for (const [client, clock] of mine) if (theirs.get(client) !== clock) return false
  return true
}
