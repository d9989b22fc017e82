// The multipart reader on a real HTTP server: a phone that loses its connection halfway
// through a file must give a clear refusal, and nothing thrown past it.
import { createServer, request as httpRequest, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { readUpload } from '../../server/utils/media/multipart'
import { MediaRefusal } from '../../server/utils/media/sniff'

let server: Server
let outcome: Promise<unknown>
let settle: (value: unknown) => void
const uncaught: Error[] = []
const onUncaught = (error: Error) => void uncaught.push(error)

beforeAll(async () => {
  process.on('uncaughtException', onUncaught)
  server = createServer((req, res) => {
    readUpload(req, 1024 * 1024).then(settle, settle).finally(() => res.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
})
afterAll(async () => {
  process.off('uncaughtException', onUncaught)
  await new Promise(resolve => server.close(resolve))
})

/**
 * Sends the start of a multipart body and no more: `dropped` drops the connection (the
 * request is aborted); otherwise the request ends there, complete as HTTP but not as a form.
 */
async function sendCutOff(head: string, dropped: boolean) {
  outcome = new Promise(resolve => (settle = resolve))
  const { port } = server.address() as AddressInfo
  const boundary = 'minnespor-test'
  const body = Buffer.from(`--${boundary}\r\n${head}`, 'latin1')
  const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/', headers: {
    'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': String(dropped ? 100_000 : body.length),
  } })
  req.on('error', () => {})
  req.write(body)
  if (dropped) {
    await new Promise(resolve => setTimeout(resolve, 100))
    req.destroy()
  }
  else req.end()
  const result = await outcome
  // Give any stray error a moment to surface.
  await new Promise(resolve => setTimeout(resolve, 100))
  return result
}

const filePart = 'content-disposition: form-data; name="file"; filename="halv.jpg"\r\ncontent-type: image/jpeg\r\n\r\n\xff\xd8\xff\xe0 half a photo'
const posterPart = 'content-disposition: form-data; name="poster"; filename="poster.jpg"\r\ncontent-type: image/jpeg\r\n\r\n\xff\xd8 half a frame'

describe('an upload cut off halfway', () => {
  it.each([
    ['a file part, the connection dropped', filePart, true],
    ['a file part, the request ended', filePart, false],
    ['a video\'s poster part, the connection dropped', posterPart, true],
    ['a video\'s poster part, the request ended', posterPart, false],
  ])('inside %s, is refused as damaged, with no error thrown past the reader', async (_, head, dropped) => {
    const result = await sendCutOff(head, dropped)
    expect(result).toBeInstanceOf(MediaRefusal)
    expect((result as MediaRefusal).reason).toBe('damaged')
    expect(uncaught.map(error => error.message)).toEqual([])
  })
})
