import { signJwt } from '../jwt.ts'
import { verifyToken } from './caller.ts'
import { errors } from './errors.ts'

/** Claims of a signed download URL: storage-api's `{url}` plus a `scope`, so an upload token never reads. */
interface DownloadClaims { url: string, scope: 'download', iat: number, exp: number }

/** Claims of a signed upload URL. */
export interface UploadClaims { url: string, scope: 'upload', owner: string | null, upsert: boolean, exp: number }

const uploadUrlSeconds = 2 * 60 * 60

function now() {
  return Math.floor(Date.now() / 1000)
}

/** Signs `bucket/key` for download during `expiresIn` seconds. */
export function signDownload(secret: string, path: string, expiresIn: number) {
  const iat = now()
  return signJwt(secret, { url: path, scope: 'download', iat, exp: iat + expiresIn })
}

/** Signs `bucket/key` for one upload during two hours, as storage-api does. */
export function signUpload(secret: string, path: string, owner: string | null, upsert: boolean) {
  const iat = now()
  return signJwt(secret, { url: path, scope: 'upload', owner, upsert, iat, exp: iat + uploadUrlSeconds })
}

async function verify(secret: string, token: string | null) {
  if (!token) throw errors.invalidRequest('querystring must have required property \'token\'')
  try {
    return await verifyToken(secret, token)
  }
  catch (error) {
    throw errors.invalidJwt((error as Error).message)
  }
}

/** Checks a signed download token: signature, expiry, scope and the exact path. */
export async function verifyDownload(secret: string, token: string | null, path: string) {
  const claims = await verify(secret, token) as Partial<DownloadClaims>
  if (claims.url !== path || claims.scope !== 'download') throw errors.invalidSignature()
  return claims as DownloadClaims
}

/** Checks a signed upload token: signature, expiry, scope and the exact path. */
export async function verifyUpload(secret: string, token: string | null, path: string) {
  const claims = await verify(secret, token) as Partial<UploadClaims>
  if (claims.url !== path || claims.scope !== 'upload') throw errors.invalidSignature()
  return claims as UploadClaims
}

/** Reads `expiresIn` from a sign request: whole seconds, at least one. */
export function expiresInOf(value: unknown) {
  const seconds = typeof value === 'string' ? Number(value) : value
  if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1) {
    throw errors.invalidRequest('body/expiresIn must be a number of seconds, at least 1')
  }
  return Math.floor(seconds)
}
