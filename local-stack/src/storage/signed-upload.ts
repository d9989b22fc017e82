import { randomUUID } from 'node:crypto'
import { headerValue } from '../context.ts'
import { sendJson } from '../http.ts'
import { callerClaims, ownerOf } from './caller.ts'
import { mustBeValidKey } from './keys.ts'
import type { StorageRequest } from './route.ts'
import { bucketLimits, probe, writeObject } from './rows.ts'
import { signUpload, verifyUpload } from './signing.ts'
import { storeUpload } from './writes.ts'

/** POST /object/upload/sign/{bucket}/{key}: a two-hour upload URL, if the caller may create the object. */
export async function createSignedUpload(r: StorageRequest, bucket: string, key: string) {
  const claims = await callerClaims(r.ctx, r.req, r.url)
  const upsert = headerValue(r.req.headers['x-upsert']) === 'true'
  mustBeValidKey(key)
  await bucketLimits(r.ctx, bucket)
  const { owner, ownerId } = ownerOf(claims)
  const metadata = { eTag: '', size: 0, mimetype: '', cacheControl: '', lastModified: '', contentLength: 0,
    httpStatusCode: 200 }
  await probe(r, claims, 'storage.object.upload_sign', client => writeObject(client, {
    id: randomUUID(), bucket, key, owner, ownerId, metadata, userMetadata: null, version: randomUUID(),
  }, upsert))
  const path = `${bucket}/${key}`
  const token = await signUpload(r.ctx.secrets.jwtSecret, path, ownerId, upsert)
  sendJson(r.res, 200, { url: `/object/upload/sign/${path}?token=${token}`, token })
}

/** PUT /object/upload/sign/{bucket}/{key}?token=…: the token's signer already passed RLS. */
export async function uploadWithToken(r: StorageRequest, bucket: string, key: string) {
  const claims = await verifyUpload(r.ctx.secrets.jwtSecret, r.url.searchParams.get('token'), `${bucket}/${key}`)
  const signer = ownerOf({ sub: claims.owner ?? undefined })
  const result = await storeUpload(r, bucket, key, {
    claims: { role: 'service_role', sub: claims.owner ?? undefined },
    ...signer,
    upsert: claims.upsert === true,
  })
  sendJson(r.res, 200, result)
}
