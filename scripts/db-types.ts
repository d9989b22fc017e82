// `npm run db:types`: writes types/database.ts, the `Database` type supabase-js
// takes (`createClient<Database>()`), from the live schema. It starts a
// throwaway local stack so the types follow supabase/migrations exactly, or
// reads DATABASE_URL when set. The shape is the one `supabase gen types
// typescript` prints (which needs Docker or a linked project), written in our style.
import { writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import pg from 'pg'
import { startThrowawayStack } from '../local-stack/src/stack.ts'

const schema = 'public'
const target = resolve(import.meta.dirname, '..', 'types', 'database.ts')

/** A type as pg_type names it: its name, array element and category ('A' for arrays). */
interface PgType {
  type: string
  element: string | null
  category: string
}

interface Column extends PgType {
  table: string
  name: string
  nullable: boolean
  optional: boolean
}

interface ForeignKey {
  table: string
  name: string
  columns: string[]
  one: boolean
  referenced: string
  referencedColumns: string[]
}

interface Argument extends PgType {
  name: string
  optional: boolean
}

interface PgFunction {
  name: string
  args: Argument[] | null
  returns: string
  element: string | null
  category: string
  set: boolean
  out: (PgType & { name: string })[] | null
}

const scalars: Record<string, string> = {
  bool: 'boolean', int2: 'number', int4: 'number', int8: 'number', float4: 'number', float8: 'number',
  numeric: 'number', oid: 'number', json: 'Json', jsonb: 'Json', void: 'undefined', record: 'Json',
}

function tsType(type: string, element: string | null, category: string, enums: Set<string>): string {
  if (category === 'A' && element) return `${tsType(element, null, '', enums)}[]`
  if (enums.has(type)) return `Database['${schema}']['Enums']['${type}']`
  return scalars[type] ?? (category === 'E' ? 'string' : 'string')
}

const key = (name: string) => /^[a-z_]\w*$/i.test(name) ? name : `'${name}'`

async function readSchema(db: pg.Client) {
  const enums = await db.query<{ name: string, labels: string[] }>(`
    select t.typname as name, array_agg(e.enumlabel order by e.enumsortorder)::text[] as labels
    from pg_type t join pg_enum e on e.enumtypid = t.oid
    where t.typnamespace = $1::regnamespace group by t.typname order by t.typname`, [schema])
  const relations = await db.query<{ name: string, kind: string }>(`
    select c.relname as name, c.relkind as kind from pg_class c
    where c.relnamespace = $1::regnamespace and c.relkind in ('r', 'p', 'v', 'm') order by c.relname`, [schema])
  const columns = await db.query<Column>(`
    select c.relname as "table", a.attname as name, t.typname as type, el.typname as element,
      t.typcategory as category, not a.attnotnull or c.relkind in ('v', 'm') as nullable,
      (a.atthasdef or a.attidentity <> '' or a.attgenerated <> '' or not a.attnotnull) as optional
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    join pg_type t on t.oid = a.atttypid
    left join pg_type el on el.oid = t.typelem and t.typcategory = 'A'
    where c.relnamespace = $1::regnamespace and c.relkind in ('r', 'p', 'v', 'm')
      and a.attnum > 0 and not a.attisdropped
    order by c.relname, a.attname`, [schema])
  const foreignKeys = await db.query<ForeignKey>(`
    select c.relname as "table", k.conname as name,
      array(select attname from pg_attribute where attrelid = k.conrelid and attnum = any (k.conkey)
        order by array_position(k.conkey, attnum))::text[] as columns,
      exists (select 1 from pg_index i where i.indrelid = k.conrelid and i.indisunique
        and (i.indkey::int2[])::int2[] @> k.conkey and (i.indkey::int2[])::int2[] <@ k.conkey) as one,
      r.relname as referenced,
      array(select attname from pg_attribute where attrelid = k.confrelid and attnum = any (k.confkey)
        order by array_position(k.confkey, attnum))::text[] as "referencedColumns"
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class r on r.oid = k.confrelid
    where k.contype = 'f' and c.relnamespace = $1::regnamespace and r.relnamespace = $1::regnamespace
    order by c.relname, k.conname`, [schema])
  const functions = await db.query<PgFunction>(`
    select p.proname as name, p.proretset as set, rt.typname as returns, rel.typname as element,
      rt.typcategory as category,
      (select json_agg(json_build_object('name', a.name, 'type', t.typname, 'element', te.typname,
          'category', t.typcategory, 'optional', a.n > p.pronargs - p.pronargdefaults) order by a.n)
        from unnest(p.proargnames[1:p.pronargs], p.proargtypes::oid[]) with ordinality as a (name, type, n)
        join pg_type t on t.oid = a.type left join pg_type te on te.oid = t.typelem and t.typcategory = 'A') as args,
      (select json_agg(json_build_object('name', o.name, 'type', t.typname, 'element', te.typname,
          'category', t.typcategory) order by o.n)
        from unnest(p.proargnames, p.proallargtypes, p.proargmodes) with ordinality as o (name, type, mode, n)
        join pg_type t on t.oid = o.type left join pg_type te on te.oid = t.typelem and t.typcategory = 'A'
        where o.mode = 't') as out
    from pg_proc p
    join pg_type rt on rt.oid = p.prorettype
    left join pg_type rel on rel.oid = rt.typelem and rt.typcategory = 'A'
    where p.pronamespace = $1::regnamespace and p.prokind = 'f' and rt.typname <> 'trigger'
    order by p.proname`, [schema])
  return { enums: enums.rows, relations: relations.rows, columns: columns.rows, foreignKeys: foreignKeys.rows,
    functions: functions.rows }
}

function render(s: Awaited<ReturnType<typeof readSchema>>) {
  const enums = new Set(s.enums.map(e => e.name))
  const out: string[] = []
  const line = (depth: number, text: string) => out.push(`${'  '.repeat(depth)}${text}`)
  const fields = (depth: number, cols: Column[], mode: 'Row' | 'Insert' | 'Update') => {
    for (const c of cols) {
      const type = tsType(c.type, c.element, c.category, enums) + (c.nullable ? ' | null' : '')
      const optional = mode === 'Update' || (mode === 'Insert' && c.optional) ? '?' : ''
      line(depth, `${key(c.name)}${optional}: ${type}`)
    }
  }
  const relationships = (depth: number, table: string) => {
    const keys = s.foreignKeys.filter(k => k.table === table)
    if (!keys.length) return line(depth, 'Relationships: []')
    line(depth, 'Relationships: [')
    for (const k of keys) {
      line(depth + 1, '{')
      line(depth + 2, `foreignKeyName: '${k.name}'`)
      line(depth + 2, `columns: [${k.columns.map(c => `'${c}'`).join(', ')}]`)
      line(depth + 2, `isOneToOne: ${k.one}`)
      line(depth + 2, `referencedRelation: '${k.referenced}'`)
      line(depth + 2, `referencedColumns: [${k.referencedColumns.map(c => `'${c}'`).join(', ')}]`)
      line(depth + 1, '},')
    }
    line(depth, ']')
  }
  const group = (name: string, items: string[], body: (item: string) => void) => {
    if (!items.length) return line(2, `${name}: { [_ in never]: never }`)
    line(2, `${name}: {`)
    items.forEach(body)
    line(2, '}')
  }

  out.push('// Generated by `npm run db:types` from supabase/migrations; do not edit by hand.')
  out.push('export type Json = string | number | boolean | null | { [key: string]: Json | undefined } | Json[]', '')
  out.push('export type Database = {')
  line(1, '__InternalSupabase: { PostgrestVersion: \'13\' }')
  line(1, `${schema}: {`)
  const tables = s.relations.filter(r => r.kind === 'r' || r.kind === 'p').map(r => r.name)
  const views = s.relations.filter(r => r.kind === 'v' || r.kind === 'm').map(r => r.name)
  group('Tables', tables, (table) => {
    const cols = s.columns.filter(c => c.table === table)
    line(3, `${key(table)}: {`)
    for (const mode of ['Row', 'Insert', 'Update'] as const) {
      line(4, `${mode}: {`)
      fields(5, cols, mode)
      line(4, '}')
    }
    relationships(4, table)
    line(3, '}')
  })
  group('Views', views, (view) => {
    line(3, `${key(view)}: {`)
    line(4, 'Row: {')
    fields(5, s.columns.filter(c => c.table === view), 'Row')
    line(4, '}')
    relationships(4, view)
    line(3, '}')
  })
  group('Functions', s.functions.map(f => f.name), (name) => {
    const f = s.functions.find(fn => fn.name === name)!
    line(3, `${key(name)}: {`)
    const args = f.args ?? []
    if (!args.length) line(4, 'Args: never')
    else {
      line(4, 'Args: {')
      for (const a of args) {
        line(5, `${key(a.name)}${a.optional ? '?' : ''}: ${tsType(a.type, a.element, a.category, enums)}`)
      }
      line(4, '}')
    }
    if (f.out?.length) {
      line(4, 'Returns: {')
      for (const o of f.out) line(5, `${key(o.name)}: ${tsType(o.type, o.element, o.category, enums)}`)
      line(4, `}${f.set ? '[]' : ''}`)
    }
    else line(4, `Returns: ${tsType(f.returns, f.element, f.category, enums)}${f.set ? '[]' : ''}`)
    line(3, '}')
  })
  group('Enums', s.enums.map(e => e.name), (name) => {
    const labels = s.enums.find(e => e.name === name)!.labels
    line(3, `${key(name)}: ${labels.map(l => `'${l}'`).join(' | ')}`)
  })
  line(2, 'CompositeTypes: { [_ in never]: never }')
  line(1, '}')
  out.push('}', '')
  out.push(`type PublicSchema = Database['${schema}']`, '')
  out.push('/** A row of a table or view, e.g. `Tables<\'residents\'>`. */')
  out.push('export type Tables<T extends keyof (PublicSchema[\'Tables\'] & PublicSchema[\'Views\'])> =')
  out.push('  (PublicSchema[\'Tables\'] & PublicSchema[\'Views\'])[T] extends { Row: infer R } ? R : never', '')
  out.push('/** What an insert into a table takes. */')
  out.push('export type TablesInsert<T extends keyof PublicSchema[\'Tables\']> =')
  out.push('  PublicSchema[\'Tables\'][T][\'Insert\']', '')
  out.push('/** What an update of a table takes. */')
  out.push('export type TablesUpdate<T extends keyof PublicSchema[\'Tables\']> =')
  out.push('  PublicSchema[\'Tables\'][T][\'Update\']', '')
  out.push('/** The values of an enum, e.g. `Enums<\'member_role\'>`. */')
  out.push('export type Enums<T extends keyof PublicSchema[\'Enums\']> = PublicSchema[\'Enums\'][T]', '')
  return out.join('\n')
}

async function main() {
  let stop = async () => {}
  let url = process.env.DATABASE_URL
  if (!url) {
    const stack = await startThrowawayStack('types')
    url = stack.dbUrl
    stop = () => stack.stop()
  }
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    writeFileSync(target, render(await readSchema(db)))
    console.log(`Wrote ${target}`)
  }
  finally {
    await db.end()
    await stop()
  }
}

await main()
