import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { mp4Markers, tinyMp4 } from './mp4'
import { animatedGif, halfTransparentPng, leftoverMetadata, pixel, taggedJpeg } from './support'
import { processMedia } from '../../server/utils/media/pipeline'
import type { MediaRefusal } from '../../server/utils/media/sniff'
import { cleanFileName } from '../../server/utils/media/store'

async function refusalOf(bytes: Buffer) {
  return processMedia(bytes).then(() => undefined, (error: unknown) => error as MediaRefusal)
}

const red = { r: 204, g: 0, b: 0 }
const blue = { r: 0, g: 0, b: 204 }
const near = (colour: { r: number, g: number, b: number }, wanted: typeof red) =>
  Math.abs(colour.r - wanted.r) + Math.abs(colour.g - wanted.g) + Math.abs(colour.b - wanted.b) < 60

describe('photos', () => {
  // Stored red left / blue right; after turning upright the halves are where the tag says.
  const orientations: [number, number, number, typeof red, typeof red][] = [
    [1, 60, 40, red, blue],
    [3, 60, 40, blue, red],
    [6, 40, 60, red, blue], // turned 90° clockwise: left half goes to the top
    [8, 40, 60, blue, red],
  ]
  it.each(orientations)('orientation %i comes out upright (%i × %i)', async (orientation, width, height, top, bottom) => {
    const media = await processMedia(await taggedJpeg(orientation))
    expect([media.width, media.height]).toEqual([width, height])
    for (const file of [media.original, media.display!, media.thumbnail]) {
      const size = await sharp(file.bytes).metadata()
      expect(size.orientation ?? 1).toBe(1)
      const first = await pixel(file.bytes, 2, 2)
      const last = await pixel(file.bytes, size.width! - 3, size.height! - 3)
      expect(near(first, top), `top-left of ${file.extension}`).toBe(true)
      expect(near(last, bottom), `bottom-right of ${file.extension}`).toBe(true)
    }
  })

  it('keeps no GPS, camera or other metadata in any stored file, but an sRGB profile in the original', async () => {
    const input = await taggedJpeg(6)
    expect(await leftoverMetadata(input)).toEqual(['EXIF', 'GPS'])
    const media = await processMedia(input)
    for (const file of [media.original, media.display!, media.thumbnail]) {
      expect(await leftoverMetadata(file.bytes)).toEqual([])
    }
    expect((await sharp(media.original.bytes).metadata()).icc).toBeDefined()
    expect(media.original.contentType).toBe('image/jpeg')
    expect([media.display!.contentType, media.thumbnail.contentType]).toEqual(['image/webp', 'image/webp'])
  })

  it('keeps the transparency of a PNG', async () => {
    const media = await processMedia(await halfTransparentPng())
    expect(media.original.contentType).toBe('image/png')
    for (const file of [media.original, media.display!, media.thumbnail]) {
      expect((await pixel(file.bytes, 35, 10)).a, file.extension).toBe(0)
      expect((await pixel(file.bytes, 5, 10)).a, file.extension).toBe(255)
    }
  })

  it('keeps an animated GIF animated, with a still first frame as thumbnail', async () => {
    const media = await processMedia(await animatedGif(4))
    expect(media.frames).toBe(4)
    expect(media.original.contentType).toBe('image/gif')
    expect((await sharp(media.original.bytes).metadata()).pages).toBe(4)
    expect((await sharp(media.display!.bytes).metadata()).pages).toBe(4)
    expect((await sharp(media.thumbnail.bytes).metadata()).pages ?? 1).toBe(1)
    expect([media.width, media.height]).toEqual([32, 24])
  })

  it('refuses a JPEG cut short, with the reason "damaged"', async () => {
    const whole = await sharp({ create: { width: 300, height: 200, channels: 3, background: '#884422' } })
      .composite([{ input: Buffer.from('<svg width="300" height="200"><circle cx="150" cy="100" r="80" fill="#fff"/></svg>') }])
      .jpeg().toBuffer()
    const refusal = await refusalOf(whole.subarray(0, Math.floor(whole.length * 0.6)))
    expect(refusal?.reason).toBe('damaged')
  })

  it('refuses HTML named as a photo before decoding anything', async () => {
    expect((await refusalOf(Buffer.from('<html><script>alert(1)</script></html>')))?.reason).toBe('not_media')
  })
})

describe('videos', () => {
  it('keep their pictures, lose the location box and the data track, and report size and length', async () => {
    const input = tinyMp4()
    const media = await processMedia(input)
    const stored = media.original.bytes
    expect(media.kind).toBe('video')
    expect([media.width, media.height, media.durationSeconds]).toEqual([360, 640, 2.5])
    expect(stored.length).toBe(input.length)
    expect(input.includes(mp4Markers.location) && input.includes(mp4Markers.telemetry)).toBe(true)
    expect(stored.includes(mp4Markers.location)).toBe(false)
    expect(stored.includes(Buffer.from([0xA9, 0x78, 0x79, 0x7A]))).toBe(false)
    expect(stored.includes(mp4Markers.telemetry)).toBe(false)
    expect(stored.includes(mp4Markers.picture)).toBe(true)
    expect(media.display).toBeNull()
    expect((await sharp(media.thumbnail.bytes).metadata()).format).toBe('webp')
  })

  it('refuse a video whose boxes run past the end of the file', async () => {
    const input = tinyMp4()
    expect((await refusalOf(input.subarray(0, 200)))?.reason).toBe('damaged')
  })
})

describe('file names', () => {
  const names: [string, string][] = [
    ['Oldefar og A\u030Ase.jpg', 'Oldefar og \u00C5se.jpg'],
    ['Bestemor på hytta – Ål (æøå ÆØÅ) 🎉.jpg', 'Bestemor på hytta – Ål (æøå ÆØÅ) 🎉.jpg'],
    ['C:\\Users\\kari\\bilde.jpg', 'bilde.jpg'],
    ['../../etc/passwd', 'passwd'],
    ['linje\nskift.jpg', 'linjeskift.jpg'],
    ['   ', 'uten navn'],
  ]
  it.each(names)('%j is kept as %j', (given, kept) => {
    expect(cleanFileName(given)).toBe(kept)
  })
})
