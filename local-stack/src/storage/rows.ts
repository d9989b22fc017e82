import pg from 'pg'
import type { StackContext } from '../context.ts'
import { withRole } from '../db.ts'
import type { JwtClaims } from '../jwt.ts'
import { errors, fromDatabase } from './errors.ts'
import type { StorageRequest } from './route.ts'

/** A row of storage.objects as the API returns it. */
export interface ObjectRow {
  id: string
  bucket_id: string
  name: string
  owner: string | null
  owner_id: string | null
  version: string | null
  created_at: string
  updated_at: string
  last_accessed_at: string
  metadata: ObjectMetadata | null
  user_metadata: Record<string, unknown> | null
}

/** storage-api's `metadata` column. */
export interface ObjectMetadata {
  eTag: string
  size: number
  mimetype: string
  cacheControl: string
  lastModified: string
  contentLength: number
  httpStatusCode: number
}

/** What an upload, copy or signed upload writes. */
export interface NewObject {
  id: string
  bucket: string
  key: string
  owner: string | null
  ownerId: string | null
  metadata: ObjectMetadata
  userMetadata: Record<string, unknown> | null
  version: string
}

/** The limits of a bucket, read as the stack itself (storage-api reads them as superuser too). */
export interface BucketLimits {
  id: string
  public: boolean
  file_size_limit: number | null
  allowed_mime_types: string[] | null
}

export const objectColumns = 'id, bucket_id, name, owner, owner_id, version, created_at, updated_at, '
  + 'last_accessed_at, metadata, user_metadata'

class Rollback extends Error {}

/**
 * Runs `fn` as the caller in one transaction with the settings storage-api
 * gives policies (request method, path and headers, the operation), mapping
 * Postgres errors to storage's.
 */
export async function asCaller<T>(r: StorageRequest, claims: JwtClaims, operation: string,
  fn: (client: pg.PoolClient) => Promise<T>, duplicate = errors.keyExists): Promise<T> {
  const settings = {
    'request.method': r.req.method ?? 'GET',
    'request.path': r.url.pathname,
    'request.headers': JSON.stringify(r.req.headers),
    'storage.operation': operation,
    'storage.allow_delete_query': 'true',
  }
  try {
    return await withRole(r.ctx.db.api, claims, fn, { settings })
  }
  catch (error) {
    throw error instanceof pg.DatabaseError ? fromDatabase(error, duplicate) : error
  }
}

/** Runs `fn` as the caller and always rolls back: storage-api's permission probe. */
export async function probe(r: StorageRequest, claims: JwtClaims, operation: string,
  fn: (client: pg.PoolClient) => Promise<unknown>) {
  try {
    await asCaller(r, claims, operation, async (client) => {
      await fn(client)
      throw new Rollback()
    })
  }
  catch (error) {
    if (!(error instanceof Rollback)) throw error
  }
}

export async function bucketLimits(ctx: StackContext, bucket: string): Promise<BucketLimits> {
  const { rows } = await ctx.db.admin.query<BucketLimits>(
    'select id, public, file_size_limit, allowed_mime_types from storage.buckets where id = $1', [bucket])
  if (!rows[0]) throw errors.noSuchBucket()
  return rows[0]
}

export async function findObject(client: pg.ClientBase | pg.Pool, bucket: string, key: string, forUpdate = false) {
  const { rows } = await client.query<ObjectRow>(
    `select ${objectColumns} from storage.objects where bucket_id = $1 and name = $2${forUpdate ? ' for update' : ''}`,
    [bucket, key])
  return rows[0]
}

export async function mustFindObject(client: pg.ClientBase | pg.Pool, bucket: string, key: string, forUpdate = false) {
  const row = await findObject(client, bucket, key, forUpdate)
  if (!row) throw errors.noSuchKey()
  return row
}

/**
 * Inserts an object's row, or with `upsert` replaces the one of that name.
 * A plain insert asks nothing back, so only an INSERT policy is needed, as
 * on Supabase; an upsert needs SELECT and UPDATE too. Returns the row's id.
 */
export async function writeObject(client: pg.ClientBase | pg.Pool, object: NewObject, upsert: boolean) {
  const values = [object.id, object.bucket, object.key, object.owner, object.ownerId,
    JSON.stringify(object.metadata), object.userMetadata === null ? null : JSON.stringify(object.userMetadata),
    object.version]
  const insert = `insert into storage.objects
    (id, bucket_id, name, owner, owner_id, metadata, user_metadata, version)
    values ($1, $2, $3, $4, $5, $6, $7, $8)`
  if (!upsert) {
    await client.query(insert, values)
    return object.id
  }
  const { rows } = await client.query<{ id: string }>(`${insert}
    on conflict (bucket_id, name) do update set owner = excluded.owner, owner_id = excluded.owner_id,
      metadata = excluded.metadata, user_metadata = excluded.user_metadata, version = excluded.version,
      updated_at = now(), last_accessed_at = now()
    returning id`, values)
  return rows[0]!.id
}
