import type pg from 'pg'

/** An error answered in PostgREST's shape: `{code, message, details, hint}` with its HTTP status. */
export class RestError extends Error {
  constructor(
    public readonly status: number,
    public readonly code: string,
    message: string,
    public readonly details: string | null | object[] = null,
    public readonly hint: string | null = null,
    public readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }

  get body() {
    return { code: this.code, details: this.details, hint: this.hint, message: this.message }
  }
}

/** A query string or header PostgREST could not parse (PGRST100). */
export function parseError(message: string, details: string | null = null) {
  return new RestError(400, 'PGRST100', message, details)
}

/** SQLSTATE → HTTP status, following PostgREST's mapping (Error.hs, errors.rst). */
export function statusOfSqlState(state: string, message: string, authenticated: boolean): number {
  const exact: Record<string, number> = {
    '21000': /requires a WHERE clause/.test(message) ? 400 : 500,
    '22023': /^role .* does not exist/.test(message) ? 401 : 400,
    '23503': 409,
    '23505': 409,
    '25006': 405,
    '42883': 404,
    '42P01': 404,
    '42P17': 500,
    '42501': authenticated ? 403 : 401,
    '53400': 500,
    '57P01': 503,
    'P0001': 400,
  }
  if (state in exact) return exact[state]
  const prefixes: [string, number][] = [
    ['08', 503], ['09', 500], ['0L', 403], ['0P', 403], ['28', 403], ['25', 500], ['2D', 500],
    ['38', 500], ['39', 500], ['3B', 500], ['40', 500], ['53', 503], ['54', 500], ['55', 500],
    ['57', 500], ['58', 500], ['F0', 500], ['HV', 500], ['XX', 500], ['P0', 500],
  ]
  for (const [prefix, status] of prefixes) if (state.startsWith(prefix)) return status
  const custom = state.match(/^PT(\d{3})$/)
  if (custom) return Number(custom[1])
  return 400
}

function parseJson(text: string | undefined): Record<string, unknown> | undefined {
  if (!text) return undefined
  try {
    const value = JSON.parse(text)
    return value && typeof value === 'object' ? value as Record<string, unknown> : undefined
  }
  catch {
    return undefined
  }
}

/** Turns a Postgres error into PostgREST's answer, including `raise sqlstate 'PGRST'`. */
export function fromDatabaseError(error: pg.DatabaseError, authenticated: boolean): RestError {
  const state = error.code ?? 'XX000'
  if (state === 'PGRST') {
    const body = parseJson(error.message)
    const detail = parseJson(error.detail)
    if (body && detail && typeof detail.status === 'number') {
      const headers = Object.fromEntries(Object.entries(detail.headers ?? {})
        .map(([k, v]) => [k, String(v)]))
      const text = (value: unknown) => value == null ? null : String(value)
      return new RestError(detail.status, String(body.code ?? ''), String(body.message ?? ''),
        text(body.details), text(body.hint), headers)
    }
    return new RestError(500, 'PGRST121', 'Could not parse JSON in the "RAISE SQLSTATE \'PGRST\'" error',
      null, 'The message must be a JSON object with code and message, the detail one with a status')
  }
  const status = statusOfSqlState(state, error.message, authenticated)
  return new RestError(status, state, error.message, error.detail ?? null, error.hint ?? null)
}
