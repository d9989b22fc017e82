// Reads one file and its form fields from a multipart upload as it streams in,
// stopping as soon as the file passes the size limit instead of buffering it.
import type { IncomingMessage } from 'node:http'
import busboy from 'busboy'
import { MediaRefusal } from './sniff'

/** One uploaded file with the form's other fields. */
export interface MultipartUpload {
  fileName: string
  bytes: Buffer
  /** A video's still frame drawn by the browser (part "poster"), if sent. */
  poster?: Buffer
  fields: Record<string, string>
}

/**
 * Reads the first file part named "file", an optional "poster" part of at most
 * `maxPosterBytes` (a larger one is dropped) and every text field; refuses a file over `maxBytes`.
 */
export function readUpload(request: IncomingMessage, maxBytes: number, maxPosterBytes = 0): Promise<MultipartUpload> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy
    try {
      parser = busboy({
        headers: request.headers, defParamCharset: 'utf8',
        limits: { files: 2, fileSize: maxBytes, fields: 20, fieldSize: 4000 },
      })
    }
    catch {
      return reject(new MediaRefusal('empty', 'Send the file as multipart/form-data in a part named "file".', 400))
    }
    const fields: Record<string, string> = {}
    let file: { name: string, chunks: Buffer[] } | undefined
    let poster: Buffer[] | undefined
    let posterBytes = 0
    let tooLarge = false
    const fail = (error: MediaRefusal) => {
      request.unpipe(parser)
      request.resume()
      reject(error)
    }
    parser.on('field', (name, value) => {
      fields[name] = value
    })
    parser.on('file', (name, stream, info) => {
      // A body cut off inside a file ends that part with an error too; the parser's own
      // error (or the request's 'aborted') already refuses the upload, so it is not thrown again.
      stream.on('error', () => {})
      if (name === 'poster' && !poster) {
        const chunks: Buffer[] = []
        poster = chunks
        stream.on('data', (chunk: Buffer) => {
          posterBytes += chunk.length
          if (posterBytes <= maxPosterBytes) chunks.push(chunk)
        })
        return
      }
      if (name !== 'file' || file) return stream.resume()
      const current = { name: info.filename ?? '', chunks: [] as Buffer[] }
      file = current
      stream.on('data', (chunk: Buffer) => current.chunks.push(chunk))
      stream.on('limit', () => {
        tooLarge = true
        fail(new MediaRefusal('too_large', `The file is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`, 413))
      })
    })
    parser.on('error', () => fail(new MediaRefusal('damaged', 'The upload was cut short; please try again.', 400)))
    parser.on('close', () => {
      if (tooLarge) return
      if (!file) return reject(new MediaRefusal('empty', 'No file was sent.', 400))
      const frame = poster && posterBytes <= maxPosterBytes ? Buffer.concat(poster) : undefined
      resolve({ fileName: file.name, bytes: Buffer.concat(file.chunks), poster: frame, fields })
    })
    request.on('aborted', () => fail(new MediaRefusal('damaged', 'The upload was cut short; please try again.', 400)))
    request.pipe(parser)
  })
}
