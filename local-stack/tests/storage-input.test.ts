import { createHash, randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { signJwt } from '../src/jwt.ts'
import { clientAs, serviceClient, sql, stack } from './support.ts'

// supabase-js builds a realtime client, which needs a WebSocket; Node 20 has none built in.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

const bucket = 'test-input'
const base = `${stack.apiUrl}/storage/v1`
const service = { apikey: stack.serviceRoleKey, authorization: `Bearer ${stack.serviceRoleKey}` }
const owner = randomUUID()

beforeAll(async () => {
  await sql('insert into storage.buckets (id, name) values ($1, $1) on conflict do nothing', [bucket])
  await sql(`create policy "Owners can add to their input folder" on storage.objects for insert to authenticated
    with check (bucket_id = '${bucket}' and (storage.foldername(name))[1] = auth.uid()::text)`)
  const { error } = await serviceClient().storage.from(bucket).upload('known.txt', 'known content')
  expect(error).toBeNull()
})

describe('odd requests end in storage-shaped answers, never a crash', () => {
  it.each([
    ['a range that is not bytes', { range: 'lines=1-2' }, 200],
    ['a range with letters', { range: 'bytes=a-b' }, 200],
    ['several ranges', { range: 'bytes=0-1,3-4' }, 200],
    ['an unknown etag', { 'if-none-match': '"nope"' }, 200],
    ['a weak etag list with a star', { 'if-none-match': 'W/"x", *' }, 304],
  ])('a download with %s', async (_name, headers, status) => {
    const response = await fetch(`${base}/object/${bucket}/known.txt`, { headers: { ...service, ...headers } })
    expect(response.status).toBe(status)
    if (status === 200) expect(await response.text()).toBe('known content')
  })

  it.each([
    ['x-metadata that is not base64 JSON', { 'x-metadata': '!!!' }],
    ['x-metadata that is a JSON list', { 'x-metadata': Buffer.from('[1,2]').toString('base64') }],
    ['a multipart type without a boundary', { 'content-type': 'multipart/form-data' }],
  ])('an upload with %s', async (_name, headers) => {
    const name = `odd-${randomUUID()}.txt`
    const response = await fetch(`${base}/object/${bucket}/${name}`, {
      method: 'POST', body: 'x', headers: { ...service, 'content-type': 'text/plain', ...headers },
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: '400', code: 'InvalidRequest' })
    const { rows } = await sql('select 1 from storage.objects where bucket_id = $1 and name = $2', [bucket, name])
    expect(rows).toHaveLength(0)
  })

  it('names a download with any characters safely', async () => {
    const name = encodeURIComponent('Brev fra 漢字 "x".txt')
    const response = await fetch(`${base}/object/${bucket}/known.txt?download=${name}`, { headers: service })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-disposition')).toBe('attachment; filename="Brev fra __ _x_.txt"; '
      + `filename*=UTF-8''${name}`)
  })

  it('refuses multipart metadata that is not JSON, leaving nothing behind', async () => {
    const form = new FormData()
    form.append('metadata', '{broken')
    form.append('', new Blob(['x']))
    const response = await fetch(`${base}/object/${bucket}/form.txt`, { method: 'POST', body: form, headers: service })
    expect(await response.json()).toMatchObject({ statusCode: '400', message: 'The metadata must be a JSON object' })
  })

  it.each([
    ['a content type with a line break', 'contentType', 'text/plain\r\nset-cookie: x=1'],
    ['a content type that is no MIME type', 'contentType', 'plain text'],
    ['a cache control with a line break', 'cacheControl', '60\r\nset-cookie: x=1'],
  ])('refuses a multipart field with %s, leaving nothing behind', async (_name, field, value) => {
    const form = new FormData()
    form.append(field, value)
    form.append('', new Blob(['x']))
    const name = `field-${randomUUID()}.txt`
    const response = await fetch(`${base}/object/${bucket}/${name}`, { method: 'POST', body: form, headers: service })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: expect.stringMatching(/^4\d\d$/) })
    const { rows } = await sql('select 1 from storage.objects where bucket_id = $1 and name = $2', [bucket, name])
    expect(rows).toHaveLength(0)
  })

  it('refuses a multipart body without a file', async () => {
    const form = new FormData()
    form.append('cacheControl', '3600')
    const response = await fetch(`${base}/object/${bucket}/nofile.txt`,
      { method: 'POST', body: form, headers: service })
    expect(await response.json()).toMatchObject({ statusCode: '400', code: 'InvalidRequest' })
  })

  it.each(['postgres', 'supabase_admin', 'authenticator', ''])(
    'refuses a correctly signed token with the role "%s"', async (role) => {
      const token = await signJwt(stack.jwtSecret, { sub: owner, role, exp: Math.floor(Date.now() / 1000) + 60 })
      const response = await fetch(`${base}/object/authenticated/${bucket}/known.txt`, {
        headers: { apikey: stack.anonKey, authorization: `Bearer ${token}` },
      })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ statusCode: '403', code: 'AccessDenied' })
    })

  it('still answers after all of the above', async () => {
    const { data } = await serviceClient().storage.from(bucket).download('known.txt')
    expect(await data!.text()).toBe('known content')
  })
})

describe('early answers to large uploads reach the client', () => {
  it('gives a refused 8 MB upload its RLS error, not a broken connection', async () => {
    const storage = (await clientAs(randomUUID())).storage.from(bucket)
    const { error } = await storage.upload(`${owner}/big.bin`, new Blob([Buffer.alloc(8 * 1024 * 1024)]))
    expect(error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' })
  })
})

describe('file and row stay in step', () => {
  it('keeps the last of several concurrent overwrites on disk and in the row', async () => {
    const storage = serviceClient().storage.from(bucket)
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) =>
      storage.upload('contended.txt', `version ${i} `.repeat(i + 1), { upsert: true })))
    expect(results.every(result => result.error === null)).toBe(true)
    const onDisk = readFileSync(join(stack.dataDir, 'storage', bucket, 'contended.txt'))
    const { rows } = await sql('select metadata from storage.objects where bucket_id = $1 and name = $2',
      [bucket, 'contended.txt'])
    expect(rows[0].metadata.size).toBe(onDisk.length)
    expect(rows[0].metadata.eTag).toBe(`"${createHash('md5').update(onDisk).digest('hex')}"`)
  })

  it('refuses a key that is also a folder on disk, leaving the folder\'s files alone', async () => {
    const storage = serviceClient().storage.from(bucket)
    expect((await storage.upload('shelf/book.txt', 'book')).error).toBeNull()
    const { error } = await storage.upload('shelf', 'not a folder')
    expect(error).toMatchObject({ statusCode: '400' })
    expect(error!.message).toContain('clashes with a folder')
    const { rows } = await sql('select 1 from storage.objects where bucket_id = $1 and name = $2', [bucket, 'shelf'])
    expect(rows).toHaveLength(0)
    expect(await (await storage.download('shelf/book.txt')).data!.text()).toBe('book')
  })
})

describe('policies see the request as storage-api describes it', () => {
  it('lets a policy read request headers and the operation', async () => {
    const consentBucket = 'test-input-consent'
    await sql('insert into storage.buckets (id, name) values ($1, $1) on conflict do nothing', [consentBucket])
    await sql(`create policy "Uploads need a consent header" on storage.objects for insert to authenticated
      with check (bucket_id = '${consentBucket}'
        and current_setting('request.headers', true)::json ->> 'x-consent' = 'confirmed'
        and current_setting('storage.operation', true) = 'storage.object.upload'
        and current_setting('request.method', true) = 'POST')`)
    const storage = (await clientAs(randomUUID())).storage.from(consentBucket)
    expect((await storage.upload('without.txt', 'x')).error).toMatchObject({ statusCode: '403' })
    const withConsent = await storage.upload('with.txt', 'x', { headers: { 'x-consent': 'confirmed' } })
    expect(withConsent.error).toBeNull()
  })
})

describe('signed URL options', () => {
  it('sends a signed URL made with download: true as an attachment', async () => {
    const { data } = await serviceClient().storage.from(bucket).createSignedUrl('known.txt', 60, { download: true })
    const response = await fetch(data!.signedUrl)
    expect(response.headers.get('content-disposition')).toContain('attachment; filename="known.txt"')
    expect(await response.text()).toBe('known content')
  })
})
