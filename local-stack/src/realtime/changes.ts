import { createHash } from 'node:crypto'
import type pg from 'pg'
import { log } from '../log.ts'
import { filterableRow, FilterError, matches, parseFilter } from './filters.ts'
import type { ChangeBinding, ChannelMember, Hub } from './hub.ts'
import { deliverDatabaseBroadcast } from './messages.ts'
import type { Change, Transaction } from './pgoutput.ts'
import { encodeRaw } from './protocol.ts'
import { RowShaper, type ShapedChange, type Subscriber } from './rows.ts'

type ChangeType = 'INSERT' | 'UPDATE' | 'DELETE'

/** A stable id for a binding, like realtime's phash2 of its params. */
function bindingId(params: Record<string, unknown>) {
  const digest = createHash('sha1').update(JSON.stringify(params)).digest()
  return digest.readUInt32BE(0) >>> 5
}

/** Parses the join's postgres_changes params; throws FilterError with realtime's wording. */
export function parseBindings(list: unknown): ChangeBinding[] {
  if (!Array.isArray(list)) return []
  return list.map((item: unknown) => {
    const raw = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>
    const event = String(raw.event ?? '*').toUpperCase()
    if (!['*', 'INSERT', 'UPDATE', 'DELETE'].includes(event)) {
      throw new FilterError(`Error parsing \`event\` params: ${String(raw.event)} `
        + 'is not one of *, INSERT, UPDATE, DELETE')
    }
    const filter = typeof raw.filter === 'string' && raw.filter !== '' ? raw.filter : undefined
    return {
      id: bindingId({ event: raw.event, schema: raw.schema, table: raw.table, filter: raw.filter }),
      event,
      schema: typeof raw.schema === 'string' && raw.schema ? raw.schema : 'public',
      table: typeof raw.table === 'string' && raw.table && raw.table !== '*' ? raw.table : undefined,
      conditions: filter ? parseFilter(filter) : [],
    }
  })
}

function typeOf(change: Change): ChangeType {
  return change.kind === 'insert' ? 'INSERT' : change.kind === 'update' ? 'UPDATE' : 'DELETE'
}

function wants(binding: ChangeBinding, change: Change, type: ChangeType) {
  const { schema, table } = change.relation
  return (binding.event === '*' || binding.event === type)
    && (binding.schema === '*' || binding.schema === schema)
    && (binding.table === undefined || binding.table === table)
}

/**
 * Sends each committed change out: broadcast rows of realtime.messages to their
 * topic, and row changes to the members whose bindings ask for it,
 * whose role and claims may select the row (INSERT/UPDATE), and whose filter
 * holds, as realtime's postgres_changes payload.
 */
export class ChangeFeed {
  private readonly shaper: RowShaper

  constructor(admin: pg.Pool, private readonly hub: Hub) {
    this.shaper = new RowShaper(admin)
  }

  async deliver(tx: Transaction) {
    const commitTimestamp = tx.commitTime.toISOString()
    for (const change of tx.changes) {
      try {
        await this.deliverChange(change, commitTimestamp)
      }
      catch (error) {
        const { schema, table } = change.relation
        log('realtime', `a change to ${schema}.${table} was not sent: ${(error as Error).message}`)
      }
    }
  }

  private async deliverChange(change: Change, commitTimestamp: string) {
    const { schema, table } = change.relation
    // Broadcasts from the database travel as realtime.messages rows, in commit order with the rest.
    if (schema === 'realtime' && table === 'messages') return deliverDatabaseBroadcast(this.hub, change)
    const type = typeOf(change)
    // Filters first (as realtime does): only subscribers whose filter holds are RLS-checked.
    // DELETE is filtered on the old row, which without REPLICA IDENTITY FULL is just the key.
    const tuple = change.kind === 'delete' ? change.old : change.record
    const { row, types } = filterableRow(tuple, change.relation.columns)
    const wanted: { member: ChannelMember, ids: number[] }[] = []
    for (const member of this.hub.members()) {
      const ids = member.bindings
        .filter(b => wants(b, change, type) && matches(b.conditions, row, types))
        .map(b => b.id)
      if (ids.length) wanted.push({ member, ids: [...new Set(ids)] })
    }
    if (wanted.length === 0) return

    // Subscribers with the same role and claims see the same rows: check each group once,
    // sorted by role so the database switches roles as rarely as it can.
    const groups = new Map<string, Subscriber>()
    const keys = wanted.map(({ member }) => {
      const claims = JSON.stringify(member.claims)
      const key = `${member.role}\n${claims}`
      if (!groups.has(key)) groups.set(key, { role: member.role, claims, sub: member.claims.sub })
      return key
    })
    const subscribers = [...groups.values()].sort((a, b) => a.role.localeCompare(b.role))
    const index = new Map(subscribers.map((s, i) => [s, i]))
    const groupOf = keys.map(key => index.get(groups.get(key)!)!)

    const shaped = await this.shaper.shape(change, subscribers)
    // One payload per role: a role sees only the columns it may select.
    const payloads = new Map<string, string>()
    const dataFor = (role: string) => {
      let json = payloads.get(role)
      if (json === undefined) {
        json = JSON.stringify(this.data(change, type, shaped, commitTimestamp, shaped.hidden[role] ?? []))
        payloads.set(role, json)
      }
      return json
    }

    wanted.forEach(({ member, ids }, i) => {
      if (!shaped.visible[groupOf[i]]) return
      const payload = `{"ids":${JSON.stringify(ids)},"data":${dataFor(member.role)}}`
      member.outlet.sendText(encodeRaw(member.outlet.vsn, member.topic, 'postgres_changes', payload))
    })
  }

  /** realtime's `data` for one role, without the columns it may not select. */
  private data(change: Change, type: ChangeType, shaped: ShapedChange, commitTimestamp: string, hidden: string[]) {
    const visible = (row: Record<string, unknown> = {}) =>
      hidden.length ? Object.fromEntries(Object.entries(row).filter(([k]) => !hidden.includes(k))) : row
    const data: Record<string, unknown> = {
      schema: change.relation.schema,
      table: change.relation.table,
      commit_timestamp: commitTimestamp,
      type,
      columns: shaped.columns.filter(c => !hidden.includes(c.name)),
    }
    if (type !== 'DELETE') data.record = visible(shaped.record)
    if (type !== 'INSERT') data.old_record = visible(shaped.old_record)
    data.errors = null
    return data
  }
}
