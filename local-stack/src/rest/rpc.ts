import { RestError } from './errors.ts'
import { relationKey, type Routine, type SchemaCache } from './schema.ts'
import { ident, qualified, type Params } from './sql.ts'

/** Arguments of a call: query-string values (GET/HEAD) or a JSON body (POST). */
export type RpcInput
  = | { kind: 'query', values: Map<string, string> }
    | { kind: 'body', body: unknown }

function singleJsonParam(routine: Routine) {
  const [only] = routine.args
  return routine.args.length === 1 && only.name === '' && /^jsonb?$/.test(only.type)
}

function fits(routine: Routine, names: string[]) {
  const argNames = new Set(routine.args.map(a => a.name))
  return names.every(n => argNames.has(n))
    && routine.args.every(a => a.hasDefault || names.includes(a.name))
}

/** The argument names a call provides. */
export function inputNames(input: RpcInput): string[] {
  if (input.kind === 'query') return [...input.values.keys()]
  const body = input.body
  return body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : []
}

/** All argument names of the functions with this name, to tell arguments from filters in a GET. */
export function argumentNames(cache: SchemaCache, schema: string, name: string): Set<string> {
  const overloads = cache.routines.get(relationKey(schema, name)) ?? []
  return new Set(overloads.flatMap(r => r.args.map(a => a.name)))
}

/** Picks the overload a call means, or fails with PGRST202 (none) / PGRST203 (several). */
export function findRoutine(cache: SchemaCache, schema: string, name: string, input: RpcInput): Routine {
  const overloads = cache.routines.get(relationKey(schema, name)) ?? []
  const names = inputNames(input)
  const bodyIsObject = input.kind === 'body' && input.body !== undefined
    && input.body !== null && typeof input.body === 'object' && !Array.isArray(input.body)
  const named = input.kind === 'query' || bodyIsObject || input.body === undefined
  let found = overloads.filter(r => named && !singleJsonParam(r) && fits(r, names))
  if (found.length === 0 && input.kind === 'body') found = overloads.filter(singleJsonParam)
  if (found.length === 1) return found[0]
  const signature = `${schema}.${name}(${[...names].sort().join(', ')})`
  if (found.length === 0) {
    const withArgs = names.length
      ? `with parameters ${[...names].sort().join(', ')}`
      : 'without parameters'
    throw new RestError(404, 'PGRST202', `Could not find the function ${signature} in the schema cache`,
      `Searched for the function ${schema}.${name} ${withArgs} or with a single unnamed `
      + 'json/jsonb parameter, '
      + 'but no matches were found in the schema cache.', null)
  }
  throw new RestError(300, 'PGRST203', `Could not choose the best candidate function between: ${found
    .map(r => `${schema}.${name}(${r.args.map(a => `${a.name} => ${a.type}`).join(', ')})`).join(', ')}`,
  null, 'Try renaming the parameters or the function itself in the database '
  + 'so function overloading can be resolved')
}

/** The call expression and, for a JSON body, the FROM item that turns the body into typed arguments. */
export function callSql(routine: Routine, input: RpcInput, params: Params) {
  const fn = qualified(routine.schema, routine.name)
  if (input.kind === 'body' && singleJsonParam(routine)) {
    const body = params.add(JSON.stringify(input.body ?? {}))
    return { call: `${fn}(${body}::${routine.args[0].type})`, from: '' }
  }
  const names = inputNames(input)
  const args = routine.args.filter(a => names.includes(a.name))
  if (input.kind === 'query') {
    const list = args.map(a => `${ident(a.name)} := ${params.add(input.values.get(a.name))}::${a.type}`)
    return { call: `${fn}(${list.join(', ')})`, from: '' }
  }
  if (args.length === 0) return { call: `${fn}()`, from: '' }
  // The catalog's own type names (format_type) convert each JSON value as PostgREST does.
  const columns = args.map(a => `${ident(a.name)} ${a.type}`).join(', ')
  const body = params.add(JSON.stringify(input.body))
  const from = `json_to_record(${body}::json) as "pgrst_args"(${columns})`
  const list = args.map(a => `${ident(a.name)} := "pgrst_args".${ident(a.name)}`)
  return { call: `${fn}(${list.join(', ')})`, from }
}
