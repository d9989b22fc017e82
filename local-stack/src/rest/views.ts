import type pg from 'pg'
import { relationKey, type ForeignKey, type Relation } from './schema.ts'

// Which base-table columns each exposed view reads, from the view rule's column dependencies.
const viewColumnsSql = `
select vn.nspname as view_schema, v.relname as view_name,
  tn.nspname as table_schema, t.relname as table_name, a.attname as column
from pg_class v
join pg_namespace vn on vn.oid = v.relnamespace
join pg_rewrite r on r.ev_class = v.oid
join pg_depend d on d.classid = 'pg_rewrite'::regclass and d.objid = r.oid
  and d.refclassid = 'pg_class'::regclass and d.refobjsubid > 0 and d.refobjid <> v.oid
join pg_class t on t.oid = d.refobjid
join pg_namespace tn on tn.oid = t.relnamespace
join pg_attribute a on a.attrelid = t.oid and a.attnum = d.refobjsubid
where v.relkind in ('v', 'm') and vn.nspname = any($1)`

const allForeignKeysSql = `
select k.conname as name, n1.nspname as schema, c1.relname as table,
  n2.nspname as ref_schema, c2.relname as ref_table,
  (select json_agg(a.attname order by u.i) from unnest(k.conkey) with ordinality u(num, i)
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num) as columns,
  (select json_agg(a.attname order by u.i) from unnest(k.confkey) with ordinality u(num, i)
    join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num) as ref_columns
from pg_constraint k
join pg_class c1 on c1.oid = k.conrelid join pg_namespace n1 on n1.oid = c1.relnamespace
join pg_class c2 on c2.oid = k.confrelid join pg_namespace n2 on n2.oid = c2.relnamespace
where k.contype = 'f' and n1.nspname not in ('pg_catalog', 'information_schema')`

/** A relation that can stand for a base table, with the names its columns have there. */
interface Stand { relation: Relation, column: (base: string) => string | undefined }

/**
 * Foreign keys of views, inferred as PostgREST does from their base tables: a view that
 * shows all columns of a base table's foreign key (under the same names) can be embedded
 * through it, from either end. Renamed columns are not followed.
 */
export async function viewForeignKeys(
  pool: pg.Pool, schemas: string[], relations: Map<string, Relation>,
): Promise<ForeignKey[]> {
  const [columns, keys] = await Promise.all([
    pool.query(viewColumnsSql, [schemas]),
    pool.query(allForeignKeysSql),
  ])
  const standsFor = new Map<string, Stand[]>()
  const shown = new Map<string, Set<string>>()
  for (const row of columns.rows) {
    const view = relations.get(relationKey(row.view_schema, row.view_name))
    if (!view?.columns.has(row.column)) continue
    const base = relationKey(row.table_schema, row.table_name)
    const key = `${relationKey(view.schema, view.name)}|${base}`
    if (!shown.has(key)) {
      const names = new Set<string>()
      shown.set(key, names)
      const stand: Stand = { relation: view, column: c => names.has(c) ? c : undefined }
      standsFor.set(base, [...standsFor.get(base) ?? [], stand])
    }
    shown.get(key)!.add(row.column)
  }

  const found: ForeignKey[] = []
  for (const row of keys.rows) {
    const fromBase = relationKey(row.schema, row.table)
    const toBase = relationKey(row.ref_schema, row.ref_table)
    const direct = (key: string): Stand[] => {
      const relation = relations.get(key)
      return relation ? [{ relation, column: c => c }] : []
    }
    const froms = [...direct(fromBase), ...standsFor.get(fromBase) ?? []]
    const tos = [...direct(toBase), ...standsFor.get(toBase) ?? []]
    for (const from of froms) {
      for (const to of tos) {
        if (from.relation.kind === 'table' && to.relation.kind === 'table') continue
        const columns = (row.columns as string[]).map(from.column)
        const refColumns = (row.ref_columns as string[]).map(to.column)
        if (columns.some(c => !c) || refColumns.some(c => !c)) continue
        found.push({
          name: row.name,
          from: from.relation,
          columns: columns as string[],
          to: to.relation,
          refColumns: refColumns as string[],
        })
      }
    }
  }
  return found
}
