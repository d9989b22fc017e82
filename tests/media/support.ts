// Small media files made here (the base suite needs no fixtures folder), and
// readers that say what metadata a stored file still carries.
import { existsSync, readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import exifr from 'exifr'
import sharp from 'sharp'
import { inject } from 'vitest'
import { userToken } from '../../local-stack/tests/support'

/** The real phone and camera files (not in the repo; see its README). */
export const fixturesRoot = resolve(import.meta.dirname, '../../../shared/fixtures/media')
/** Whether the real fixtures are here; tests that need them run only then. */
export const fixturesExist = existsSync(fixturesRoot)

/** The bytes of a real fixture, e.g. "orientation/Landscape_6.jpg". */
export function fixture(path: string) {
  return readFileSync(resolve(fixturesRoot, path))
}

/**
 * A 60 × 40 JPEG whose stored pixels are red on the left, blue on the right,
 * tagged with the given EXIF orientation, a camera make and a GPS position.
 */
export async function taggedJpeg(orientation = 1) {
  return sharp({ create: { width: 60, height: 40, channels: 3, background: '#cc0000' } })
    .composite([{ input: { create: { width: 30, height: 40, channels: 3, background: '#0000cc' } }, left: 30, top: 0 }])
    .jpeg({ quality: 95 })
    .withExif({
      IFD0: { Make: 'Minnespor test camera' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '59/1 54/1 30/1', GPSLongitudeRef: 'E', GPSLongitude: '10/1 45/1 0/1' },
    })
    .withMetadata({ orientation })
    .toBuffer()
}

/** A small 40 × 20 PNG, opaque green on the left, fully transparent on the right. */
export function halfTransparentPng() {
  const data = Buffer.alloc(40 * 20 * 4)
  for (let i = 0; i < 40 * 20; i++) {
    if (i % 40 < 20) data.set([0, 128, 0, 255], i * 4)
  }
  return sharp(data, { raw: { width: 40, height: 20, channels: 4 } }).png().toBuffer()
}

/** An animated GIF of `frames` frames, each a different shade. */
export async function animatedGif(frames = 4) {
  const stills = await Promise.all(Array.from({ length: frames }, (_, i) =>
    sharp({ create: { width: 32, height: 24, channels: 3, background: { r: 40 + i * 50, g: 80, b: 120 } } }).png().toBuffer()))
  return sharp(stills, { join: { animated: true } }).gif().toBuffer()
}

/** What location or camera metadata a stored file still has; an empty list when none. */
export async function leftoverMetadata(bytes: Buffer) {
  const found: string[] = []
  const meta = await sharp(bytes).metadata()
  if (meta.exif) found.push('EXIF')
  if (meta.xmp) found.push('XMP')
  if (meta.iptc) found.push('IPTC')
  const gps = await exifr.gps(bytes).catch(() => undefined)
  if (gps && (gps.latitude || gps.longitude)) found.push('GPS')
  return found
}

/** Mean absolute difference per channel (0–255) between two pictures scaled to 48 × 32 greys. */
export async function pictureDistance(a: Buffer, b: Buffer) {
  const small = (bytes: Buffer) => sharp(bytes).resize(48, 32, { fit: 'fill' }).greyscale().raw().toBuffer()
  const [x, y] = await Promise.all([small(a), small(b)])
  let sum = 0
  for (let i = 0; i < x.length; i++) sum += Math.abs(x[i]! - y[i]!)
  return sum / x.length
}

/** The RGB colour of one pixel of an image. */
export async function pixel(bytes: Buffer, x: number, y: number) {
  const { data, info } = await sharp(bytes).raw().toBuffer({ resolveWithObject: true })
  const at = (y * info.width + x) * info.channels
  return { r: data[at]!, g: data[at + 1]!, b: data[at + 2]!, a: info.channels === 4 ? data[at + 3]! : 255 }
}

/** The session cookie @nuxtjs/supabase reads, as the browser would hold it after signing in. */
export async function sessionCookie(userId: string) {
  const token = await userToken(userId)
  const now = Math.floor(Date.now() / 1000)
  const session = {
    access_token: token, refresh_token: 'not-used', token_type: 'bearer', expires_in: 3600, expires_at: now + 3600,
    user: { id: userId, aud: 'authenticated', role: 'authenticated' },
  }
  const value = `base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}`
  const name = `sb-${new URL(inject('stack').apiUrl).hostname.split('.')[0]}-auth-token`
  const chunks = value.match(/.{1,3180}/g)!
  return chunks.length === 1 ? `${name}=${value}` : chunks.map((chunk, i) => `${name}.${i}=${chunk}`).join('; ')
}
