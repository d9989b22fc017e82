import type pg from 'pg'
import type { Change, Relation, Tuple } from './pgoutput.ts'

/** One group of subscribers with the same role and claims, as the database checks it. */
export interface Subscriber { role: string, claims: string, sub?: string }

/** A change as postgres_changes subscribers receive it, before per-role column hiding. */
export interface ShapedChange {
  columns: { name: string, type: string }[]
  record?: Record<string, unknown>
  old_record?: Record<string, unknown>
  /** For each subscriber group, in order: may it see the row? */
  visible: boolean[]
  /** Per role, the columns it may not select. */
  hidden: Record<string, string[]>
}

interface RelationInfo { columns: { name: string, type: string }[], keys: string[] }

function pick(row: Record<string, unknown>, names: Iterable<string>) {
  const picked: Record<string, unknown> = {}
  for (const name of names) if (name in row) picked[name] = row[name]
  return picked
}

/**
 * Asks the database, in one call per change, what realtime would send: the
 * record typed by the table's own row type, and who may see it (see
 * _local_stack.realtime_change). Column names, types and the primary key are
 * cached per pgoutput relation, which Postgres re-describes after any change to
 * the table's shape.
 */
export class RowShaper {
  private relations = new WeakMap<Relation, Promise<RelationInfo>>()

  constructor(private readonly admin: pg.Pool) {}

  async shape(change: Change, subscribers: Subscriber[]): Promise<ShapedChange> {
    const info = await this.info(change.relation)
    const tuple: Tuple | null = change.kind === 'delete' ? null : change.record
    const old: Tuple | null = change.kind === 'insert' ? null : change.old ?? null
    const { rows } = await this.admin.query<{ shaped: {
      record: Record<string, unknown> | null
      old_record: Record<string, unknown> | null
      row_security: boolean
      visible: boolean[]
      hidden: Record<string, string[]>
    } }>('select _local_stack.realtime_change($1::oid::regclass, $2, $3, $4, $5, $6, $7, $8) as shaped',
      [change.relation.oid, tuple, old, info.keys, change.kind !== 'delete', subscribers.map(s => s.role),
        subscribers.map(s => s.claims), subscribers.map(s => s.sub ?? null)])
    const shaped = rows[0].shaped

    const result: ShapedChange = { columns: info.columns, visible: shaped.visible, hidden: shaped.hidden }
    // An unchanged TOASTed value pgoutput did not resend stays out rather than showing as null.
    if (tuple) result.record = pick(shaped.record ?? {}, Object.keys(tuple))
    if (old) {
      // A DELETE cannot be RLS-checked, so on an RLS table it carries only the key, as on Supabase.
      const names = change.kind === 'delete' && shaped.row_security ? info.keys : Object.keys(old)
      result.old_record = pick(shaped.old_record ?? {}, names.filter(n => n in old))
    }
    else if (change.kind === 'update') {
      // No old tuple (replica identity default, key unchanged): old_record is the primary key.
      result.old_record = pick(result.record ?? {}, info.keys)
    }
    return result
  }

  private info(relation: Relation) {
    let info = this.relations.get(relation)
    if (!info) {
      info = this.load(relation)
      this.relations.set(relation, info)
      info.catch(() => this.relations.delete(relation))
    }
    return info
  }

  private async load(relation: Relation): Promise<RelationInfo> {
    const { rows } = await this.admin.query<{ keys: string[] | null, types: Record<string, string> | null }>(
      `select (select array_agg(a.attname::text order by a.attnum) from pg_index i
          join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
          where i.indrelid = $1 and i.indisprimary) as keys,
        (select jsonb_object_agg(t.oid::text, t.typname) from pg_type t where t.oid = any($2::oid[])) as types`,
      [relation.oid, relation.columns.map(c => c.typeOid)])
    const types = rows[0].types ?? {}
    return {
      columns: relation.columns.map(c => ({ name: c.name, type: types[String(c.typeOid)] ?? 'text' })),
      keys: rows[0].keys ?? [],
    }
  }
}
