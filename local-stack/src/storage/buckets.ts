import type pg from 'pg'
import { sendJson } from '../http.ts'
import { callerClaims, ownerOf } from './caller.ts'
import { errors } from './errors.ts'
import { mustBeValidBucketName, parseSizeLimit } from './keys.ts'
import { jsonBody, type StorageRequest } from './route.ts'
import { asCaller } from './rows.ts'

const bucketColumns = 'id, name, owner, public, file_size_limit, allowed_mime_types, created_at, updated_at, type'
const sortColumns = new Set(['id', 'name', 'created_at', 'updated_at'])

function mimeList(value: unknown) {
  if (value === undefined || value === null) return null
  if (!Array.isArray(value) || !value.every(mime => typeof mime === 'string' && /^[\w.+-]+\/[\w.+*-]+$/.test(mime))) {
    throw errors.invalidRequest('allowed_mime_types must be a list of MIME types such as image/png or image/*')
  }
  return value as string[]
}

async function mustSeeBucket(client: pg.ClientBase, id: string) {
  const { rows } = await client.query(`select ${bucketColumns} from storage.buckets where id = $1`, [id])
  if (!rows[0]) throw errors.noSuchBucket()
  return rows[0]
}

/** GET /bucket?limit&offset&search&sortColumn&sortOrder: the buckets the caller may see. */
export async function listBuckets(r: StorageRequest) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const query = r.url.searchParams
  const column = sortColumns.has(query.get('sortColumn') ?? '') ? query.get('sortColumn')! : 'name'
  const order = query.get('sortOrder')?.toLowerCase() === 'desc' ? 'desc' : 'asc'
  const limit = query.has('limit') ? Number(query.get('limit')) : null
  const offset = Number(query.get('offset') ?? 0)
  if ((limit !== null && !(Number.isInteger(limit) && limit >= 0)) || !(Number.isInteger(offset) && offset >= 0)) {
    throw errors.invalidRequest('limit and offset must be whole numbers, at least 0')
  }
  const rows = await asCaller(r, claims, 'storage.bucket.list', async (client) => {
    const result = await client.query(`select ${bucketColumns} from storage.buckets
      where $1::text is null or name ilike '%' || $1 || '%'
      order by ${column} ${order} limit $2 offset $3`, [query.get('search') || null, limit, offset])
    return result.rows
  })
  sendJson(r.res, 200, rows)
}

/** GET /bucket/{id}. */
export async function getBucket(r: StorageRequest, id: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  sendJson(r.res, 200, await asCaller(r, claims, 'storage.bucket.get', client => mustSeeBucket(client, id)))
}

/** POST /bucket `{id, name, public, file_size_limit, allowed_mime_types}` → `{name}`. */
export async function createBucket(r: StorageRequest) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const body = await jsonBody(r.req)
  const name = body.name ?? body.id
  mustBeValidBucketName(name)
  const id = body.id ?? name
  mustBeValidBucketName(id)
  const { owner, ownerId } = ownerOf(claims)
  const values = [id, name, owner, ownerId, body.public === true, parseSizeLimit(body.file_size_limit),
    mimeList(body.allowed_mime_types)]
  await asCaller(r, claims, 'storage.bucket.create', client => client.query(`insert into storage.buckets
    (id, name, owner, owner_id, public, file_size_limit, allowed_mime_types)
    values ($1, $2, $3, $4, $5, $6, $7)`, values), errors.bucketExists)
  sendJson(r.res, 200, { name })
}

/** PUT /bucket/{id}: changes only the settings the body names. */
export async function updateBucket(r: StorageRequest, id: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const body = await jsonBody(r.req)
  const changes: [string, unknown][] = []
  if (body.public !== undefined) changes.push(['public', body.public === true])
  if (body.file_size_limit !== undefined) changes.push(['file_size_limit', parseSizeLimit(body.file_size_limit)])
  if (body.allowed_mime_types !== undefined) changes.push(['allowed_mime_types', mimeList(body.allowed_mime_types)])
  const sets = changes.map(([column], i) => `${column} = $${i + 2}`).concat('updated_at = now()')
  await asCaller(r, claims, 'storage.bucket.update', async (client) => {
    const { rowCount } = await client.query(`update storage.buckets set ${sets.join(', ')} where id = $1`,
      [id, ...changes.map(([, value]) => value)])
    if (!rowCount) throw errors.noSuchBucket()
  })
  sendJson(r.res, 200, { message: 'Successfully updated' })
}

/** POST /bucket/{id}/empty: removes every object the caller may delete. */
export async function emptyBucket(r: StorageRequest, id: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  await asCaller(r, claims, 'storage.bucket.empty', async (client) => {
    await mustSeeBucket(client, id)
    const { rows } = await client.query<{ name: string }>(
      'delete from storage.objects where bucket_id = $1 returning name', [id])
    for (const row of rows) await r.store.remove(id, row.name)
  })
  sendJson(r.res, 200, { message: 'Successfully emptied' })
}

/** DELETE /bucket/{id}: only an empty bucket. */
export async function deleteBucket(r: StorageRequest, id: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  await asCaller(r, claims, 'storage.bucket.delete', async (client) => {
    await mustSeeBucket(client, id)
    // Counted as the stack: an object the caller cannot see still keeps the bucket.
    const { rows } = await r.ctx.db.admin.query('select 1 from storage.objects where bucket_id = $1 limit 1', [id])
    if (rows.length > 0) throw errors.bucketNotEmpty()
    const { rowCount } = await client.query('delete from storage.buckets where id = $1', [id])
    if (!rowCount) throw errors.noSuchBucket()
  })
  await r.store.removeBucket(id)
  sendJson(r.res, 200, { message: 'Successfully deleted' })
}
