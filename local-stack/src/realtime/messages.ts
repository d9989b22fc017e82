import { log } from '../log.ts'
import type { Hub } from './hub.ts'
import type { Transaction } from './pgoutput.ts'

/**
 * Sends each committed broadcast row of realtime.messages (written by
 * realtime.send / realtime.broadcast_changes) to the channels of its topic:
 * private rows to private channels whose members passed RLS at join, public
 * rows to public channels. Like realtime, it adds the message id to an object
 * payload that has none.
 */
export function deliverDatabaseBroadcasts(hub: Hub, tx: Transaction) {
  for (const change of tx.changes) {
    const { schema, table } = change.relation
    if (change.kind !== 'insert' || schema !== 'realtime' || table !== 'messages') continue
    const row = change.record
    if (row.extension !== 'broadcast' || !row.topic || !row.event) continue

    let payload: unknown
    try {
      payload = JSON.parse(row.payload ?? 'null')
    }
    catch {
      log('realtime', `realtime.messages row ${row.id} has a payload that is not JSON; not sent`)
      continue
    }
    if (payload && typeof payload === 'object' && !Array.isArray(payload) && !('id' in payload)) {
      payload = { ...payload, id: row.id }
    }
    hub.broadcast(row.topic, row.private === 't', {
      topic: `realtime:${row.topic}`,
      event: row.event,
      body: JSON.stringify(payload),
      meta: { id: row.id },
    })
  }
}
