import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'
import { headerValue } from '../context.ts'
import { errors } from './errors.ts'
import type { FileStore } from './files.ts'
import type { ObjectRow } from './rows.ts'

/** Parses a single `bytes=` range against `size`; undefined means "send everything". */
export function parseRange(header: string | undefined, size: number) {
  if (!header) return undefined
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  // Several ranges or another unit: answering with the whole file is allowed.
  if (!match || (match[1] === '' && match[2] === '')) return undefined
  let start: number
  let end: number
  if (match[1] === '') {
    start = Math.max(size - Number(match[2]), 0)
    end = size - 1
  }
  else {
    start = Number(match[1])
    end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1)
  }
  if (start > end || start >= size) throw errors.invalidRange()
  return { start, end }
}

// Metadata written with plain SQL can hold anything; a header gets only what HTTP allows.
function headerSafe(value: unknown, fallback: string) {
  return typeof value === 'string' && /^[\x20-\x7e]+$/.test(value) ? value : fallback
}

function attachmentName(url: URL, key: string) {
  const wanted = url.searchParams.get('download')
  const name = wanted || key.split('/').pop() || key
  // The plain form must stay printable ASCII; the UTF-8 form carries any name.
  const plain = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  return `attachment; filename="${plain}"; filename*=UTF-8''${encodeURIComponent(name)}`
}

/**
 * Streams an object's file with the headers storage-api sends, honouring
 * `Range` (206) and `If-None-Match` (304) so players can seek in videos.
 */
export async function sendObject(req: IncomingMessage, res: ServerResponse, url: URL, store: FileStore,
  row: ObjectRow) {
  const info = await store.stat(row.bucket_id, row.name)
  if (!info) throw errors.noSuchKey()
  const meta = row.metadata
  const eTag = headerSafe(meta?.eTag, `"${info.size}-${Math.floor(info.mtimeMs)}"`)
  const headers: Record<string, string | number> = {
    'content-type': headerSafe(meta?.mimetype, 'application/octet-stream'),
    'cache-control': headerSafe(meta?.cacheControl, 'no-cache'),
    'etag': eTag,
    'last-modified': new Date(meta?.lastModified ?? info.mtime).toUTCString(),
    'accept-ranges': 'bytes',
  }
  if (url.searchParams.has('download')) headers['content-disposition'] = attachmentName(url, row.name)

  const ifNoneMatch = headerValue(req.headers['if-none-match'])
  const matches = (tag: string) => tag === '*' || tag.replace(/^W\//, '') === eTag
  if (ifNoneMatch && ifNoneMatch.split(',').some(tag => matches(tag.trim()))) {
    res.writeHead(304, headers).end()
    return
  }

  let range: { start: number, end: number } | undefined
  try {
    range = parseRange(headerValue(req.headers.range), info.size)
  }
  catch (error) {
    res.setHeader('content-range', `bytes */${info.size}`)
    throw error
  }
  if (range) {
    headers['content-range'] = `bytes ${range.start}-${range.end}/${info.size}`
    headers['content-length'] = range.end - range.start + 1
    res.writeHead(206, headers)
  }
  else {
    headers['content-length'] = info.size
    res.writeHead(200, headers)
  }
  if (req.method === 'HEAD' || info.size === 0) {
    res.end()
    return
  }
  // A client that stops reading mid-file ends the stream; that is no error of ours.
  await pipeline(store.read(row.bucket_id, row.name, range), res).catch(() => res.destroy())
}
