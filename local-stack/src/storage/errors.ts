import type { ServerResponse } from 'node:http'
import { sendJson } from '../http.ts'
import { log } from '../log.ts'

/** A failure storage-api would report: rendered as `{statusCode, code, error, message}`. */
export class StorageError extends Error {
  constructor(
    /** The semantic status, sent as a string in the body. */
    readonly status: number,
    readonly code: string,
    readonly error: string,
    message: string,
    /** The HTTP status; storage-api answers 400 for nearly every client error. */
    readonly httpStatus = status >= 500 ? 500 : 400,
  ) {
    super(message)
  }
}

/** The errors storage-api gives, with its codes and words. */
export const errors = {
  noSuchKey: () => new StorageError(404, 'NoSuchKey', 'not_found', 'Object not found'),
  noSuchBucket: () => new StorageError(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  keyExists: () => new StorageError(409, 'KeyAlreadyExists', 'Duplicate', 'The resource already exists'),
  bucketExists: () => new StorageError(409, 'BucketAlreadyExists', 'Duplicate', 'The resource already exists'),
  accessDenied: (message = 'new row violates row-level security policy') =>
    new StorageError(403, 'AccessDenied', 'Unauthorized', message),
  invalidJwt: (message: string) => new StorageError(400, 'InvalidJWT', 'InvalidJWT', message),
  invalidSignature: () => new StorageError(400, 'InvalidSignature', 'InvalidSignature', 'Invalid signature'),
  invalidKey: (key: string) => new StorageError(400, 'InvalidKey', 'InvalidKey', `Invalid key: ${key}`),
  invalidBucketName: () => new StorageError(400, 'InvalidBucketName', 'Invalid Input', 'Bucket name invalid'),
  tooLarge: () => new StorageError(413, 'EntityTooLarge', 'Payload too large',
    'The object exceeded the maximum allowed size'),
  invalidMime: (mime: string) => new StorageError(415, 'InvalidMimeType', 'invalid_mime_type',
    `mime type ${mime} is not supported`),
  bucketNotEmpty: () => new StorageError(409, 'ResourceNotEmpty', 'ResourceNotEmpty',
    'The bucket you tried to delete is not empty'),
  invalidRange: () => new StorageError(416, 'InvalidRange', 'invalid_range', 'invalid range provided', 416),
  invalidRequest: (message: string) => new StorageError(400, 'InvalidRequest', 'InvalidRequest', message),
  notFoundRoute: (method: string, path: string) =>
    new StorageError(404, 'NotFound', 'Not Found', `Route ${method}:${path} not found`, 404),
}

interface PgError { code?: string, message?: string }

/**
 * Turns a Postgres error from a caller's query into storage's answer, as
 * storage-api does: RLS refusals, duplicates and missing buckets are the
 * caller's business; anything else is logged and reported as internal.
 */
export function fromDatabase(error: unknown, duplicate = errors.keyExists): StorageError {
  if (error instanceof StorageError) return error
  const pgError = error as PgError
  switch (pgError.code) {
    case '42501': return errors.accessDenied()
    case '23505': return duplicate()
    case '23503': return errors.noSuchBucket()
    case '22P02':
    case '22023':
    case '22001': return errors.invalidRequest(pgError.message ?? 'Invalid input')
    case '57014': return new StorageError(544, 'DatabaseTimeout', 'DatabaseTimeout',
      'The connection to the database timed out', 544)
  }
  log('storage', `database query failed: ${pgError.message ?? String(error)}`)
  return new StorageError(500, 'InternalError', 'internal', 'Internal server error')
}

/** Sends a storage-shaped error; for HEAD only the status. */
export function sendError(res: ServerResponse, error: StorageError, method?: string) {
  if (res.headersSent) {
    res.destroy()
    return
  }
  const body = { statusCode: String(error.status), code: error.code, error: error.error, message: error.message }
  if (method === 'HEAD') {
    res.writeHead(error.httpStatus).end()
    return
  }
  sendJson(res, error.httpStatus, body)
}
