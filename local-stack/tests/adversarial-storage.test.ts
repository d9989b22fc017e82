import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { signJwt } from '../src/jwt.ts'
import { sql, stack, userToken } from './support.ts'

// Attacks on storage from outside: odd keys, other people's files, signed URLs
// reused or tampered with, and uploads that stop halfway. Each must end in a
// storage-shaped error and leave neither a row nor a file behind.
const bucket = 'adversarial-storage'
const base = `${stack.apiUrl}/storage/v1`
const alice = randomUUID()
const bob = randomUUID()
let aliceToken = ''
let bobToken = ''

function as(token: string, extra: Record<string, string> = {}) {
  return { apikey: stack.anonKey, authorization: `Bearer ${token}`, ...extra }
}

function upload(token: string, key: string, body = 'hello') {
  return fetch(`${base}/object/${bucket}/${key}`, {
    method: 'POST', body, headers: as(token, { 'content-type': 'text/plain' }),
  })
}

function post(token: string, path: string, body: unknown) {
  return fetch(`${base}${path}`, {
    method: 'POST', body: JSON.stringify(body), headers: as(token, { 'content-type': 'application/json' }),
  })
}

async function rowsNamed(pattern: string) {
  const { rows } = await sql('select name from storage.objects where bucket_id = $1 and name like $2', [bucket, pattern])
  return rows.map(row => row.name as string)
}

function filesOf(owner: string) {
  const dir = join(stack.dataDir, 'storage', bucket, owner)
  return existsSync(dir) ? readdirSync(dir) : []
}

beforeAll(async () => {
  aliceToken = await userToken(alice)
  bobToken = await userToken(bob)
  await sql('insert into storage.buckets (id, name) values ($1, $1) on conflict do nothing', [bucket])
  await sql(`create policy "Adversarial: own folder only" on storage.objects for all to authenticated
    using (bucket_id = '${bucket}' and (storage.foldername(name))[1] = auth.uid()::text)
    with check (bucket_id = '${bucket}' and (storage.foldername(name))[1] = auth.uid()::text)`)
  for (const [token, owner] of [[aliceToken, alice], [bobToken, bob]]) {
    expect((await upload(token!, `${owner}/kept.txt`, `${owner} only`)).status).toBe(200)
  }
})

describe('keys longer than a file name may be are refused, not a crash', () => {
  const long = 'x'.repeat(300)
  it.each([
    ['an upload with a 300-character name', () => upload(aliceToken, `${alice}/${long}`)],
    ['an upload with a 5,000-character path', () => upload(aliceToken, `${alice}/${`${'y'.repeat(200)}/`.repeat(25)}f`)],
    ['a copy onto a 300-character name', () => post(aliceToken, '/object/copy',
      { bucketId: bucket, sourceKey: `${alice}/kept.txt`, destinationKey: `${alice}/${long}` })],
    ['a move onto a 300-character name', () => post(aliceToken, '/object/move',
      { bucketId: bucket, sourceKey: `${alice}/kept.txt`, destinationKey: `${alice}/${long}` })],
  ])('%s', async (_name, send) => {
    const response = await send()
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: '400', code: 'InvalidKey' })
    expect(await rowsNamed(`${alice}/%`)).toEqual([`${alice}/kept.txt`])
    expect(filesOf(alice)).toEqual(['kept.txt'])
  })
})

describe('odd keys never reach outside the bucket', () => {
  it.each([
    ['dot-dot segments', `${alice}/..%2F..%2F..%2Fescaped`],
    ['backslashes', `${alice}/..%5C..%5Cescaped`],
    ['a NUL byte', `${alice}/a%00b`],
    ['a broken percent escape', `${alice}/%E0%A4%A`],
  ])('an upload with %s is InvalidKey', async (_name, key) => {
    const response = await upload(aliceToken, key)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'InvalidKey' })
    expect(existsSync(join(stack.dataDir, 'escaped'))).toBe(false)
    expect(await rowsNamed('%escaped%')).toEqual([])
  })

  it('a bucket name that climbs out of the storage folder finds no bucket', async () => {
    const response = await fetch(`${base}/object/..%2Fstorage-uploads/${alice}/x`, {
      method: 'POST', body: 'x', headers: as(aliceToken, { 'content-type': 'text/plain' }),
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: '404', code: 'NoSuchBucket' })
  })
})

describe('another user\'s files stay out of reach', () => {
  it.each([
    ['download', () => fetch(`${base}/object/authenticated/${bucket}/${bob}/kept.txt`, { headers: as(aliceToken) }), '404'],
    ['info', () => fetch(`${base}/object/info/${bucket}/${bob}/kept.txt`, { headers: as(aliceToken) }), '404'],
    ['sign', () => post(aliceToken, `/object/sign/${bucket}/${bob}/kept.txt`, { expiresIn: 60 }), '404'],
    ['copy out', () => post(aliceToken, '/object/copy',
      { bucketId: bucket, sourceKey: `${bob}/kept.txt`, destinationKey: `${alice}/stolen.txt` }), '404'],
    ['move into', () => post(aliceToken, '/object/move',
      { bucketId: bucket, sourceKey: `${alice}/kept.txt`, destinationKey: `${bob}/planted.txt` }), '403'],
    ['upload into', () => upload(aliceToken, `${bob}/planted.txt`), '403'],
    ['signed upload into', () => post(aliceToken, `/object/upload/sign/${bucket}/${bob}/planted.txt`, {}), '403'],
  ])('%s is refused', async (_name, send, statusCode) => {
    const response = await send()
    expect(response.status).toBe(400)
    expect((await response.json()).statusCode).toBe(statusCode)
    expect(await rowsNamed(`${bob}/%`)).toEqual([`${bob}/kept.txt`])
    expect(await rowsNamed(`${alice}/stolen%`)).toEqual([])
  })

  it('removing many skips what the caller may not delete', async () => {
    const response = await fetch(`${base}/object/${bucket}`, {
      method: 'DELETE', body: JSON.stringify({ prefixes: [`${bob}/kept.txt`] }),
      headers: as(aliceToken, { 'content-type': 'application/json' }),
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual([])
    expect(filesOf(bob)).toEqual(['kept.txt'])
  })
})

describe('signed URLs', () => {
  async function signedUrl(expiresIn: number) {
    const response = await post(aliceToken, `/object/sign/${bucket}/${alice}/kept.txt`, { expiresIn })
    return `${base}${(await response.json()).signedURL as string}`
  }

  it('a download URL works more than once until it expires, then not', async () => {
    const url = await signedUrl(1)
    for (let i = 0; i < 2; i++) expect(await (await fetch(url)).text()).toBe(`${alice} only`)
    await new Promise(resolve => setTimeout(resolve, 2100))
    const response = await fetch(url)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'InvalidJWT', message: 'jwt expired' })
  })

  it.each([
    ['pointed at another file', (url: string) => url.replace('kept.txt', 'other.txt'), 'InvalidSignature'],
    ['with a changed payload', (url: string) => url.replace(/(token=[^.]+\.)/, '$1x'), 'InvalidJWT'],
    ['with a user\'s access token', (url: string) => url.replace(/token=.*/, `token=${aliceToken}`), 'InvalidSignature'],
    ['without its token', (url: string) => url.replace(/\?token=.*/, ''), 'InvalidRequest'],
  ])('a download URL %s is refused', async (_name, tamper, code) => {
    const response = await fetch(tamper(await signedUrl(60)))
    expect(response.status).toBe(400)
    expect((await response.json()).code).toBe(code)
  })

  it('a token signed with another secret is refused', async () => {
    const iat = Math.floor(Date.now() / 1000)
    const token = await signJwt('not-the-stack-secret-not-the-stack-secret',
      { url: `${bucket}/${bob}/kept.txt`, scope: 'download', iat, exp: iat + 60 })
    const response = await fetch(`${base}/object/sign/${bucket}/${bob}/kept.txt?token=${token}`)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'InvalidJWT' })
  })

  it('an upload URL writes once, and cannot be used to read', async () => {
    const key = `${alice}/signed-${randomUUID()}.txt`
    const { url } = await (await post(aliceToken, `/object/upload/sign/${bucket}/${key}`, {})).json()
    const put = (body: string) => fetch(`${base}${url}`, { method: 'PUT', body, headers: { 'content-type': 'text/plain' } })
    expect((await put('first')).status).toBe(200)
    const again = await put('second')
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ statusCode: '409', code: 'KeyAlreadyExists' })
    const read = await fetch(`${base}${url.replace('/upload/sign/', '/sign/')}`)
    expect(read.status).toBe(400)
    expect(await read.json()).toMatchObject({ code: 'InvalidSignature' })
  })
})

describe('an upload that stops halfway leaves nothing behind', () => {
  it.each([
    ['a raw body', 'application/octet-stream', 'x'.repeat(5000)],
    ['a multipart body', 'multipart/form-data; boundary=b', `--b\r\nContent-Disposition: form-data; name="f"; filename="f"\r\n\r\n${'x'.repeat(5000)}`],
  ])('%s cut off by the client', async (_name, type, partial) => {
    const key = `${alice}/cut-${randomUUID()}.bin`
    const url = new URL(stack.apiUrl)
    await new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(`POST /storage/v1/object/${bucket}/${key} HTTP/1.1\r\nHost: ${url.host}\r\n`
          + `apikey: ${stack.anonKey}\r\nAuthorization: Bearer ${aliceToken}\r\nContent-Type: ${type}\r\n`
          + `Content-Length: 100000\r\n\r\n${partial}`)
        setTimeout(() => socket.destroy(), 300)
      })
      socket.on('close', () => resolve())
      socket.on('error', () => {})
    })
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(await rowsNamed(key)).toEqual([])
    expect(filesOf(alice)).not.toContain(key.split('/')[1])
    const temp = join(stack.dataDir, 'storage-uploads')
    expect(existsSync(temp) ? readdirSync(temp) : []).toEqual([])
  })
})
