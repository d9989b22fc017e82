import { sendJson } from '../http.ts'
import { callerClaims, optionalCallerClaims } from './caller.ts'
import { sendObject } from './download.ts'
import { errors } from './errors.ts'
import { mustBeValidKey } from './keys.ts'
import { jsonBody, type StorageRequest } from './route.ts'
import { asCaller, bucketLimits, findObject, mustFindObject, type ObjectRow } from './rows.ts'
import { expiresInOf, signDownload, verifyDownload } from './signing.ts'

/** How a read route knows its caller: a valid token required, optional, or not asked for. */
export type ReadAccess = 'authenticated' | 'optional' | 'public'

/**
 * Finds an object the way storage-api's read routes do: objects of a public
 * bucket are read without RLS; a private bucket needs a valid token (else
 * "Bucket not found") and then the caller's SELECT policy decides.
 */
async function findReadable(r: StorageRequest, bucket: string, key: string, access: ReadAccess) {
  mustBeValidKey(key)
  const claims = access === 'public'
    ? undefined
    : access === 'optional'
      ? await optionalCallerClaims(r.ctx, r.req, r.url)
      : await callerClaims(r.ctx, r.req, r.url)
  const limits = await bucketLimits(r.ctx, bucket)
  if (limits.public) return mustFindObject(r.ctx.db.admin, bucket, key)
  if (!claims) throw errors.noSuchBucket()
  return asCaller(r, claims, 'storage.object.get', client => mustFindObject(client, bucket, key))
}

/** GET/HEAD /object/{bucket}/{key}, /object/authenticated/… and /object/public/…: the bytes. */
export async function download(r: StorageRequest, bucket: string, key: string, access: ReadAccess) {
  await sendObject(r.req, r.res, r.url, r.store, await findReadable(r, bucket, key, access))
}

/** The shape storage-api gives for `/object/info` (storage-js turns it into camelCase). */
function infoOf(row: ObjectRow) {
  return {
    id: row.id,
    name: row.name,
    version: row.version,
    bucket_id: row.bucket_id,
    size: row.metadata?.size ?? null,
    content_type: row.metadata?.mimetype ?? null,
    cache_control: row.metadata?.cacheControl ?? null,
    etag: row.metadata?.eTag ?? null,
    metadata: row.user_metadata,
    last_modified: row.metadata?.lastModified ?? row.updated_at,
    created_at: row.created_at,
    updated_at: row.updated_at,
    last_accessed_at: row.last_accessed_at,
  }
}

/** GET /object/info/{bucket}/{key} (and /authenticated/, /public/): the object's details. */
export async function info(r: StorageRequest, bucket: string, key: string, access: ReadAccess) {
  sendJson(r.res, 200, infoOf(await findReadable(r, bucket, key, access)))
}

function numberOption(value: unknown, fallback: number, name: string) {
  if (value === undefined || value === null) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw errors.invalidRequest(`body/${name} must be a whole number, at least 0`)
  }
  return value
}

/** POST /object/list/{bucket}: one folder level, as the caller sees it. */
export async function list(r: StorageRequest, bucket: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const body = await jsonBody(r.req)
  if (typeof body.prefix !== 'string') throw errors.invalidRequest('body must have required property \'prefix\'')
  const prefix = body.prefix.replace(/^\/+/, '')
  const folder = prefix === '' || prefix.endsWith('/') ? prefix : `${prefix}/`
  const sortBy = (body.sortBy ?? {}) as { column?: unknown, order?: unknown }
  const search = typeof body.search === 'string' ? body.search : ''
  const params = [folder, bucket, numberOption(body.limit, 100, 'limit'), numberOption(body.offset, 0, 'offset'),
    search, typeof sortBy.column === 'string' ? sortBy.column : 'name',
    typeof sortBy.order === 'string' ? sortBy.order : 'asc']
  const rows = await asCaller(r, claims, 'storage.object.list', async (client) => {
    const result = await client.query('select * from storage.search($1, $2, $3, $4, $5, $6, $7)', params)
    return result.rows
  })
  sendJson(r.res, 200, rows)
}

/** POST /object/sign/{bucket}/{key} `{expiresIn}`: a download URL, if the caller may see the object. */
export async function sign(r: StorageRequest, bucket: string, key: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const expiresIn = expiresInOf((await jsonBody(r.req)).expiresIn)
  mustBeValidKey(key)
  await asCaller(r, claims, 'storage.object.sign', client => mustFindObject(client, bucket, key))
  const path = `${bucket}/${key}`
  const token = await signDownload(r.ctx.secrets.jwtSecret, path, expiresIn)
  sendJson(r.res, 200, { signedURL: `/object/sign/${path}?token=${token}` })
}

/** POST /object/sign/{bucket} `{expiresIn, paths}`: one answer per path, an error for those not visible. */
export async function signMany(r: StorageRequest, bucket: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const body = await jsonBody(r.req)
  const expiresIn = expiresInOf(body.expiresIn)
  const paths = body.paths
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every(path => typeof path === 'string')) {
    throw errors.invalidRequest('body/paths must be a list of object names')
  }
  const visible = await asCaller(r, claims, 'storage.object.sign_many', async (client) => {
    const { rows } = await client.query<{ name: string }>(
      'select name from storage.objects where bucket_id = $1 and name = any($2::text[])', [bucket, paths])
    return new Set(rows.map(row => row.name))
  })
  const answers = await Promise.all(paths.map(async (name: string) => {
    if (!visible.has(name)) {
      return { error: 'Either the object does not exist or you do not have access to it', path: name, signedURL: null }
    }
    const token = await signDownload(r.ctx.secrets.jwtSecret, `${bucket}/${name}`, expiresIn)
    return { error: null, path: name, signedURL: `/object/sign/${bucket}/${name}?token=${token}` }
  }))
  sendJson(r.res, 200, answers)
}

/** GET/HEAD /object/sign/{bucket}/{key}?token=…: the token is the permission. */
export async function downloadSigned(r: StorageRequest, bucket: string, key: string) {
  await verifyDownload(r.ctx.secrets.jwtSecret, r.url.searchParams.get('token'), `${bucket}/${key}`)
  const row = await findObject(r.ctx.db.admin, bucket, key)
  if (!row) throw errors.noSuchKey()
  await sendObject(r.req, r.res, r.url, r.store, row)
}
