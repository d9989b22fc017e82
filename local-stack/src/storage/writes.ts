import { randomUUID } from 'node:crypto'
import { headerValue } from '../context.ts'
import { sendJson } from '../http.ts'
import type { JwtClaims } from '../jwt.ts'
import { callerClaims, ownerOf } from './caller.ts'
import { errors } from './errors.ts'
import { mustBeValidBucketName, mustBeValidKey } from './keys.ts'
import { jsonBody, requiredString, type StorageRequest } from './route.ts'
import { asCaller, bucketLimits, mustFindObject, objectColumns, probe, writeObject, type ObjectMetadata,
  type ObjectRow } from './rows.ts'
import { receiveUpload } from './upload.ts'

/** Who writes an object, and as whom RLS judges the write. */
export interface Writer {
  claims: JwtClaims
  owner: string | null
  ownerId: string | null
  upsert: boolean
}

function placeholderMetadata(): ObjectMetadata {
  return { eTag: '', size: 0, mimetype: '', cacheControl: '', lastModified: '', contentLength: 0, httpStatusCode: 200 }
}

/**
 * Stores an upload the way storage-api does: probe the row write as the
 * caller (rolled back) before reading any bytes, stream the bytes into a
 * temporary file within the limits, then write the row and move the file
 * into place in one transaction, so both appear together or not at all.
 */
export async function storeUpload(r: StorageRequest, bucket: string, key: string, writer: Writer) {
  mustBeValidKey(key)
  const limits = await bucketLimits(r.ctx, bucket)
  const draft = {
    id: randomUUID(), bucket, key, owner: writer.owner, ownerId: writer.ownerId,
    metadata: placeholderMetadata(), userMetadata: null, version: randomUUID(),
  }
  await probe(r, writer.claims, 'storage.object.upload', client => writeObject(client, draft, writer.upsert))

  const maxSize = Math.min(r.globalSizeLimit, limits.file_size_limit ?? Number.POSITIVE_INFINITY)
  const received = await receiveUpload(r.req, r.store, { maxSize, allowedMimeTypes: limits.allowed_mime_types })
  try {
    const metadata: ObjectMetadata = {
      eTag: received.temp.eTag,
      size: received.temp.size,
      mimetype: received.mimetype,
      cacheControl: received.cacheControl,
      lastModified: new Date().toISOString(),
      contentLength: received.temp.size,
      httpStatusCode: 200,
    }
    const id = await asCaller(r, writer.claims, 'storage.object.upload', async (client) => {
      const id = await writeObject(client, { ...draft, metadata, userMetadata: received.userMetadata }, writer.upsert)
      await r.store.place(received.temp.path, bucket, key)
      return id
    })
    return { Id: id, Key: `${bucket}/${key}` }
  }
  finally {
    await r.store.discard(received.temp)
  }
}

/** POST (x-upsert decides) or PUT (always overwrites) /object/{bucket}/{key}. */
export async function upload(r: StorageRequest, bucket: string, key: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const upsert = r.req.method === 'PUT' || headerValue(r.req.headers['x-upsert']) === 'true'
  sendJson(r.res, 200, await storeUpload(r, bucket, key, { claims, ...ownerOf(claims), upsert }))
}

/** DELETE /object/{bucket} `{prefixes}`: removes what the caller may; the rest is silently skipped. */
export async function removeMany(r: StorageRequest, bucket: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const prefixes = (await jsonBody(r.req)).prefixes
  if (!Array.isArray(prefixes) || prefixes.length === 0 || prefixes.length > 1000
    || !prefixes.every(name => typeof name === 'string')) {
    throw errors.invalidRequest('body/prefixes must be a list of 1 to 1000 object names')
  }
  const removed = await asCaller(r, claims, 'storage.object.delete_many', async (client) => {
    const { rows } = await client.query<ObjectRow>(`delete from storage.objects
      where bucket_id = $1 and name = any($2::text[]) returning ${objectColumns}`, [bucket, prefixes])
    for (const row of rows) await r.store.remove(bucket, row.name)
    return rows
  })
  sendJson(r.res, 200, removed)
}

/** DELETE /object/{bucket}/{key}. */
export async function removeOne(r: StorageRequest, bucket: string, key: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  mustBeValidKey(key)
  await asCaller(r, claims, 'storage.object.delete', async (client) => {
    const { rows } = await client.query<{ name: string }>(
      'delete from storage.objects where bucket_id = $1 and name = $2 returning name', [bucket, key])
    if (!rows[0]) throw errors.noSuchKey()
    await r.store.remove(bucket, key)
  })
  sendJson(r.res, 200, { message: 'Successfully deleted' })
}

async function transferBody(r: StorageRequest) {
  const body = await jsonBody(r.req)
  const bucket = requiredString(body, 'bucketId')
  const sourceKey = requiredString(body, 'sourceKey')
  const destinationKey = requiredString(body, 'destinationKey')
  const destinationBucket = typeof body.destinationBucket === 'string' && body.destinationBucket
    ? body.destinationBucket
    : bucket
  mustBeValidBucketName(bucket)
  mustBeValidBucketName(destinationBucket)
  mustBeValidKey(sourceKey)
  mustBeValidKey(destinationKey)
  return { bucket, sourceKey, destinationBucket, destinationKey }
}

/** POST /object/move: the caller must see the source and may update it to its new name. */
export async function move(r: StorageRequest) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const t = await transferBody(r)
  await asCaller(r, claims, 'storage.object.move', async (client) => {
    await mustFindObject(client, t.bucket, t.sourceKey)
    if (t.bucket === t.destinationBucket && t.sourceKey === t.destinationKey) return
    const { rowCount } = await client.query(`update storage.objects
      set bucket_id = $3, name = $4, updated_at = now(), last_accessed_at = now()
      where bucket_id = $1 and name = $2`, [t.bucket, t.sourceKey, t.destinationBucket, t.destinationKey])
    if (!rowCount) throw errors.accessDenied()
    await r.store.move({ bucket: t.bucket, key: t.sourceKey }, { bucket: t.destinationBucket, key: t.destinationKey })
  })
  sendJson(r.res, 200, { message: 'Successfully moved' })
}

/** POST /object/copy: the caller must see the source and may insert the copy. */
export async function copy(r: StorageRequest) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const upsert = headerValue(r.req.headers['x-upsert']) === 'true'
  const t = await transferBody(r)
  const Key = `${t.destinationBucket}/${t.destinationKey}`
  const id = await asCaller(r, claims, 'storage.object.copy', async (client) => {
    const source = await mustFindObject(client, t.bucket, t.sourceKey)
    if (t.bucket === t.destinationBucket && t.sourceKey === t.destinationKey) return source.id
    const temp = await r.store.copyToTemp(t.bucket, t.sourceKey)
    try {
      const metadata = { ...(source.metadata ?? placeholderMetadata()), lastModified: new Date().toISOString() }
      const id = await writeObject(client, {
        id: randomUUID(), bucket: t.destinationBucket, key: t.destinationKey, ...ownerOf(claims),
        metadata, userMetadata: source.user_metadata, version: randomUUID(),
      }, upsert)
      await r.store.place(temp, t.destinationBucket, t.destinationKey)
      return id
    }
    finally {
      await r.store.discard(temp)
    }
  })
  sendJson(r.res, 200, { Id: id, Key })
}
