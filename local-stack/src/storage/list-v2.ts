import { sendJson } from '../http.ts'
import { callerClaims } from './caller.ts'
import { errors } from './errors.ts'
import { jsonBody, type StorageRequest } from './route.ts'
import { asCaller } from './rows.ts'

interface Entry {
  id: string | null
  name: string
  updated_at: string | null
  created_at: string | null
  last_accessed_at: string | null
  metadata: unknown
}

const sortColumns = new Set(['name', 'updated_at', 'created_at'])

// The cursor is opaque to clients; here it is the position of the next entry.
function decodeCursor(cursor: unknown) {
  if (cursor === undefined || cursor === null || cursor === '') return 0
  const match = typeof cursor === 'string' ? /^n:(\d+)$/.exec(Buffer.from(cursor, 'base64').toString()) : null
  if (!match) throw errors.invalidRequest('Invalid continuation token')
  return Number(match[1])
}

function encodeCursor(offset: number) {
  return Buffer.from(`n:${offset}`).toString('base64')
}

function options(body: Record<string, unknown>) {
  const limit = body.limit ?? 1000
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
    throw errors.invalidRequest('body/limit must be a whole number, at least 1')
  }
  const sortBy = (body.sortBy ?? {}) as { column?: unknown, order?: unknown }
  const column = sortBy.column ?? 'name'
  if (typeof column !== 'string' || !sortColumns.has(column)) {
    throw errors.invalidRequest('body/sortBy/column must be one of name, updated_at, created_at')
  }
  if (body.prefix !== undefined && typeof body.prefix !== 'string') {
    throw errors.invalidRequest('body/prefix must be a string')
  }
  return {
    prefix: (body.prefix as string | undefined) ?? '',
    limit: Math.min(limit, 1000),
    offset: decodeCursor(body.cursor),
    delimiter: body.with_delimiter === true,
    column,
    order: sortBy.order === 'desc' ? 'desc' : 'asc',
  }
}

/**
 * POST /object/list-v2/{bucket}: objects under a prefix with full keys, and
 * with `with_delimiter` the sub-folders apart, paged by an opaque cursor.
 */
export async function listV2(r: StorageRequest, bucket: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const o = options(await jsonBody(r.req))
  // Sorted by name, folders and files interleave; by a date, folders (which have none) come first.
  const entries = await asCaller(r, claims, 'storage.object.list_v2', async (client) => {
    const { rows } = await client.query<Entry>(`
      with matched as (
        select id, name, updated_at, created_at, last_accessed_at, metadata,
               substr(name, length($2) + 1) as rest
        from storage.objects where bucket_id = $1 and left(name, length($2)) = $2
      ),
      entries as (
        select distinct $2 || split_part(rest, '/', 1) || '/' as name, null::uuid as id,
               null::timestamptz as updated_at, null::timestamptz as created_at,
               null::timestamptz as last_accessed_at, null::jsonb as metadata, 0 as kind
        from matched where $3 and position('/' in rest) > 0
        union all
        select name, id, updated_at, created_at, last_accessed_at, metadata, 1
        from matched where not $3 or position('/' in rest) = 0
      )
      select id, name, updated_at, created_at, last_accessed_at, metadata from entries
      order by ${o.column === 'name' ? '' : 'kind, '}${o.column} ${o.order}, name collate "C" ${o.order}
      limit $4 offset $5`, [bucket, o.prefix, o.delimiter, o.limit + 1, o.offset])
    return rows
  })
  const hasNext = entries.length > o.limit
  const page = entries.slice(0, o.limit)
  sendJson(r.res, 200, {
    hasNext,
    ...(hasNext ? { nextCursor: encodeCursor(o.offset + o.limit) } : {}),
    folders: page.filter(entry => entry.id === null).map(entry => ({ name: entry.name, key: entry.name })),
    objects: page.filter(entry => entry.id !== null).map(entry => ({ ...entry, key: entry.name })),
  })
}
