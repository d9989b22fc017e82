import type { IncomingMessage } from 'node:http'
import type { StackContext } from '../context.ts'
import { log } from '../log.ts'
import type { Service } from '../server.ts'
import { createBucket, deleteBucket, emptyBucket, getBucket, listBuckets, updateBucket } from './buckets.ts'
import { errors, sendError, StorageError } from './errors.ts'
import { FileStore } from './files.ts'
import { splitObjectPath } from './keys.ts'
import { globalSizeLimit } from './limits.ts'
import { listV2 } from './list-v2.ts'
import { download, downloadSigned, info, list, sign, signMany } from './reads.ts'
import type { StorageRequest } from './route.ts'
import { createSignedUpload, uploadWithToken } from './signed-upload.ts'
import { copy, move, removeMany, removeOne, upload } from './writes.ts'

type Handler = (r: StorageRequest, rest: string) => Promise<void>

function object(handle: (r: StorageRequest, bucket: string, key: string) => Promise<void>): Handler {
  return (r, rest) => {
    const { bucket, key } = splitObjectPath(rest)
    return handle(r, bucket, key)
  }
}

function bucketId(rest: string) {
  return splitObjectPath(rest).bucket
}

// Routes by method and path prefix, most specific first; `rest` is what follows the prefix.
const routes: [string[], string, Handler][] = [
  [['GET'], '/bucket', r => listBuckets(r)],
  [['POST'], '/bucket', r => createBucket(r)],
  [['POST'], '/bucket/', (r, rest) => rest.endsWith('/empty')
    ? emptyBucket(r, bucketId(rest.slice(0, -'/empty'.length)))
    : Promise.reject(errors.notFoundRoute('POST', `/bucket/${rest}`))],
  [['GET'], '/bucket/', (r, rest) => getBucket(r, bucketId(rest))],
  [['PUT'], '/bucket/', (r, rest) => updateBucket(r, bucketId(rest))],
  [['DELETE'], '/bucket/', (r, rest) => deleteBucket(r, bucketId(rest))],
  [['POST'], '/object/list/', (r, rest) => list(r, bucketId(rest))],
  [['POST'], '/object/list-v2/', (r, rest) => listV2(r, bucketId(rest))],
  [['POST'], '/object/move', r => move(r)],
  [['POST'], '/object/copy', r => copy(r)],
  [['POST'], '/object/upload/sign/', object(createSignedUpload)],
  [['PUT'], '/object/upload/sign/', object(uploadWithToken)],
  [['POST'], '/object/sign/', (r, rest) => rest.replace(/\/+$/, '').includes('/')
    ? object(sign)(r, rest)
    : signMany(r, bucketId(rest))],
  [['GET', 'HEAD'], '/object/sign/', object(downloadSigned)],
  [['GET'], '/object/info/authenticated/', object((r, b, k) => info(r, b, k, 'authenticated'))],
  [['GET'], '/object/info/public/', object((r, b, k) => info(r, b, k, 'public'))],
  [['GET'], '/object/info/', object((r, b, k) => info(r, b, k, 'optional'))],
  [['GET', 'HEAD'], '/object/public/', object((r, b, k) => download(r, b, k, 'public'))],
  [['GET', 'HEAD'], '/object/authenticated/', object((r, b, k) => download(r, b, k, 'authenticated'))],
  [['GET', 'HEAD'], '/object/', object((r, b, k) => download(r, b, k, 'optional'))],
  [['POST', 'PUT'], '/object/', object(upload)],
  [['DELETE'], '/object/', (r, rest) => rest.replace(/\/+$/, '').includes('/')
    ? object(removeOne)(r, rest)
    : removeMany(r, bucketId(rest))],
]

function findRoute(method: string, path: string) {
  for (const [methods, prefix, handler] of routes) {
    if (!methods.includes(method)) continue
    const exact = !prefix.endsWith('/')
    if (exact ? path === prefix || path === `${prefix}/` : path.startsWith(prefix) && path.length > prefix.length) {
      return { handler, rest: exact ? '' : path.slice(prefix.length) }
    }
  }
  return undefined
}

// After an early answer, the rest of an upload is read and dropped so the
// client sees the answer; a client that keeps sending is cut off.
function discardRest(req: IncomingMessage) {
  if (req.complete || req.destroyed) return
  const timer = setTimeout(() => req.destroy(), 10_000)
  req.on('end', () => clearTimeout(timer))
  req.on('close', () => clearTimeout(timer))
  req.resume()
}

// Not here: resumable (TUS) uploads, image transformations (/render/image, off in
// the CLI's default config too), the S3 protocol and analytics/vector buckets.

/** storage-api stand-in under /storage/v1: buckets and objects on disk, every row gated by RLS. */
export async function createStorageService(ctx: StackContext): Promise<Service> {
  const store = new FileStore(ctx.config.dataDir)
  await store.clearLeftovers()
  const sizeLimit = globalSizeLimit(ctx.config.projectDir)
  return {
    prefix: '/storage/v1',
    async handle(req, res, path, url) {
      const method = req.method ?? 'GET'
      const route = findRoute(method, path)
      try {
        if (!route) throw errors.notFoundRoute(method, path)
        await route.handler({ ctx, store, req, res, url, globalSizeLimit: sizeLimit }, route.rest)
      }
      catch (error) {
        const failure = error instanceof StorageError ? error : unexpected(error, method, path)
        sendError(res, failure, method)
      }
      finally {
        discardRest(req)
      }
    },
  }
}

function unexpected(error: unknown, method: string, path: string) {
  log('storage', `${method} ${path} failed: ${(error as Error).message}`)
  return new StorageError(500, 'InternalError', 'internal', 'Internal server error')
}
