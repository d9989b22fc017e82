import type { ServerResponse } from 'node:http'
import type { RestError } from './errors.ts'

const jsonType = 'application/json; charset=utf-8'

/** Sends a response whose body is already serialised (by Postgres, mostly). */
export function send(
  res: ServerResponse,
  status: number,
  body: string | undefined,
  headers: Record<string, string>,
  head = false,
) {
  const text = body ?? ''
  const all: Record<string, string | number> = { ...headers }
  if (text !== '' || status !== 204) {
    all['content-type'] ??= jsonType
    all['content-length'] = Buffer.byteLength(text)
  }
  res.writeHead(status, all)
  res.end(head ? undefined : text)
}

/** Sends a PostgREST-shaped error with its Proxy-Status header. */
export function sendError(res: ServerResponse, error: RestError, head = false) {
  if (res.headersSent) {
    res.end()
    return
  }
  send(res, error.status, JSON.stringify(error.body), {
    'proxy-status': `PostgREST; error=${error.code}`,
    ...error.headers,
  }, head)
}

/** Content-Range as PostgREST writes it: `0-9/42`, `*\/0`, or `*` when not counted. */
export function contentRange(offset: number, page: number, total: number | null) {
  const range = page > 0 ? `${offset}-${offset + page - 1}` : '*'
  return `${range}/${total ?? '*'}`
}

function csvValue(value: unknown) {
  if (value === null || value === undefined) return ''
  const text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** Turns the JSON rows Postgres built into CSV with a header line, as `.csv()` expects. */
export function toCsv(json: string): string {
  const rows = JSON.parse(json) as Record<string, unknown>[]
  if (rows.length === 0) return ''
  const names = Object.keys(rows[0])
  const lines = [names.map(csvValue).join(',')]
  for (const row of rows) lines.push(names.map(name => csvValue(row[name])).join(','))
  return lines.join('\n')
}
