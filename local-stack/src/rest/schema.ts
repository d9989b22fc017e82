import type pg from 'pg'
import { qualified } from './sql.ts'
import { viewForeignKeys } from './views.ts'

/** One column of a table or view, as the schema cache knows it. */
export interface Column {
  name: string
  type: string
  /** The SQL that fills the column when a value is missing (defaults and identity). */
  defaultSql: string | null
}

export interface Relation {
  schema: string
  name: string
  /** The quoted `"schema"."name"`, ready for SQL. */
  qualified: string
  kind: 'table' | 'view'
  columns: Map<string, Column>
  primaryKey: string[]
  /** Column sets with a unique or primary-key constraint. */
  uniqueKeys: string[][]
}

export interface ForeignKey {
  name: string
  from: Relation
  columns: string[]
  to: Relation
  refColumns: string[]
}

export interface RoutineArg { name: string, type: string, hasDefault: boolean }

export interface Routine {
  schema: string
  name: string
  volatility: 'i' | 's' | 'v'
  returnsSet: boolean
  /** void → 204; scalar → a bare value; composite → objects that can be filtered like a table. */
  returns: 'void' | 'scalar' | 'composite'
  /** The table whose rows the function returns, for embedding from its results. */
  returnsRelation?: string
  /** The relation whose row is the only argument: a computed field or relationship of it. */
  rowArgOf?: string
  /** The planner's row estimate; `rows 1` makes a computed relationship to-one. */
  rows: number
  args: RoutineArg[]
}

/** Everything the REST service needs to know about the database, loaded once per schema change. */
export interface SchemaCache {
  relations: Map<string, Relation>
  /** Foreign keys by the key of the relation on either end. */
  foreignKeys: Map<string, ForeignKey[]>
  routines: Map<string, Routine[]>
  /** Functions taking one row of a relation, by relation key and function name. */
  computed: Map<string, Map<string, Routine>>
  /** Each API role's `ALTER ROLE … SET` settings. */
  roleSettings: Map<string, Record<string, string>>
}

export function relationKey(schema: string, name: string) {
  return `${schema}.${name}`
}

const relationsSql = `
select n.nspname as schema, c.relname as name, c.relkind as kind,
  coalesce((
    select json_agg(json_build_object(
      'name', a.attname,
      'type', format_type(a.atttypid, a.atttypmod),
      'default', case
        when a.attidentity <> '' then format('nextval(%L::regclass)',
          pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname))
        when a.attgenerated = '' then pg_get_expr(d.adbin, d.adrelid)
      end) order by a.attnum)
    from pg_attribute a
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where a.attrelid = c.oid and a.attnum > 0 and not a.attisdropped
  ), '[]') as columns,
  coalesce((
    select json_agg(json_build_object('primary', k.contype = 'p', 'columns',
      (select json_agg(a.attname order by u.i) from unnest(k.conkey) with ordinality u(num, i)
        join pg_attribute a on a.attrelid = c.oid and a.attnum = u.num)))
    from pg_constraint k where k.conrelid = c.oid and k.contype in ('p', 'u')
  ), '[]') as keys
from pg_class c
join pg_namespace n on n.oid = c.relnamespace
where n.nspname = any($1) and c.relkind in ('r', 'v', 'm', 'f', 'p')`

const foreignKeysSql = `
select k.conname as name, n1.nspname as schema, c1.relname as table,
  n2.nspname as ref_schema, c2.relname as ref_table,
  (select json_agg(a.attname order by u.i) from unnest(k.conkey) with ordinality u(num, i)
    join pg_attribute a on a.attrelid = k.conrelid and a.attnum = u.num) as columns,
  (select json_agg(a.attname order by u.i) from unnest(k.confkey) with ordinality u(num, i)
    join pg_attribute a on a.attrelid = k.confrelid and a.attnum = u.num) as ref_columns
from pg_constraint k
join pg_class c1 on c1.oid = k.conrelid join pg_namespace n1 on n1.oid = c1.relnamespace
join pg_class c2 on c2.oid = k.confrelid join pg_namespace n2 on n2.oid = c2.relnamespace
where k.contype = 'f' and n1.nspname = any($1) and n2.nspname = any($1)`

const routinesSql = `
select n.nspname as schema, p.proname as name, p.provolatile as volatility, p.proretset as returns_set,
  p.prorettype = 'void'::regtype as returns_void,
  (t.typtype = 'c' or p.prorettype = 'record'::regtype) as returns_composite,
  case when t.typrelid <> 0 then (select rn.nspname || '.' || rc.relname from pg_class rc
    join pg_namespace rn on rn.oid = rc.relnamespace where rc.oid = t.typrelid) end as returns_relation,
  p.pronargdefaults as defaults, p.prorows as rows,
  case when p.pronargs = 1 then (select an.nspname || '.' || ac.relname from pg_type at
    join pg_class ac on ac.oid = at.typrelid join pg_namespace an on an.oid = ac.relnamespace
    where at.oid = p.proargtypes[0]) end as row_arg_of,
  coalesce((
    select json_agg(json_build_object('name', coalesce(a.name, ''), 'type', format_type(a.type, null))
      order by a.i)
    from unnest(coalesce(p.proallargtypes, p.proargtypes::oid[]), p.proargnames, p.proargmodes)
      with ordinality a(type, name, mode, i)
    where coalesce(a.mode, 'i') in ('i', 'b', 'v')
  ), '[]') as args
from pg_proc p
join pg_namespace n on n.oid = p.pronamespace
join pg_type t on t.oid = p.prorettype
where n.nspname = any($1) and p.prokind = 'f'`

const roleSettingsSql = `
select r.rolname as role, s.setconfig as settings
from pg_db_role_setting s
join pg_roles r on r.oid = s.setrole
where r.rolname in ('anon', 'authenticated', 'service_role')
  and s.setdatabase in (0, (select oid from pg_database where datname = current_database()))
order by s.setdatabase`

interface ColumnRow { name: string, type: string, default: string | null }

/** Reads tables, views, columns, keys, foreign keys, functions and role settings in one go. */
export async function loadSchemaCache(pool: pg.Pool, schemas: string[]): Promise<SchemaCache> {
  const [relationRows, keyRows, routineRows, settingRows] = await Promise.all([
    pool.query(relationsSql, [schemas]),
    pool.query(foreignKeysSql, [schemas]),
    pool.query(routinesSql, [schemas]),
    pool.query(roleSettingsSql),
  ])

  const relations = new Map<string, Relation>()
  for (const row of relationRows.rows) {
    const keys = row.keys as { primary: boolean, columns: string[] }[]
    relations.set(relationKey(row.schema, row.name), {
      schema: row.schema,
      name: row.name,
      qualified: qualified(row.schema, row.name),
      kind: row.kind === 'v' || row.kind === 'm' ? 'view' : 'table',
      columns: new Map((row.columns as ColumnRow[])
        .map(c => [c.name, { name: c.name, type: c.type, defaultSql: c.default }])),
      primaryKey: keys.find(k => k.primary)?.columns ?? [],
      uniqueKeys: keys.map(k => k.columns),
    })
  }

  const foreignKeys = new Map<string, ForeignKey[]>()
  const direct: ForeignKey[] = []
  for (const row of keyRows.rows) {
    const from = relations.get(relationKey(row.schema, row.table))
    const to = relations.get(relationKey(row.ref_schema, row.ref_table))
    if (!from || !to) continue
    direct.push({ name: row.name, from, columns: row.columns, to, refColumns: row.ref_columns })
  }
  for (const key of [...direct, ...await viewForeignKeys(pool, schemas, relations)]) {
    const { from, to } = key
    for (const end of new Set([relationKey(from.schema, from.name), relationKey(to.schema, to.name)])) {
      foreignKeys.set(end, [...foreignKeys.get(end) ?? [], key])
    }
  }

  const routines = new Map<string, Routine[]>()
  for (const row of routineRows.rows) {
    const args = row.args as { name: string, type: string }[]
    const routine: Routine = {
      schema: row.schema,
      name: row.name,
      volatility: row.volatility,
      returnsSet: row.returns_set,
      returns: row.returns_void ? 'void' : row.returns_composite ? 'composite' : 'scalar',
      returnsRelation: row.returns_relation ?? undefined,
      rowArgOf: row.row_arg_of ?? undefined,
      rows: Number(row.rows),
      args: args.map((a, i) => ({ ...a, hasDefault: i >= args.length - row.defaults })),
    }
    const key = relationKey(row.schema, row.name)
    routines.set(key, [...routines.get(key) ?? [], routine])
  }

  const computed = new Map<string, Map<string, Routine>>()
  for (const list of routines.values()) {
    for (const routine of list) {
      if (!routine.rowArgOf) continue
      const byName = computed.get(routine.rowArgOf) ?? new Map<string, Routine>()
      byName.set(routine.name, routine)
      computed.set(routine.rowArgOf, byName)
    }
  }

  const roleSettings = new Map<string, Record<string, string>>()
  for (const row of settingRows.rows) {
    const settings = roleSettings.get(row.role) ?? {}
    for (const entry of row.settings as string[]) {
      const eq = entry.indexOf('=')
      const name = entry.slice(0, eq)
      // Preload libraries only take effect at connection start and cannot be set per transaction.
      if (eq > 0 && !name.endsWith('preload_libraries')) settings[name] = entry.slice(eq + 1)
    }
    roleSettings.set(row.role, settings)
  }
  return { relations, foreignKeys, routines, computed, roleSettings }
}
