import type { IncomingMessage, ServerResponse } from 'node:http'
import type { StackContext } from '../context.ts'
import { BodyTooLarge, readJson } from '../http.ts'
import { errors } from './errors.ts'
import type { FileStore } from './files.ts'

/** What every storage route is handed. */
export interface StorageRequest {
  ctx: StackContext
  store: FileStore
  req: IncomingMessage
  res: ServerResponse
  url: URL
  /** Largest object the stack accepts at all (storage-api's FILE_SIZE_LIMIT). */
  globalSizeLimit: number
}

/** Reads a JSON object body; a missing body is `{}`, anything else not an object is refused. */
export async function jsonBody(req: IncomingMessage): Promise<Record<string, unknown>> {
  let body: unknown
  try {
    body = await readJson(req, 1024 * 1024)
  }
  catch (error) {
    if (error instanceof BodyTooLarge) throw errors.tooLarge()
    throw errors.invalidRequest('The request body is not valid JSON')
  }
  if (body === undefined) return {}
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw errors.invalidRequest('The request body must be a JSON object')
  }
  return body as Record<string, unknown>
}

/** A string property of a request body, or InvalidRequest naming it. */
export function requiredString(body: Record<string, unknown>, name: string) {
  const value = body[name]
  if (typeof value !== 'string' || value === '') {
    throw errors.invalidRequest(`body must have required property '${name}'`)
  }
  return value
}
