import { randomUUID } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { anonClient, clientAs, serviceClient, sql, stack } from './support.ts'

// supabase-js builds a realtime client, which needs a WebSocket; Node 20 has none built in.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

function uniqueBucket(label: string) {
  return `test-${label}-${randomUUID().slice(0, 8)}`
}

describe('bucket administration with the service role', () => {
  it('creates a bucket with limits and reads it back', async () => {
    const storage = serviceClient().storage
    const id = uniqueBucket('photos')
    const created = await storage.createBucket(id, { public: true, fileSizeLimit: '2MB',
      allowedMimeTypes: ['image/*', 'video/mp4'] })
    expect(created).toEqual({ data: { name: id }, error: null })

    const { data } = await storage.getBucket(id)
    expect(data).toMatchObject({ id, name: id, public: true, file_size_limit: 2_000_000,
      allowed_mime_types: ['image/*', 'video/mp4'], type: 'STANDARD' })
  })

  it('lists buckets, with search and sorting', async () => {
    const storage = serviceClient().storage
    const first = uniqueBucket('listed-a')
    const second = first.replace('listed-a', 'listed-b')
    await storage.createBucket(first)
    await storage.createBucket(second)
    const { data } = await storage.listBuckets({ search: first.slice(-8), sortColumn: 'name', sortOrder: 'desc' })
    expect(data!.map(bucket => bucket.id)).toEqual([second, first])
  })

  it('updates only the settings it is given', async () => {
    const storage = serviceClient().storage
    const id = uniqueBucket('updated')
    await storage.createBucket(id, { public: false, fileSizeLimit: 1000 })
    expect(await storage.updateBucket(id, { public: true })).toEqual({
      data: { message: 'Successfully updated' }, error: null })
    expect((await storage.getBucket(id)).data).toMatchObject({ public: true, file_size_limit: 1000 })
  })

  it('refuses a duplicate bucket with 409 and a bad name with 400', async () => {
    const storage = serviceClient().storage
    const id = uniqueBucket('twice')
    await storage.createBucket(id)
    expect((await storage.createBucket(id)).error).toMatchObject({ status: 400, statusCode: '409',
      message: 'The resource already exists' })
    const response = await fetch(`${stack.apiUrl}/storage/v1/bucket`, {
      method: 'POST',
      headers: { 'apikey': stack.serviceRoleKey, 'authorization': `Bearer ${stack.serviceRoleKey}`,
        'content-type': 'application/json' },
      body: JSON.stringify({ name: 'no/slashes' }),
    })
    expect(await response.json()).toEqual({ statusCode: '400', code: 'InvalidBucketName', error: 'Invalid Input',
      message: 'Bucket name invalid' })
  })

  it('answers 404 for a bucket that does not exist', async () => {
    const { error } = await serviceClient().storage.getBucket('test-never-made')
    expect(error).toMatchObject({ statusCode: '404', message: 'Bucket not found' })
    const upload = await serviceClient().storage.from('test-never-made').upload('a.txt', 'x')
    expect(upload.error).toMatchObject({ statusCode: '404', message: 'Bucket not found' })
  })

  it('refuses to delete a bucket that still has objects, then empties and deletes it with its folder', async () => {
    const storage = serviceClient().storage
    const id = uniqueBucket('full')
    await storage.createBucket(id)
    await storage.from(id).upload('a/b.txt', 'b')
    await storage.from(id).upload('c.txt', 'c')
    expect(existsSync(join(stack.dataDir, 'storage', id, 'a', 'b.txt'))).toBe(true)

    expect((await storage.deleteBucket(id)).error).toMatchObject({ statusCode: '409',
      message: 'The bucket you tried to delete is not empty' })
    expect(await storage.emptyBucket(id)).toEqual({ data: { message: 'Successfully emptied' }, error: null })
    const { rows } = await sql('select count(*)::int as n from storage.objects where bucket_id = $1', [id])
    expect(rows[0].n).toBe(0)
    expect(await storage.deleteBucket(id)).toEqual({ data: { message: 'Successfully deleted' }, error: null })
    expect(existsSync(join(stack.dataDir, 'storage', id))).toBe(false)
  })
})

describe('buckets are gated by RLS on storage.buckets too', () => {
  it('does not let a user or anon create buckets without a policy', async () => {
    for (const client of [anonClient(), await clientAs(randomUUID())]) {
      const { error } = await client.storage.createBucket(uniqueBucket('sneaky'))
      expect(error).toMatchObject({ statusCode: '403', message: 'new row violates row-level security policy' })
    }
  })

  it('shows a user only the buckets a policy lets them see', async () => {
    const visible = uniqueBucket('visible')
    const hidden = uniqueBucket('hidden')
    await sql('insert into storage.buckets (id, name) values ($1, $1), ($2, $2)', [visible, hidden])
    await sql(`create policy "Users can see ${visible}" on storage.buckets for select to authenticated
      using (id = '${visible}')`)
    const storage = (await clientAs(randomUUID())).storage
    const { data } = await storage.listBuckets()
    expect(data!.map(bucket => bucket.id)).toContain(visible)
    expect(data!.map(bucket => bucket.id)).not.toContain(hidden)
    expect((await storage.getBucket(hidden)).error).toMatchObject({ statusCode: '404' })
  })
})
