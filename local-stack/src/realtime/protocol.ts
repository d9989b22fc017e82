/** A Phoenix channel message, whatever the wire format it came in. */
export interface PhoenixMessage {
  joinRef: string | null
  ref: string | null
  topic: string
  event: string
  payload: Record<string, unknown>
}

/** A user broadcast as it travels between sockets: the payload stays in its encoded bytes. */
export interface UserBroadcast {
  topic: string
  event: string
  /** JSON text of the user payload, or raw bytes for a binary broadcast. */
  body: string | Buffer
  meta?: Record<string, unknown>
}

/** The serializer a socket chose with `?vsn=`. */
export type Vsn = '1.0.0' | '2.0.0'

const KIND_USER_BROADCAST_PUSH = 3
const KIND_USER_BROADCAST = 4
const ENCODING_BINARY = 0
const ENCODING_JSON = 1

/** A frame the stack cannot read. */
export class ProtocolError extends Error {}

function record(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : {}
}

function text(value: unknown) {
  return value === null || value === undefined ? null : String(value)
}

/** Decodes one incoming frame; a client broadcast (binary kind 3) comes back as a message plus its raw body. */
export function decodeFrame(data: Buffer, isBinary: boolean, vsn: Vsn):
{ message: PhoenixMessage, broadcast?: UserBroadcast } {
  if (isBinary) return decodeBroadcastPush(data)

  const parsed: unknown = JSON.parse(data.toString('utf8'))
  if (vsn === '2.0.0') {
    if (!Array.isArray(parsed) || parsed.length !== 5) {
      throw new ProtocolError('A vsn 2.0.0 message must be an array [join_ref, ref, topic, event, payload].')
    }
    const [joinRef, ref, topic, event, payload] = parsed
    return { message: { joinRef: text(joinRef), ref: text(ref), topic: String(topic), event: String(event),
      payload: record(payload) } }
  }
  const m = record(parsed)
  return { message: { joinRef: text(m.join_ref), ref: text(m.ref), topic: String(m.topic), event: String(m.event),
    payload: record(m.payload) } }
}

function decodeBroadcastPush(data: Buffer) {
  if (data.length < 7 || data[0] !== KIND_USER_BROADCAST_PUSH) {
    throw new ProtocolError(`Binary frames of kind ${data[0]} are not understood; only user broadcasts (kind 3) are.`)
  }
  const lengths = [data[1], data[2], data[3], data[4], data[5]]
  const encoding = data[6]
  let offset = 7
  const [joinRef, ref, topic, event, meta] = lengths.map((length) => {
    const value = data.subarray(offset, offset + length).toString('utf8')
    offset += length
    return value
  })
  const bytes = data.subarray(offset)
  const body = encoding === ENCODING_JSON ? bytes.toString('utf8') : Buffer.from(bytes)
  const broadcast: UserBroadcast = { topic, event, body, meta: meta ? record(JSON.parse(meta)) : undefined }
  const message: PhoenixMessage = { joinRef: joinRef || null, ref: ref || null, topic, event: 'broadcast',
    payload: { type: 'broadcast', event } }
  return { message, broadcast }
}

/** Encodes a server message as a text frame in the socket's format. */
export function encodeMessage(vsn: Vsn, message: PhoenixMessage): string {
  if (vsn === '2.0.0') {
    return JSON.stringify([message.joinRef, message.ref, message.topic, message.event, message.payload])
  }
  return JSON.stringify({ join_ref: message.joinRef, ref: message.ref, topic: message.topic,
    event: message.event, payload: message.payload })
}

/** The same, with an already-serialised payload (one JSON.stringify per event, not per subscriber). */
export function encodeRaw(vsn: Vsn, topic: string, event: string, payloadJson: string): string {
  if (vsn === '2.0.0') return `[null,null,${JSON.stringify(topic)},${JSON.stringify(event)},${payloadJson}]`
  return `{"join_ref":null,"ref":null,"topic":${JSON.stringify(topic)},"event":${JSON.stringify(event)},`
    + `"payload":${payloadJson}}`
}

/** A user broadcast for vsn 2.0.0 sockets: binary kind 4, which realtime-js decodes to {type, event, payload, meta}. */
export function encodeBroadcastBinary(b: UserBroadcast): Buffer {
  const topic = Buffer.from(b.topic)
  const event = Buffer.from(b.event)
  const meta = Buffer.from(b.meta ? JSON.stringify(b.meta) : '')
  const body = typeof b.body === 'string' ? Buffer.from(b.body) : b.body
  if (topic.length > 255 || event.length > 255 || meta.length > 255) {
    throw new ProtocolError('Broadcast topic, event and metadata must each be at most 255 bytes.')
  }
  const header = Buffer.from([KIND_USER_BROADCAST, topic.length, event.length, meta.length,
    typeof b.body === 'string' ? ENCODING_JSON : ENCODING_BINARY])
  return Buffer.concat([header, topic, event, meta, body])
}

/** A user broadcast for vsn 1.0.0 sockets (JSON only; binary payloads cannot be carried). */
export function encodeBroadcastJson(b: UserBroadcast): string | undefined {
  if (typeof b.body !== 'string') return undefined
  const meta = b.meta ? `,"meta":${JSON.stringify(b.meta)}` : ''
  const payload = `{"type":"broadcast","event":${JSON.stringify(b.event)},"payload":${b.body}${meta}}`
  return encodeRaw('1.0.0', b.topic, 'broadcast', payload)
}
