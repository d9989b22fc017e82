import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { clientAs, serviceClient, sql, stack, userToken } from './support.ts'

// One private bucket where each user owns the folder named after their id,
// and one public bucket; the policies are the ones the product will use.
// supabase-js builds a realtime client, which needs a WebSocket; Node 20 has none built in.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

const bucket = 'test-objects'
const publicBucket = 'test-objects-public'
const alice = randomUUID()

async function fileOnDisk(name: string, inBucket = bucket) {
  const path = join(stack.dataDir, 'storage', inBucket, name)
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

beforeAll(async () => {
  await sql(`insert into storage.buckets (id, name, public) values ($1, $1, false), ($2, $2, true)
    on conflict do nothing`, [bucket, publicBucket])
  const own = `bucket_id in ('${bucket}', '${publicBucket}') and (storage.foldername(name))[1] = auth.uid()::text`
  await sql(`create policy "Owners can read their objects folder" on storage.objects for select to authenticated
    using (${own})`)
  await sql(`create policy "Owners can add to their objects folder" on storage.objects for insert to authenticated
    with check (${own})`)
  await sql(`create policy "Owners can change their objects folder" on storage.objects for update to authenticated
    using (${own}) with check (${own})`)
  await sql(`create policy "Owners can delete from their objects folder" on storage.objects for delete
    to authenticated using (${own})`)
})

describe('uploading and reading back', () => {
  it('uploads a Blob as multipart and downloads the same bytes', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    const story = new Blob(['Once upon a time'], { type: 'text/plain' })
    const { data, error } = await storage.upload(`${alice}/story.txt`, story)
    expect(error).toBeNull()
    expect(data).toMatchObject({ path: `${alice}/story.txt`, fullPath: `${bucket}/${alice}/story.txt` })
    expect(data!.id).toMatch(/^[0-9a-f-]{36}$/)

    const download = await storage.download(`${alice}/story.txt`)
    expect(await download.data!.text()).toBe('Once upon a time')
    expect(await fileOnDisk(`${alice}/story.txt`)).toBe('Once upon a time')
  })

  it('uploads a raw body with its content type, cache control and user metadata', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    const body = Buffer.from('{"chapter":1}')
    const { error } = await storage.upload(`${alice}/raw.json`, body, {
      contentType: 'application/json', cacheControl: '60', metadata: { caption: 'first' },
    })
    expect(error).toBeNull()
    const { data: info } = await storage.info(`${alice}/raw.json`)
    expect(info).toMatchObject({ name: `${alice}/raw.json`, bucketId: bucket, size: 13,
      contentType: 'application/json', cacheControl: 'max-age=60', metadata: { caption: 'first' } })
    const { rows } = await sql(`select owner, owner_id, metadata from storage.objects
      where bucket_id = $1 and name = $2`, [bucket, `${alice}/raw.json`])
    expect(rows[0]).toMatchObject({ owner: alice, owner_id: alice })
    expect(rows[0].metadata).toMatchObject({ size: 13, mimetype: 'application/json', cacheControl: 'max-age=60',
      contentLength: 13, httpStatusCode: 200 })
    expect(rows[0].metadata.eTag).toMatch(/^"[0-9a-f]{32}"$/)
  })

  it('refuses a second upload of the same key with 409 Duplicate, and overwrites with upsert or update', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    const key = `${alice}/twice.txt`
    expect((await storage.upload(key, 'first')).error).toBeNull()
    const again = await storage.upload(key, 'second')
    expect(again.error).toMatchObject({ status: 400, statusCode: '409', message: 'The resource already exists' })
    expect(await fileOnDisk(key)).toBe('first')

    expect((await storage.upload(key, 'third', { upsert: true })).error).toBeNull()
    expect(await fileOnDisk(key)).toBe('third')
    expect((await storage.update(key, 'fourth')).error).toBeNull()
    expect(await (await storage.download(key)).data!.text()).toBe('fourth')
  })

  it('tells whether an object exists', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/here.txt`, 'x')
    expect((await storage.exists(`${alice}/here.txt`)).data).toBe(true)
    expect((await storage.exists(`${alice}/not-here.txt`)).data).toBe(false)
  })

  it('answers 404 NoSuchKey for a missing object', async () => {
    const { error } = await (await clientAs(alice)).storage.from(bucket).download(`${alice}/missing.txt`)
    expect(error).toMatchObject({ status: 400, statusCode: '404' })
    const response = await fetch(`${stack.apiUrl}/storage/v1/object/info/${bucket}/${alice}/missing.txt`, {
      headers: { apikey: stack.anonKey, authorization: `Bearer ${stack.serviceRoleKey}` },
    })
    expect(await response.json()).toEqual({ statusCode: '404', code: 'NoSuchKey', error: 'not_found',
      message: 'Object not found' })
  })
})

describe('downloads for browsers and phones', () => {
  const key = `${alice}/video.bin`
  const content = 'abcdefghijklmnopqrstuvwxyz'
  const url = `${stack.apiUrl}/storage/v1/object/authenticated/${bucket}/${key}`
  let headers: Record<string, string>

  beforeAll(async () => {
    const client = await clientAs(alice)
    await client.storage.from(bucket).upload(key, Buffer.from(content), { contentType: 'video/mp4', upsert: true })
    headers = { apikey: stack.anonKey, authorization: `Bearer ${await userToken(alice)}` }
  })

  it('sends content type, cache control, etag, last-modified and length', async () => {
    const response = await fetch(url, { headers })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('video/mp4')
    expect(response.headers.get('cache-control')).toBe('max-age=3600')
    expect(response.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/)
    expect(new Date(response.headers.get('last-modified')!).getTime()).toBeGreaterThan(Date.now() - 60_000)
    expect(response.headers.get('content-length')).toBe('26')
    expect(await response.text()).toBe(content)
  })

  it.each([
    ['bytes=0-4', 'abcde', 'bytes 0-4/26'],
    ['bytes=20-', 'uvwxyz', 'bytes 20-25/26'],
    ['bytes=-3', 'xyz', 'bytes 23-25/26'],
    ['bytes=24-100', 'yz', 'bytes 24-25/26'],
  ])('answers Range %s with 206 and just those bytes', async (range, body, contentRange) => {
    const response = await fetch(url, { headers: { ...headers, range } })
    expect(response.status).toBe(206)
    expect(response.headers.get('content-range')).toBe(contentRange)
    expect(await response.text()).toBe(body)
  })

  it('answers a range past the end with 416', async () => {
    const response = await fetch(url, { headers: { ...headers, range: 'bytes=30-40' } })
    expect(response.status).toBe(416)
    expect(response.headers.get('content-range')).toBe('bytes */26')
  })

  it('answers If-None-Match with the current etag by 304', async () => {
    const etag = (await fetch(url, { headers })).headers.get('etag')!
    const response = await fetch(url, { headers: { ...headers, 'if-none-match': etag } })
    expect(response.status).toBe(304)
    expect(await response.text()).toBe('')
  })

  it('sends ?download as an attachment, with the given name or the file name', async () => {
    const plain = await fetch(`${url}?download`, { headers })
    expect(plain.headers.get('content-disposition')).toContain('attachment; filename="video.bin"')
    const named = await fetch(`${url}?download=film.mp4`, { headers })
    expect(named.headers.get('content-disposition')).toContain('attachment; filename="film.mp4"')
  })

  it('answers HEAD with the headers and no body', async () => {
    const response = await fetch(url, { method: 'HEAD', headers })
    expect(response.status).toBe(200)
    expect(response.headers.get('content-length')).toBe('26')
  })
})

describe('public buckets', () => {
  it('serves any object of a public bucket at its public URL without a token', async () => {
    const storage = (await clientAs(alice)).storage.from(publicBucket)
    await storage.upload(`${alice}/portrait.txt`, 'smile')
    const { data } = storage.getPublicUrl(`${alice}/portrait.txt`)
    const response = await fetch(data.publicUrl)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('smile')
  })

  it('gives the info of a public object without RLS, and hides a private bucket from callers without a valid token',
    async () => {
      const storage = (await clientAs(alice)).storage
      await storage.from(publicBucket).upload(`${alice}/open.txt`, 'open', { upsert: true })
      await storage.from(bucket).upload(`${alice}/closed.txt`, 'closed', { upsert: true })
      const base = `${stack.apiUrl}/storage/v1/object`
      const publicInfo = await fetch(`${base}/info/public/${publicBucket}/${alice}/open.txt`)
      expect(await publicInfo.json()).toMatchObject({ name: `${alice}/open.txt`, size: 4 })
      const head = await fetch(`${base}/public/${publicBucket}/${alice}/open.txt`, { method: 'HEAD' })
      expect(head.status).toBe(200)

      const badToken = { authorization: 'Bearer not-a-token' }
      for (const path of [`info/${bucket}/${alice}/closed.txt`, `${bucket}/${alice}/closed.txt`,
        `info/public/${bucket}/${alice}/closed.txt`]) {
        const response = await fetch(`${base}/${path}`, { headers: badToken })
        expect(await response.json()).toMatchObject({ statusCode: '404', message: 'Bucket not found' })
      }
    })

  it('does not serve a private bucket at a public URL', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/secret.txt`, 'hidden')
    const response = await fetch(storage.getPublicUrl(`${alice}/secret.txt`).data.publicUrl)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ statusCode: '404', code: 'NoSuchBucket' })
  })
})

describe('listing', () => {
  const user = randomUUID()

  beforeAll(async () => {
    const storage = (await clientAs(user)).storage.from(bucket)
    for (const name of ['b.txt', 'a.txt', 'Album/1.jpg', 'Album/2.jpg', 'letters/2020/x.txt', 'c.txt']) {
      const { error } = await storage.upload(`${user}/${name}`, name)
      expect(error).toBeNull()
    }
  })

  it('lists one level: folders first with a null id, then files, names relative to the prefix', async () => {
    const { data, error } = await (await clientAs(user)).storage.from(bucket).list(user)
    expect(error).toBeNull()
    expect(data!.map(entry => [entry.name, entry.id === null])).toEqual([
      ['Album', true], ['letters', true], ['a.txt', false], ['b.txt', false], ['c.txt', false],
    ])
    expect(data![2]!.metadata).toMatchObject({ size: 5, mimetype: 'text/plain;charset=UTF-8' })
  })

  it.each([
    [{ limit: 2 }, ['Album', 'letters']],
    [{ limit: 2, offset: 3 }, ['b.txt', 'c.txt']],
    [{ search: 'b' }, ['b.txt']],
    [{ search: 'AL' }, ['Album']],
    [{ sortBy: { column: 'name', order: 'desc' } }, ['letters', 'Album', 'c.txt', 'b.txt', 'a.txt']],
  ])('honours %j', async (options, names) => {
    const { data } = await (await clientAs(user)).storage.from(bucket).list(user, options)
    expect(data!.map(entry => entry.name)).toEqual(names)
  })

  it('lists inside a folder', async () => {
    const { data } = await (await clientAs(user)).storage.from(bucket).list(`${user}/Album`)
    expect(data!.map(entry => entry.name)).toEqual(['1.jpg', '2.jpg'])
  })
})

describe('listing, version 2', () => {
  const user = randomUUID()

  beforeAll(async () => {
    const storage = (await clientAs(user)).storage.from(bucket)
    for (const name of ['b.txt', 'a.txt', 'Album/1.jpg', 'Album/2.jpg', 'c.txt']) {
      expect((await storage.upload(`${user}/${name}`, name)).error).toBeNull()
    }
  })

  it('lists every object under a prefix with full keys', async () => {
    const { data, error } = await (await clientAs(user)).storage.from(bucket).listV2({ prefix: `${user}/` })
    expect(error).toBeNull()
    expect(data!.folders).toEqual([])
    expect(data!.objects.map(object => object.name)).toEqual(
      ['Album/1.jpg', 'Album/2.jpg', 'a.txt', 'b.txt', 'c.txt'].map(name => `${user}/${name}`))
    expect(data!.hasNext).toBe(false)
  })

  it('separates folders with with_delimiter and pages with the cursor', async () => {
    const storage = (await clientAs(user)).storage.from(bucket)
    const first = await storage.listV2({ prefix: `${user}/`, with_delimiter: true, limit: 2 })
    expect(first.data!.folders).toEqual([{ name: `${user}/Album/`, key: `${user}/Album/` }])
    expect(first.data!.objects.map(object => object.name)).toEqual([`${user}/a.txt`])
    expect(first.data!.hasNext).toBe(true)
    const second = await storage.listV2({ prefix: `${user}/`, with_delimiter: true, limit: 2,
      cursor: first.data!.nextCursor })
    expect(second.data!.objects.map(object => object.name)).toEqual([`${user}/b.txt`, `${user}/c.txt`])
    expect(second.data!.hasNext).toBe(false)
  })

  it('shows another user nothing', async () => {
    const { data } = await (await clientAs(randomUUID())).storage.from(bucket).listV2({ prefix: `${user}/` })
    expect(data!.objects).toEqual([])
  })
})

describe('moving, copying and removing', () => {
  it('moves an object and its file', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/draft.txt`, 'words')
    const { data, error } = await storage.move(`${alice}/draft.txt`, `${alice}/final/story.txt`)
    expect(error).toBeNull()
    expect(data).toEqual({ message: 'Successfully moved' })
    expect(await fileOnDisk(`${alice}/draft.txt`)).toBeUndefined()
    expect(await fileOnDisk(`${alice}/final/story.txt`)).toBe('words')
    expect((await storage.exists(`${alice}/draft.txt`)).data).toBe(false)
  })

  it('moves an object to another bucket', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/to-share.txt`, 'shared')
    const { error } = await storage.move(`${alice}/to-share.txt`, `${alice}/shared.txt`,
      { destinationBucket: publicBucket })
    expect(error).toBeNull()
    expect(await fileOnDisk(`${alice}/shared.txt`, publicBucket)).toBe('shared')
    expect(await fileOnDisk(`${alice}/to-share.txt`)).toBeUndefined()
  })

  it('copies an object, keeping the original', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/original.txt`, 'copy me', { metadata: { kind: 'letter' } })
    const { data, error } = await storage.copy(`${alice}/original.txt`, `${alice}/copy.txt`)
    expect(error).toBeNull()
    expect(data).toEqual({ path: `${bucket}/${alice}/copy.txt` })
    expect(await fileOnDisk(`${alice}/original.txt`)).toBe('copy me')
    expect(await fileOnDisk(`${alice}/copy.txt`)).toBe('copy me')
    expect((await storage.info(`${alice}/copy.txt`)).data).toMatchObject({ metadata: { kind: 'letter' } })
  })

  it('refuses to move onto an existing key', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/m1.txt`, '1')
    await storage.upload(`${alice}/m2.txt`, '2')
    const { error } = await storage.move(`${alice}/m1.txt`, `${alice}/m2.txt`)
    expect(error).toMatchObject({ statusCode: '409' })
    expect(await fileOnDisk(`${alice}/m1.txt`)).toBe('1')
    expect(await fileOnDisk(`${alice}/m2.txt`)).toBe('2')
  })

  it('removes many objects and their files, skipping names that do not exist', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/r1.txt`, '1')
    await storage.upload(`${alice}/r2.txt`, '2')
    const { data, error } = await storage.remove([`${alice}/r1.txt`, `${alice}/r2.txt`, `${alice}/never.txt`])
    expect(error).toBeNull()
    expect(data!.map(row => row.name).sort()).toEqual([`${alice}/r1.txt`, `${alice}/r2.txt`])
    expect(await fileOnDisk(`${alice}/r1.txt`)).toBeUndefined()
    const { rows } = await sql('select count(*)::int as n from storage.objects where bucket_id = $1 and name like $2',
      [bucket, `${alice}/r_.txt`])
    expect(rows[0].n).toBe(0)
  })
})

describe('signed URLs', () => {
  it('signs a download URL that works without any other credentials', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/signed.txt`, 'for your eyes')
    const { data, error } = await storage.createSignedUrl(`${alice}/signed.txt`, 60)
    expect(error).toBeNull()
    const response = await fetch(data!.signedUrl)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe('for your eyes')
  })

  it('signs many paths at once, with an error for those that do not exist', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/many1.txt`, 'one')
    const { data } = await storage.createSignedUrls([`${alice}/many1.txt`, `${alice}/nope.txt`], 60)
    expect(data![0]).toMatchObject({ error: null, path: `${alice}/many1.txt` })
    expect(await (await fetch(data![0]!.signedUrl!)).text()).toBe('one')
    expect(data![1]).toMatchObject({ path: `${alice}/nope.txt`, signedUrl: null })
    expect(data![1]!.error).toContain('does not exist')
  })

  it('uploads through a signed upload URL, owned by the signer', async () => {
    const client = await clientAs(alice)
    const storage = client.storage.from(bucket)
    const { data, error } = await storage.createSignedUploadUrl(`${alice}/via-token.txt`)
    expect(error).toBeNull()
    const upload = await serviceClient().storage.from(bucket)
      .uploadToSignedUrl(`${alice}/via-token.txt`, data!.token, new Blob(['sent later']))
    expect(upload.error).toBeNull()
    expect(await fileOnDisk(`${alice}/via-token.txt`)).toBe('sent later')
    const { rows } = await sql('select owner_id from storage.objects where bucket_id = $1 and name = $2',
      [bucket, `${alice}/via-token.txt`])
    expect(rows[0].owner_id).toBe(alice)
  })
})
