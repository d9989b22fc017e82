import { resolveRelationship, type Relationship } from './embed.ts'
import { RestError } from './errors.ts'
import type { Condition, Filter, OrderTerm, SelectItem } from './parse.ts'
import { relationKey, type Relation, type SchemaCache } from './schema.ts'
import { conditionSql, fieldSql, ident, orderSql, outputName, qualified } from './sql.ts'
import type { Params, Source } from './sql.ts'

/** Filters, order and paging that apply to one level of the select tree ('' is the top). */
export interface Level {
  conditions: Condition[]
  order: OrderTerm[]
  limit?: number
  offset?: number
}

interface Join { sql: string, filters: boolean }

/** The SQL pieces of one level: its columns, joins and WHERE conditions. */
export interface BuiltLevel {
  columns: string[]
  joins: Join[]
  where: string[]
  order: string
  /** The output keys, needed when a spread lifts them into the parent. */
  names: string[]
}

const isSql: Record<string, string> = {
  null: 'is null', not_null: 'is not null', true: 'is true', false: 'is false', unknown: 'is unknown',
}

function paging(level: Level | undefined) {
  let sql = ''
  if (level?.limit !== undefined) sql += ` limit ${level.limit}`
  if (level?.offset) sql += ` offset ${level.offset}`
  return sql
}

/** Builds the SELECT of a read, with embedded resources as lateral joins aggregated to JSON. */
export class ReadBuilder {
  private aliases = 0
  private readonly usedPaths = new Set<string>()

  constructor(
    private readonly cache: SchemaCache,
    readonly params: Params,
    private readonly levels: Map<string, Level>,
  ) {}

  /** Builds one level; `relation` is undefined for results without a known table (e.g. functions). */
  level(relation: Relation | undefined, alias: string, select: SelectItem[], path = ''): BuiltLevel {
    this.usedPaths.add(path)
    const built: BuiltLevel = { columns: [], joins: [], where: [], order: '', names: [] }
    const embeds = new Map<string, { alias: string, rel: Relationship, join: Join }>()
    const source = this.source(relation, alias)

    for (const item of select) {
      if (item.type === 'star') {
        built.columns.push(`${alias}.*`)
        built.names.push(...relation?.columns.keys() ?? [])
      }
      else if (item.type === 'column') {
        const name = outputName(item.field, item.alias)
        const sql = fieldSql(source, item.field, this.params)
        built.columns.push(`${item.cast ? `(${sql})::${item.cast}` : sql} as ${ident(name)}`)
        built.names.push(name)
      }
      else {
        const key = item.alias ?? item.name
        const embedded = this.embed(relation, alias, item, path ? `${path}.${key}` : key, built)
        embeds.set(key, embedded)
      }
    }

    const level = this.levels.get(path)
    const types = (name: string) => relation?.columns.get(name)?.type
    const onEmbed = (filter: Filter) => {
      const embed = embeds.get(filter.field.name)
      if (!embed || filter.op !== 'is') return undefined
      embed.join.filters = true
      const sql = `${embed.alias}.body ${isSql[filter.value.toLowerCase()]}`
      return filter.negate ? `not (${sql})` : sql
    }
    for (const condition of level?.conditions ?? []) {
      built.where.push(conditionSql(source, condition, this.params, types, onEmbed))
    }
    const related = (term: OrderTerm) => {
      const embed = embeds.get(term.embed!)
      if (!embed?.rel.toOne) {
        throw new RestError(400, 'PGRST118', `A related order on '${term.embed}' is not possible`, null,
          'Order by columns of to-one (many-to-one or one-to-one) embedded resources.')
      }
      const target = `"o${++this.aliases}"`
      const column = fieldSql(target, term.field, this.params)
      const fn = embed.rel.computed
      if (fn) {
        return `(select ${column} from ${qualified(fn.schema, fn.name)}(${alias}) as ${target} limit 1)`
      }
      const on = embed.rel.pairs
        .map(([p, c]) => `${target}.${ident(c)} = ${alias}.${ident(p)}`).join(' and ')
      return `(select ${column} from ${embed.rel.target.qualified} as ${target} where ${on})`
    }
    if (level?.order.length) {
      built.order = ` order by ${orderSql(source, level.order, this.params, related)}`
    }
    return built
  }

  /** Columns of a relation, and its computed fields: functions of its row that return a scalar. */
  private source(relation: Relation | undefined, alias: string): Source {
    const computed = relation && this.cache.computed.get(relationKey(relation.schema, relation.name))
    if (!computed?.size) return alias
    return (name: string) => {
      const fn = relation!.columns.has(name) ? undefined : computed.get(name)
      if (fn?.returns === 'scalar' && !fn.returnsSet) return `${qualified(fn.schema, fn.name)}(${alias})`
      return `${alias}.${ident(name)}`
    }
  }

  private embed(
    parent: Relation | undefined,
    parentAlias: string,
    item: Extract<SelectItem, { type: 'embed' }>,
    path: string,
    built: BuiltLevel,
  ) {
    if (!parent) {
      throw new RestError(400, 'PGRST200',
        `Could not find a relationship for '${item.name}' in the schema cache`,
        'Only results that are rows of a table can embed related resources.')
    }
    const rel = resolveRelationship(this.cache, parent, item.name, item.hint)
    const n = ++this.aliases
    const alias = `"t${n}"`
    const joinAlias = `"e${n}"`
    const child = this.level(rel.target, alias, item.select, path)

    const on = rel.junction
      ? [`exists (select 1 from ${rel.junction.relation.qualified} as "j${n}" where `
        + [
          ...rel.junction.parentPairs
            .map(([j, p]) => `"j${n}".${ident(j)} = ${parentAlias}.${ident(p)}`),
          ...rel.junction.targetPairs.map(([j, t]) => `"j${n}".${ident(j)} = ${alias}.${ident(t)}`),
        ].join(' and ') + ')']
      : rel.pairs.map(([p, c]) => `${alias}.${ident(c)} = ${parentAlias}.${ident(p)}`)
    const from = rel.computed
      ? `${qualified(rel.computed.schema, rel.computed.name)}(${parentAlias})`
      : rel.target.qualified
    const where = [...rel.computed ? [] : on, ...child.where]
    const inner = `select ${child.columns.join(', ')} from ${from} as ${alias}`
      + child.joins.map(j => ` ${j.sql}`).join('')
      + ` where ${where.length ? where.join(' and ') : 'true'}`
      + `${child.order}${paging(this.levels.get(path))}`

    const lateral = (sql: string) => item.inner && rel.toOne
      ? `cross join lateral (${sql}) as ${joinAlias}`
      : `left join lateral (${sql}) as ${joinAlias} on true`
    let join: Join
    if (item.spread && rel.toOne) {
      join = { sql: lateral(inner), filters: item.inner }
      built.columns.push(`${joinAlias}.*`)
      built.names.push(...child.names)
    }
    else if (item.spread) {
      const arrays = child.names
        .map(name => `coalesce(json_agg("pgrst_x".${ident(name)}), '[]') as ${ident(name)}`)
      join = { sql: lateral(`select ${arrays.join(', ')} from (${inner}) as "pgrst_x"`), filters: false }
      built.columns.push(`${joinAlias}.*`)
      built.names.push(...child.names)
    }
    else {
      const aggregate = rel.toOne ? 'row_to_json("pgrst_x")' : 'json_agg("pgrst_x")'
      const sql = lateral(`select ${aggregate} as body from (${inner}) as "pgrst_x"`)
      join = { sql, filters: item.inner }
      if (item.select.length) {
        const key = item.alias ?? item.name
        const value = rel.toOne ? `${joinAlias}.body` : `coalesce(${joinAlias}.body, '[]')`
        built.columns.push(`${value} as ${ident(key)}`)
        built.names.push(key)
      }
      if (item.inner && !rel.toOne) built.where.push(`${joinAlias}.body is not null`)
    }
    built.joins.push(join)
    return { alias: joinAlias, rel, join }
  }

  /** Fails like PostgREST when a filter or order names an embed that the select does not have. */
  checkLevelsUsed() {
    for (const path of this.levels.keys()) {
      if (this.usedPaths.has(path)) continue
      const name = path.split('.')
        .find((_, i, all) => !this.usedPaths.has(all.slice(0, i + 1).join('.')))
      throw new RestError(400, 'PGRST108', `'${name}' is not an embedded resource in this request`, null,
        `Verify that '${name}' is included in the 'select' query parameter.`)
    }
  }
}

export interface ReadOptions {
  limit?: number
  offset?: number
  /** Count all matching rows, without paging, as `total`. */
  exactCount: boolean
}

/**
 * One statement that answers a read: `total` (when counted), `page` (rows returned)
 * and `body`, the rows as one JSON text built by Postgres itself.
 */
export function readStatement(from: string, built: BuiltLevel, options: ReadOptions, bodySql: string) {
  const where = built.where.length ? ` where ${built.where.join(' and ')}` : ''
  const joins = built.joins.map(j => ` ${j.sql}`).join('')
  let inner = `select ${built.columns.join(', ')} from ${from}${joins}${where}${built.order}`
  if (options.limit !== undefined) inner += ` limit ${options.limit}`
  if (options.offset) inner += ` offset ${options.offset}`
  const filteringJoins = built.joins.filter(j => j.filters).map(j => ` ${j.sql}`).join('')
  const total = options.exactCount ? `(select count(*) from ${from}${filteringJoins}${where})` : 'null'
  return `select ${total}::bigint as total, count(*)::int as page, ${bodySql} as body`
    + ` from (${inner}) as "pgrst_r"`
}

/** The FROM text and row count estimate query for `count=planned`. */
export function plannedCountStatement(from: string, built: BuiltLevel) {
  const where = built.where.length ? ` where ${built.where.join(' and ')}` : ''
  const joins = built.joins.filter(j => j.filters).map(j => ` ${j.sql}`).join('')
  return `explain (format json) select 1 from ${from}${joins}${where}`
}
