import { runStatement, type RestCall, type Outcome } from './call.ts'
import { RestError } from './errors.ts'
import { ReadBuilder } from './read.ts'
import { parseQuery } from './request.ts'
import { argumentNames, callSql, findRoutine, type RpcInput } from './rpc.ts'
import { Params } from './sql.ts'
import { checkSingle, runRead } from './table.ts'

/** GET/HEAD/POST /rpc/fn: calls a function as the caller, shaping its result like PostgREST. */
export async function callFunction(call: RestCall, name: string): Promise<Outcome> {
  const readByGet = call.method === 'GET' || call.method === 'HEAD'
  if (!readByGet && call.method !== 'POST') {
    throw new RestError(405, 'PGRST101', 'Only GET, HEAD and POST are allowed for calling functions')
  }
  const argNames = readByGet ? argumentNames(call.cache, call.schema, name) : undefined
  const parts = parseQuery(call.url.searchParams, argNames)
  const input: RpcInput = readByGet
    ? { kind: 'query', values: parts.args }
    : { kind: 'body', body: call.body }
  const routine = findRoutine(call.cache, call.schema, name, input)
  const readOnly = readByGet || routine.volatility !== 'v'
  const params = new Params()
  const { call: fn, from } = callSql(routine, input, params)
  const prefix = from ? `${from} cross join lateral ` : ''

  if (routine.returns === 'composite') {
    const relation = routine.returnsRelation
      ? call.cache.relations.get(routine.returnsRelation)
      : undefined
    const builder = new ReadBuilder(call.cache, params, parts.levels)
    const built = builder.level(relation, '"t0"', parts.select)
    builder.checkLevelsUsed()
    const root = parts.levels.get('')!
    return runRead(call, `${prefix}${fn} as "t0"`, built, root, params, readOnly, routine.returnsSet)
  }

  let statement: string
  const fromClause = from ? ` from ${from}` : ''
  if (routine.returns === 'void') {
    statement = 'select null::bigint as total, 0 as page, null::text as body'
      + ` from (select ${fn}${fromClause}) as "pgrst_r"`
  }
  else if (routine.returnsSet) {
    const root = parts.levels.get('')!
    const limit = Math.min(root.limit ?? 1000, 1000)
    const inner = `select "pgrst_v" from ${prefix}${fn} as "pgrst_v"`
      + ` limit ${limit} offset ${root.offset ?? 0}`
    const body = call.accept.kind === 'single'
      ? '(json_agg("pgrst_r"."pgrst_v")->0)::text'
      : 'coalesce(json_agg("pgrst_r"."pgrst_v"), \'[]\')::text'
    statement = `select null::bigint as total, count(*)::int as page, ${body} as body`
      + ` from (${inner}) as "pgrst_r"`
  }
  else {
    statement = `select null::bigint as total, 1 as page, to_json(${fn})::text as body${fromClause}`
  }
  return call.run(readOnly, async (client): Promise<Outcome> => {
    const { rows: [row] } = await runStatement(call, client, statement, params.values)
    if (routine.returns === 'void') return { status: 204, headers: {} }
    checkSingle(call, row.page)
    const range = routine.returnsSet ? `${row.page ? `0-${row.page - 1}` : '*'}/*` : '0-0/*'
    return { status: 200, body: row.body ?? 'null', headers: { 'content-range': range } }
  })
}
