import type { IncomingMessage, ServerResponse } from 'node:http'

export class BodyTooLarge extends Error {}

/** Reads a request body, refusing more than `limit` bytes. */
export async function readBody(req: IncomingMessage, limit = 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += chunk.length
    if (size > limit) {
      req.resume()
      throw new BodyTooLarge(`Request body is larger than ${limit} bytes`)
    }
    chunks.push(chunk)
  }
  return Buffer.concat(chunks)
}

/** Parses a JSON body; undefined for an empty body, SyntaxError for bad JSON. */
export async function readJson(req: IncomingMessage, limit?: number): Promise<unknown> {
  const body = await readBody(req, limit)
  if (body.length === 0) return undefined
  return JSON.parse(body.toString('utf8'))
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  const text = body === undefined ? '' : JSON.stringify(body)
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  })
  res.end(text)
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}) {
  res.writeHead(status, headers)
  res.end()
}

const exposedHeaders = 'Content-Range, X-Total-Count, Link, X-Supabase-Api-Version, Content-Length, '
  + 'Content-Type, ETag, Last-Modified, Preference-Applied, Proxy-Status, x-sb-error-code'

/** CORS as the Supabase gateway answers it: any origin, the requested headers echoed. */
export function applyCors(req: IncomingMessage, res: ServerResponse) {
  const origin = req.headers.origin
  res.setHeader('access-control-allow-origin', origin ?? '*')
  if (origin) res.setHeader('vary', 'Origin')
  res.setHeader('access-control-allow-credentials', 'true')
  res.setHeader('access-control-expose-headers', exposedHeaders)
  if (req.method === 'OPTIONS') {
    res.setHeader('access-control-allow-methods', 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS')
    res.setHeader('access-control-allow-headers', req.headers['access-control-request-headers']
    ?? 'authorization, apikey, content-type, x-client-info, prefer, range, x-upsert')
    res.setHeader('access-control-max-age', '86400')
    return true
  }
  return false
}
