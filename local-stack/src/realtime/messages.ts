import type pg from 'pg'
import { log } from '../log.ts'
import type { ChannelMember, Hub } from './hub.ts'
import type { Change } from './pgoutput.ts'

/**
 * Sends a committed broadcast row of realtime.messages (written by
 * realtime.send / realtime.broadcast_changes) to the channels of its topic:
 * private rows to private channels whose members passed RLS at join, public
 * rows to public channels. Like realtime, it adds the message id to an object
 * payload that has none.
 */
export function deliverDatabaseBroadcast(hub: Hub, change: Change) {
  if (change.kind !== 'insert') return
  const row = change.record
  if (row.extension !== 'broadcast' || !row.topic || !row.event) return

  let payload: unknown
  try {
    payload = JSON.parse(row.payload ?? 'null')
  }
  catch {
    log('realtime', `realtime.messages row ${row.id} has a payload that is not JSON; not sent`)
    return
  }
  hub.broadcast(row.topic, row.private === 't', {
    topic: `realtime:${row.topic}`,
    event: row.event,
    body: JSON.stringify(withId(payload, row.id!)),
    meta: { id: row.id },
  })
}

const REPLAY_LIMIT = 25

/**
 * Replays a private channel's stored broadcasts (realtime.messages) newer than
 * `since` (ms since the epoch) to a member that just joined, oldest first, at
 * most 25, marked `meta.replayed`, as Supabase's broadcast replay does.
 */
export async function replayBroadcasts(admin: pg.Pool, hub: Hub, member: ChannelMember, replay: unknown) {
  const options = (replay ?? {}) as { since?: unknown, limit?: unknown }
  const since = Number(options.since ?? 0)
  const limit = Math.min(REPLAY_LIMIT, Math.max(1, Number(options.limit ?? REPLAY_LIMIT) || REPLAY_LIMIT))
  const { rows } = await admin.query<{ id: string, event: string, payload: unknown }>(
    // Messages of one transaction share inserted_at; their place in the table breaks the tie.
    `select id::text, event, payload from (
       select id, event, payload, inserted_at, ctid from realtime.messages
       where topic = $1 and private and extension = 'broadcast' and event is not null
         and inserted_at >= to_timestamp($2 / 1000.0) at time zone 'utc'
       order by inserted_at desc, ctid desc limit $3) recent
     order by inserted_at, ctid`, [member.name, since, limit])
  for (const row of rows) {
    hub.sendTo(member, { topic: member.topic, event: row.event, body: JSON.stringify(withId(row.payload, row.id)),
      meta: { replayed: true, id: row.id } })
  }
}

function withId(payload: unknown, id: string) {
  if (payload && typeof payload === 'object' && !Array.isArray(payload) && !('id' in payload)) {
    return { ...payload, id }
  }
  return payload
}
