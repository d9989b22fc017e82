import { randomUUID } from 'node:crypto'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { FileStore } from '../src/storage/files.ts'
import { parseConfigSize } from '../src/storage/limits.ts'
import { serviceClient, sql, stack } from './support.ts'

// supabase-js builds a realtime client, which needs a WebSocket; Node 20 has none built in.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

const bucket = 'test-limits'
const small = 'test-limits-small'
const images = 'test-limits-images'
const storageRoot = join(stack.dataDir, 'storage')
const api = new URL(stack.apiUrl)
const auth = { apikey: stack.serviceRoleKey, authorization: `Bearer ${stack.serviceRoleKey}` }

function onDisk(name: string, inBucket = bucket) {
  const path = join(storageRoot, inBucket, name)
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

async function rowCount(name: string, inBucket = bucket) {
  const { rows } = await sql('select count(*)::int as n from storage.objects where bucket_id = $1 and name = $2',
    [inBucket, name])
  return rows[0].n as number
}

function leftoverUploads() {
  const dir = join(stack.dataDir, 'storage-uploads')
  return existsSync(dir) ? readdirSync(dir) : []
}

// The temporary folder is shared with uploads of other test files running at
// the same time, so "nothing left behind" means it empties within moments.
async function noUploadsInFlight() {
  await expect.poll(leftoverUploads, { timeout: 3000, interval: 20 }).toEqual([])
}

/** A raw HTTP request whose path is sent exactly as given (fetch would normalise it). */
function rawRequest(method: string, path: string, body = '', headers: Record<string, string> = {}) {
  return new Promise<{ status: number, body: string }>((resolve, reject) => {
    const length = String(Buffer.byteLength(body))
    const options = { host: api.hostname, port: api.port, method, path,
      headers: { ...auth, 'content-length': length, ...headers } }
    const req = request(options, (res) => {
      let text = ''
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode!, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

beforeAll(async () => {
  await sql(`insert into storage.buckets (id, name, file_size_limit, allowed_mime_types) values
    ($1, $1, null, null), ($2, $2, 1000, null), ($3, $3, null, array['image/*', 'application/pdf'])
    on conflict do nothing`, [bucket, small, images])
})

describe('object keys', () => {
  it.each(['ø.txt', 'smile-😀.png', '漢字.txt', 'percent%.txt', 'brace{.txt', 'quote".txt', 'caret^.txt'])(
    'refuses %s with InvalidKey and writes nothing', async (name) => {
      const { error } = await serviceClient().storage.from(bucket).upload(`keys/${name}`, 'x')
      expect(error).toMatchObject({ status: 400, statusCode: '400' })
      expect(error!.message).toMatch(/^Invalid key: /)
      expect(existsSync(join(storageRoot, bucket, 'keys'))).toBe(false)
    })

  it.each([
    '/storage/v1/object/test-limits/a/../../escape.txt',
    '/storage/v1/object/test-limits/%2E%2E/%2E%2E/escape.txt',
    '/storage/v1/object/test-limits/a%2F..%2F..%2Fescape.txt',
    '/storage/v1/object/test-limits/nul%00byte.txt',
  ])('refuses the traversal %s and writes nothing outside the bucket', async (path) => {
    const response = await rawRequest('POST', path, 'x', { 'content-type': 'text/plain' })
    expect(response.status).not.toBe(200)
    expect(existsSync(join(storageRoot, 'escape.txt'))).toBe(false)
    expect(existsSync(join(stack.dataDir, 'escape.txt'))).toBe(false)
  })

  it.each(['../outside.txt', 'a/../../outside.txt', './here.txt', 'a//b.txt'])(
    'refuses %s as a move destination', async (destination) => {
      const storage = serviceClient().storage.from(bucket)
      await storage.upload('movable.txt', 'x', { upsert: true })
      const { error } = await storage.move('movable.txt', destination)
      expect(error).toMatchObject({ statusCode: '400', message: `Invalid key: ${destination}` })
      expect(onDisk('movable.txt')).toBe('x')
    })
})

describe('size and type limits', () => {
  it('refuses a file over the bucket limit with 413, leaving no row, no file, no temporary file', async () => {
    const storage = serviceClient().storage.from(small)
    const big = new Blob(['x'.repeat(1001)])
    expect((await storage.upload('big.bin', big)).error).toMatchObject({ status: 400, statusCode: '413',
      message: 'The object exceeded the maximum allowed size' })
    expect((await storage.upload('big-raw.bin', Buffer.alloc(5000))).error).toMatchObject({ statusCode: '413' })
    expect(await rowCount('big.bin', small)).toBe(0)
    expect(onDisk('big.bin', small)).toBeUndefined()
    await noUploadsInFlight()
    expect((await storage.upload('fits.bin', new Blob(['x'.repeat(1000)]))).error).toBeNull()
  })

  it.each([
    ['image/png', null],
    ['image/jpeg', null],
    ['application/pdf', null],
    ['text/plain', 'mime type text/plain is not supported'],
    ['video/mp4', 'mime type video/mp4 is not supported'],
  ])('takes %s only when the bucket allows it', async (type, message) => {
    const name = `file-${randomUUID()}`
    const { error } = await serviceClient().storage.from(images).upload(name, new Blob(['data'], { type }))
    if (message === null) {
      expect(error).toBeNull()
      expect(onDisk(name, images)).toBe('data')
    }
    else {
      expect(error).toMatchObject({ statusCode: '415', message })
      expect(await rowCount(name, images)).toBe(0)
    }
  })
})

/** Sends an upload in `chunks` without a content-length, as a browser stream would. */
function chunkedUpload(path: string, chunks: Buffer[], headers: Record<string, string> = {}) {
  return new Promise<{ status: number, body: string }>((resolve, reject) => {
    const req = request({ host: api.hostname, port: api.port, method: 'POST', path,
      headers: { ...auth, 'content-type': 'application/octet-stream', ...headers } }, (res) => {
      let text = ''
      res.on('data', (chunk) => {
        text += chunk
      })
      res.on('end', () => resolve({ status: res.statusCode!, body: text }))
    })
    req.on('error', reject)
    for (const chunk of chunks) req.write(chunk)
    if (!headers['content-length']) req.end()
  })
}

describe('the global limit comes from supabase/config.toml, read as the Supabase CLI does', () => {
  it.each([
    ['50MiB', 50 * 1024 * 1024],
    ['5MB', 5 * 1024 * 1024],
    ['500KB', 500 * 1024],
    ['1GiB', 1024 ** 3],
    ['1024', 1024],
    ['lots', undefined],
  ])('%s is %s bytes', (text, bytes) => {
    expect(parseConfigSize(text)).toBe(bytes)
  })
})

describe('streaming limits', () => {
  it('stops a chunked upload once it passes the bucket limit', async () => {
    const chunks = Array.from({ length: 5 }, () => Buffer.alloc(600, 1))
    const response = await chunkedUpload(`/storage/v1/object/${small}/chunked.bin`, chunks)
    expect(response.status).toBe(400)
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: '413', code: 'EntityTooLarge' })
    expect(await rowCount('chunked.bin', small)).toBe(0)
    await noUploadsInFlight()
  })

  it('answers a declared size over the global 50 MiB limit at once, without waiting for the bytes', async () => {
    const started = Date.now()
    const response = await chunkedUpload(`/storage/v1/object/${bucket}/huge.bin`, [Buffer.alloc(1024)],
      { 'content-length': String(60 * 1024 * 1024) })
    expect(Date.now() - started).toBeLessThan(2000)
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: '413' })
    expect(await rowCount('huge.bin')).toBe(0)
  })

  it('takes an upload of several megabytes and gives back the same bytes', async () => {
    const content = Buffer.alloc(8 * 1024 * 1024)
    for (let i = 0; i < content.length; i += 4096) content[i] = i % 251
    const storage = serviceClient().storage.from(bucket)
    expect((await storage.upload('large.bin', content, { contentType: 'application/octet-stream' })).error).toBeNull()
    const { data } = await storage.download('large.bin')
    expect(Buffer.from(await data!.arrayBuffer()).equals(content)).toBe(true)
  })
})

describe('broken uploads', () => {
  it('leaves no row and no file when the client goes away mid-upload', async () => {
    await new Promise<void>((resolve) => {
      const req = request({ host: api.hostname, port: api.port, method: 'POST',
        path: `/storage/v1/object/${bucket}/aborted.bin`,
        headers: { ...auth, 'content-type': 'application/octet-stream', 'content-length': '100000' } })
      req.on('error', () => resolve())
      req.write(Buffer.alloc(20000))
      setTimeout(() => {
        req.destroy()
        resolve()
      }, 200)
    })
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(await rowCount('aborted.bin')).toBe(0)
    expect(onDisk('aborted.bin')).toBeUndefined()
    await noUploadsInFlight()
  })

  it('clears uploads cut short by a crash when the stack starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'storage-leftovers-'))
    const store = new FileStore(dataDir)
    mkdirSync(store.tempDir, { recursive: true })
    writeFileSync(join(store.tempDir, 'half-an-upload'), 'x')
    await store.clearLeftovers()
    expect(existsSync(store.tempDir)).toBe(false)
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('refuses a truncated multipart body', async () => {
    const body = '--b\r\nContent-Disposition: form-data; name=""; filename="x.txt"\r\n'
      + 'Content-Type: text/plain\r\n\r\nhalf a fi'
    const response = await rawRequest('POST', `/storage/v1/object/${bucket}/truncated.txt`, body,
      { 'content-type': 'multipart/form-data; boundary=b' })
    expect(response.status).toBe(400)
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: '400', code: 'InvalidRequest' })
    expect(await rowCount('truncated.txt')).toBe(0)
    await noUploadsInFlight()
  })

  it('lets exactly one of many concurrent uploads of one key win; the others get 409', async () => {
    const storage = serviceClient().storage.from(bucket)
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => storage.upload('race.txt', `writer ${i}`)))
    const winners = results.filter(result => result.error === null)
    expect(winners).toHaveLength(1)
    expect(results.filter(result => result.error?.statusCode === '409')).toHaveLength(5)
    const { rows } = await sql('select id, metadata from storage.objects where bucket_id = $1 and name = $2',
      [bucket, 'race.txt'])
    expect(rows).toHaveLength(1)
    expect(rows[0].id).toBe(winners[0]!.data!.id)
    expect(onDisk('race.txt')).toMatch(/^writer \d$/)
    expect(rows[0].metadata.size).toBe(onDisk('race.txt')!.length)
  })
})

describe('bad requests get storage-shaped errors', () => {
  it.each([
    ['POST', `/storage/v1/object/list/${bucket}`, '{not json', 'InvalidRequest'],
    ['POST', `/storage/v1/object/list/${bucket}`, '[]', 'InvalidRequest'],
    ['POST', `/storage/v1/object/list/${bucket}`, '{"prefix":"","limit":-1}', 'InvalidRequest'],
    ['DELETE', `/storage/v1/object/${bucket}`, '{"prefixes":"all"}', 'InvalidRequest'],
    ['POST', `/storage/v1/object/sign/${bucket}/a.txt`, '{"expiresIn":"soon"}', 'InvalidRequest'],
    ['POST', '/storage/v1/object/move', '{"bucketId":"x"}', 'InvalidRequest'],
    ['POST', '/storage/v1/bucket', '{"name":"bad/name"}', 'InvalidBucketName'],
    ['POST', '/storage/v1/bucket', '{"name":"x","file_size_limit":"lots"}', 'InvalidRequest'],
    ['GET', '/storage/v1/object/sign/test-limits/a.txt', '', 'InvalidRequest'],
  ])('%s %s %s → %s', async (method, path, body, code) => {
    const response = await rawRequest(method, path, body, { 'content-type': 'application/json' })
    expect(response.status).toBe(400)
    const json = JSON.parse(response.body)
    expect(json).toMatchObject({ statusCode: expect.any(String), code })
    expect(json.message).toEqual(expect.any(String))
  })

  it('answers an unknown route with 404', async () => {
    const response = await rawRequest('PATCH', '/storage/v1/object/x', '')
    expect(response.status).toBe(404)
    expect(JSON.parse(response.body)).toMatchObject({ statusCode: '404', message: 'Route PATCH:/object/x not found' })
  })
})
