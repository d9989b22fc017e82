import { randomUUID } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { signJwt } from '../src/jwt.ts'
import { anonClient, clientAs, sql, stack, userToken } from './support.ts'

// supabase-js builds a realtime client, which needs a WebSocket; Node 20 has none built in.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

// Each user owns the folder named after their id; a drop box takes uploads
// (INSERT only) but lets nobody read them back.
const bucket = 'test-access'
const dropBox = 'test-access-dropbox'
const alice = randomUUID()
const bob = randomUUID()
const aliceFile = `${alice}/diary.txt`
const rlsError = { statusCode: '403', message: 'new row violates row-level security policy' }

function onDisk(name: string, inBucket = bucket) {
  const path = join(stack.dataDir, 'storage', inBucket, name)
  return existsSync(path) ? readFileSync(path, 'utf8') : undefined
}

async function rowCount(name: string, inBucket = bucket) {
  const { rows } = await sql('select count(*)::int as n from storage.objects where bucket_id = $1 and name = $2',
    [inBucket, name])
  return rows[0].n as number
}

beforeAll(async () => {
  await sql(`insert into storage.buckets (id, name) values ($1, $1), ($2, $2) on conflict do nothing`,
    [bucket, dropBox])
  const own = `bucket_id = '${bucket}' and (storage.foldername(name))[1] = auth.uid()::text`
  await sql(`create policy "Owners can read their folder" on storage.objects for select to authenticated
    using (${own})`)
  await sql(`create policy "Owners can add to their folder" on storage.objects for insert to authenticated
    with check (${own})`)
  await sql(`create policy "Owners can change their folder" on storage.objects for update to authenticated
    using (${own}) with check (${own})`)
  await sql(`create policy "Owners can delete from their folder" on storage.objects for delete to authenticated
    using (${own})`)
  await sql(`create policy "Anyone signed in can drop files" on storage.objects for insert to authenticated
    with check (bucket_id = '${dropBox}')`)
  const { error } = await (await clientAs(alice)).storage.from(bucket).upload(aliceFile, 'dear diary')
  expect(error).toBeNull()
})

describe('another user cannot touch alice\'s file', () => {
  it('cannot download it, see its info or sign it: the object is simply not found', async () => {
    const storage = (await clientAs(bob)).storage.from(bucket)
    for (const { error } of [await storage.download(aliceFile), await storage.info(aliceFile),
      await storage.createSignedUrl(aliceFile, 60)]) {
      expect(error).toMatchObject({ statusCode: '404', message: 'Object not found' })
    }
  })

  it('cannot list it', async () => {
    const { data } = await (await clientAs(bob)).storage.from(bucket).list(alice)
    expect(data).toEqual([])
  })

  it('cannot overwrite it, and the bytes stay alice\'s', async () => {
    const storage = (await clientAs(bob)).storage.from(bucket)
    const upsert = await storage.upload(aliceFile, 'bob was here', { upsert: true })
    expect(upsert.error).toMatchObject(rlsError)
    expect((await storage.update(aliceFile, 'bob was here')).error).toMatchObject(rlsError)
    expect(onDisk(aliceFile)).toBe('dear diary')
  })

  it('cannot upload into her folder', async () => {
    const { error } = await (await clientAs(bob)).storage.from(bucket).upload(`${alice}/planted.txt`, 'x')
    expect(error).toMatchObject(rlsError)
    expect(await rowCount(`${alice}/planted.txt`)).toBe(0)
    expect(onDisk(`${alice}/planted.txt`)).toBeUndefined()
  })

  it('cannot move or copy it', async () => {
    const storage = (await clientAs(bob)).storage.from(bucket)
    expect((await storage.move(aliceFile, `${bob}/stolen.txt`)).error).toMatchObject({ statusCode: '404' })
    expect((await storage.copy(aliceFile, `${bob}/stolen.txt`)).error).toMatchObject({ statusCode: '404' })
    expect(onDisk(aliceFile)).toBe('dear diary')
    expect(onDisk(`${bob}/stolen.txt`)).toBeUndefined()
  })

  it('cannot delete it: the name is silently skipped', async () => {
    const { data, error } = await (await clientAs(bob)).storage.from(bucket).remove([aliceFile])
    expect(error).toBeNull()
    expect(data).toEqual([])
    expect(await rowCount(aliceFile)).toBe(1)
    expect(onDisk(aliceFile)).toBe('dear diary')
  })

  it('cannot move her own file out of her folder either, when the policy forbids the new name', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/keep.txt`, 'mine')
    const { error } = await storage.move(`${alice}/keep.txt`, `${bob}/gift.txt`)
    expect(error).toMatchObject(rlsError)
    expect(onDisk(`${alice}/keep.txt`)).toBe('mine')
  })
})

describe('sharing through a helper function, as the product\'s policies do', () => {
  const carol = randomUUID()

  beforeAll(async () => {
    // The helper names its table without a schema and pins no search_path, as app helpers often do.
    await sql('create table public.test_storage_shares (owner uuid, viewer uuid)')
    await sql(`create function public.test_storage_is_shared(folder text) returns boolean language plpgsql stable as $$
      begin
        return exists (select 1 from test_storage_shares where owner::text = folder and viewer = auth.uid());
      end $$`)
    await sql(`create policy "Viewers can read folders shared with them" on storage.objects for select
      to authenticated
      using (bucket_id = '${bucket}' and public.test_storage_is_shared((storage.foldername(name))[1]))`)
    await sql('insert into public.test_storage_shares values ($1, $2)', [alice, carol])
  })

  it('lets a viewer list, read and sign alice\'s files, and still not bob', async () => {
    const storage = (await clientAs(carol)).storage.from(bucket)
    const { data, error } = await storage.list(alice)
    expect(error).toBeNull()
    expect(data!.map(entry => entry.name)).toContain('diary.txt')
    expect(await (await storage.download(aliceFile)).data!.text()).toBe('dear diary')
    expect((await storage.createSignedUrl(aliceFile, 60)).error).toBeNull()
    expect((await (await clientAs(bob)).storage.from(bucket).list(alice)).data).toEqual([])
  })

  it('does not let a viewer delete what they may only read', async () => {
    const { data } = await (await clientAs(carol)).storage.from(bucket).remove([aliceFile])
    expect(data).toEqual([])
    expect(onDisk(aliceFile)).toBe('dear diary')
  })
})

describe('anonymous callers', () => {
  it('can neither read nor write', async () => {
    const storage = anonClient().storage.from(bucket)
    expect((await storage.download(aliceFile)).error).toMatchObject({ statusCode: '404' })
    expect((await storage.upload(`${alice}/anon.txt`, 'x')).error).toMatchObject(rlsError)
  })
})

describe('an upload needs only an INSERT policy, as on Supabase', () => {
  it('takes a new file into the drop box but refuses to read or replace it', async () => {
    const storage = (await clientAs(bob)).storage.from(dropBox)
    expect((await storage.upload('letter.txt', 'hello')).error).toBeNull()
    expect(onDisk('letter.txt', dropBox)).toBe('hello')
    expect((await storage.download('letter.txt')).error).toMatchObject({ statusCode: '404' })
    expect((await storage.upload('letter.txt', 'again', { upsert: true })).error).toMatchObject(rlsError)
    expect(onDisk('letter.txt', dropBox)).toBe('hello')
  })
})

describe('tokens', () => {
  const objectUrl = `${stack.apiUrl}/storage/v1/object/authenticated/${bucket}/${aliceFile}`

  it.each([
    ['an expired user token', async () => userToken(alice, { exp: Math.floor(Date.now() / 1000) - 120 }),
      'jwt expired'],
    ['a token signed with another secret', async () => signJwt('not the secret', { sub: alice, role: 'authenticated' }),
      'invalid signature'],
    ['a token that is not a JWT', async () => 'garbage', 'jwt malformed'],
  ])('refuses %s with AccessDenied', async (_name, token, message) => {
    const headers = { apikey: stack.anonKey, authorization: `Bearer ${await token()}` }
    const response = await fetch(objectUrl, { headers })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ statusCode: '403', code: 'AccessDenied', error: 'Unauthorized', message })
  })

  it('refuses an expired signed URL', async () => {
    const iat = Math.floor(Date.now() / 1000) - 600
    const token = await signJwt(stack.jwtSecret,
      { url: `${bucket}/${aliceFile}`, scope: 'download', iat, exp: iat + 60 })
    const response = await fetch(`${stack.apiUrl}/storage/v1/object/sign/${bucket}/${aliceFile}?token=${token}`)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ code: 'InvalidJWT', message: 'jwt expired' })
  })

  it('refuses a signed URL used for another path, with a changed signature or another scope', async () => {
    const storage = (await clientAs(alice)).storage.from(bucket)
    await storage.upload(`${alice}/other.txt`, 'other')
    const { data } = await storage.createSignedUrl(`${alice}/other.txt`, 60)
    const signed = new URL(data!.signedUrl)
    const token = signed.searchParams.get('token')!

    const otherPath = await fetch(`${stack.apiUrl}/storage/v1/object/sign/${bucket}/${aliceFile}?token=${token}`)
    expect(await otherPath.json()).toMatchObject({ code: 'InvalidSignature' })

    const tampered = `${token.slice(0, -4)}${token.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`
    const badSignature = await fetch(`${signed.origin}${signed.pathname}?token=${tampered}`)
    expect(await badSignature.json()).toMatchObject({ code: 'InvalidJWT', message: 'invalid signature' })

    const uploadScope = await signJwt(stack.jwtSecret, { url: `${bucket}/${aliceFile}`, scope: 'upload',
      exp: Math.floor(Date.now() / 1000) + 60 })
    const wrongScope = await fetch(`${stack.apiUrl}/storage/v1/object/sign/${bucket}/${aliceFile}?token=${uploadScope}`)
    expect(await wrongScope.json()).toMatchObject({ code: 'InvalidSignature' })
  })

  it('refuses a signed upload URL used for another path', async () => {
    const { data } = await (await clientAs(alice)).storage.from(bucket).createSignedUploadUrl(`${alice}/up.txt`)
    const response = await fetch(`${stack.apiUrl}/storage/v1/object/upload/sign/${bucket}/${alice}/elsewhere.txt`
      + `?token=${data!.token}`, { method: 'PUT', body: 'x', headers: { 'content-type': 'text/plain' } })
    expect(await response.json()).toMatchObject({ code: 'InvalidSignature' })
    expect(await rowCount(`${alice}/elsewhere.txt`)).toBe(0)
  })

  it('will not sign an upload the caller could not make', async () => {
    const { error } = await (await clientAs(bob)).storage.from(bucket).createSignedUploadUrl(`${alice}/trap.txt`)
    expect(error).toMatchObject(rlsError)
  })
})
