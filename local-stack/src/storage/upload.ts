import type { IncomingMessage } from 'node:http'
import { PassThrough, type Readable } from 'node:stream'
import busboy from 'busboy'
import { headerValue } from '../context.ts'
import { errors, StorageError } from './errors.ts'
import type { FileStore, TempFile } from './files.ts'
import { mimeAllowed } from './keys.ts'

/** An upload's bytes in a temporary file, with what the client said about them. */
export interface ReceivedFile {
  temp: TempFile
  mimetype: string
  cacheControl: string
  userMetadata: Record<string, unknown> | null
}

/** What the bucket allows: the effective size limit and MIME list. */
export interface UploadRules {
  maxSize: number
  allowedMimeTypes: string[] | null
}

function aborted() {
  return errors.invalidRequest('The upload did not complete: the client went away before the end of the body')
}

/** A stream of the request body that fails (instead of hanging) when the client disconnects. */
function bodyOf(req: IncomingMessage) {
  const body = new PassThrough()
  req.on('close', () => {
    if (!req.complete) body.destroy(aborted())
  })
  req.on('error', () => body.destroy(aborted()))
  req.pipe(body)
  return body
}

function parseUserMetadata(text: string | undefined, base64: boolean) {
  if (text === undefined || text === '') return null
  let value: unknown
  try {
    value = JSON.parse(base64 ? Buffer.from(text, 'base64').toString('utf8') : text)
  }
  catch {
    value = undefined
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw errors.invalidRequest('The metadata must be a JSON object')
  }
  return value as Record<string, unknown>
}

// Both are sent back as response headers on every download, so they must be valid ones.
const printable = /^[\x20-\x7e]*$/

function cacheControlOf(value: string | undefined) {
  if (!value) return 'no-cache'
  if (!printable.test(value)) throw errors.invalidRequest('The cache control is not a valid header value')
  return /^\d+$/.test(value) ? `max-age=${value}` : value
}

function mustBeMimeType(value: string) {
  if (!printable.test(value) || !/^[\w!#$&^.+-]+\/[\w!#$&^.+-]+\s*(;.*)?$/.test(value)) {
    throw errors.invalidMime(value.replace(/[^\x20-\x7e]/g, '?'))
  }
  return value
}

/** A body sent as is, typed by its `content-type` header. */
async function receiveRaw(req: IncomingMessage, store: FileStore, rules: UploadRules): Promise<ReceivedFile> {
  const mimetype = mustBeMimeType(headerValue(req.headers['content-type']) || 'application/octet-stream')
  if (!mimeAllowed(mimetype, rules.allowedMimeTypes)) throw errors.invalidMime(mimetype)
  const declared = Number(headerValue(req.headers['content-length']))
  if (declared > rules.maxSize) throw errors.tooLarge()
  const userMetadata = parseUserMetadata(headerValue(req.headers['x-metadata']), true)
  const cacheControl = cacheControlOf(headerValue(req.headers['cache-control']))
  const temp = await store.receive(bodyOf(req), rules.maxSize)
  return { temp, mimetype, cacheControl, userMetadata }
}

/** A multipart form as storage-js sends a Blob: `cacheControl`, `metadata` fields and one file part. */
function receiveMultipart(req: IncomingMessage, store: FileStore, rules: UploadRules): Promise<ReceivedFile> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fields: 10, fieldSize: 64 * 1024, parts: 12 } })
    }
    catch {
      reject(errors.invalidRequest('The multipart body has no boundary'))
      return
    }
    const fields: Record<string, string> = {}
    let file: Promise<TempFile> | undefined
    let fileStream: Readable | undefined
    let mimetype = 'application/octet-stream'
    let settled = false

    // Answers only once the temporary file is gone, so a failed upload leaves nothing behind.
    const fail = (error: unknown) => {
      if (settled) return
      settled = true
      req.unpipe(parser)
      const failure = error instanceof StorageError
        ? error
        : errors.invalidRequest(`The multipart body could not be read: ${(error as Error).message}`)
      fileStream?.destroy(failure)
      if (!file) return reject(failure)
      file.then(temp => store.discard(temp), () => {}).finally(() => reject(failure))
    }

    parser.on('field', (name, value) => {
      fields[name] = value
    })
    parser.on('file', (_name, stream, info) => {
      // A part cut short fails its stream; that is reported through `fail`, never left unhandled.
      stream.on('error', () => {})
      if (file || settled) {
        stream.resume()
        return
      }
      mimetype = fields.contentType || info.mimeType || 'application/octet-stream'
      try {
        mustBeMimeType(mimetype)
        if (!mimeAllowed(mimetype, rules.allowedMimeTypes)) throw errors.invalidMime(mimetype)
      }
      catch (error) {
        stream.resume()
        fail(error)
        return
      }
      fileStream = stream
      file = store.receive(stream, rules.maxSize)
      file.catch(fail)
    })
    parser.on('error', fail)
    parser.on('close', async () => {
      if (settled) return
      if (!file) {
        fail(errors.invalidRequest('No file was found in the multipart body'))
        return
      }
      try {
        const temp = await file
        try {
          const userMetadata = parseUserMetadata(fields.metadata, false)
          const cacheControl = cacheControlOf(fields.cacheControl)
          settled = true
          resolve({ temp, mimetype, cacheControl, userMetadata })
        }
        catch (error) {
          await store.discard(temp)
          fail(error)
        }
      }
      catch (error) {
        fail(error)
      }
    })
    req.on('close', () => {
      if (!req.complete) fail(aborted())
    })
    req.on('error', () => fail(aborted()))
    req.pipe(parser)
  })
}

/** Receives an upload body into a temporary file, enforcing size and MIME while streaming. */
export function receiveUpload(req: IncomingMessage, store: FileStore, rules: UploadRules) {
  const type = headerValue(req.headers['content-type']) ?? ''
  if (/^multipart\/form-data/i.test(type)) return receiveMultipart(req, store, rules)
  return receiveRaw(req, store, rules)
}
