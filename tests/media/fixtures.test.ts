// The pipeline on real phone and camera files (see shared/fixtures/media/README.md).
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { fixture, fixturesExist, fixturesRoot, leftoverMetadata, pictureDistance } from './support'
import { processMedia, type ProcessedMedia } from '../../server/utils/media/pipeline'
import type { MediaRefusal } from '../../server/utils/media/sniff'
import { cleanFileName } from '../../server/utils/media/store'

if (!fixturesExist) console.log(`Skipping the real media fixtures: ${fixturesRoot} is missing.`)

const processed = new Map<string, Promise<ProcessedMedia>>()
function processFixture(path: string) {
  if (!processed.has(path)) processed.set(path, processMedia(fixture(path)))
  return processed.get(path)!
}

const slow = { timeout: 60_000 }
// This file's name is stored decomposed (Å as A + ring), as iPhones and Macs send it.
const nfdName = 'names/Oldefar og Åse ved sjøen – Ærøy Øst (NFD).jpg'.normalize('NFD')

describe.runIf(fixturesExist)('real phone photos', slow, () => {
  it.each([0, 2, 3, 4, 5, 6, 7, 8])('Landscape_%i displays like Landscape_1', async (orientation) => {
    const upright = await processFixture('orientation/Landscape_1.jpg')
    const media = await processFixture(`orientation/Landscape_${orientation}.jpg`)
    expect([media.width, media.height]).toEqual([1800, 1200])
    expect(await pictureDistance(upright.display!.bytes, media.display!.bytes)).toBeLessThan(4)
    expect(await pictureDistance(upright.thumbnail.bytes, media.thumbnail.bytes)).toBeLessThan(4)
    // The measure tells a mirrored picture from an upright one.
    const mirrored = await sharp(upright.display!.bytes).flop().toBuffer()
    expect(await pictureDistance(upright.display!.bytes, mirrored)).toBeGreaterThan(20)
  })

  const located = [
    'gps/iphone5-gps-orientation3.jpg', 'gps/htc-desire-gps.webp', 'gps/moto-g9plus-empty-gps-16mp.jpg',
    'gps/iphone11promax-gps.HEIC', 'heic/iphone7-gps.heic', 'heic/nokia83-gps.heif', 'large/nokia83-9mp-gps.jpg',
    'names/Bestemor på hytta – Ål, sommar 2015 (æøå ÆØÅ).jpg', 'formats/denali-exif.webp',
    'formats/nikon-p7000-10mp-orientation6.webp',
  ]
  it.each(located)('%s: no location or other metadata in any stored file', async (path) => {
    if (!path.includes('HEIC') && !/heic|heif/.test(path)) expect(await leftoverMetadata(fixture(path))).toContain('EXIF')
    const media = await processFixture(path)
    for (const file of [media.original, media.display!, media.thumbnail]) {
      expect(await leftoverMetadata(file.bytes), file.extension).toEqual([])
    }
  })

  const uprightSizes: [string, number, number][] = [
    ['gps/iphone5-gps-orientation3.jpg', 3264, 2448],
    ['heic/iphone13promax-orientation6.HEIC', 3024, 4032],
    ['heic/samsung-s22plus-motionphoto-orientation6.heic', 3000, 4000],
    ['gps/iphone11promax-gps.HEIC', 2566, 3313],
    ['formats/nikon-p7000-10mp-orientation6.webp', 2736, 3648],
    [nfdName, 1200, 1800],
  ]
  it.each(uprightSizes)('%s is stored upright, %i × %i, turned once only', async (path, width, height) => {
    const media = await processFixture(path)
    expect([media.width, media.height]).toEqual([width, height])
    const display = await sharp(media.display!.bytes).metadata()
    expect(display.width! > display.height!).toBe(width > height)
  })

  it('turns the iPhone 5 photo (orientation 3) the right way up: sky above, not below', async () => {
    const media = await processFixture('gps/iphone5-gps-orientation3.jpg')
    const rows = await sharp(media.thumbnail.bytes).resize(1, 2, { fit: 'fill' }).greyscale().raw().toBuffer()
    expect(rows[0]).toBeGreaterThan(rows[1]!)
  })

  const everyPhoto = [...located, ...uprightSizes.map(([path]) => path), 'orientation/Landscape_1.jpg',
    'formats/lemur-cutout-alpha.png', 'formats/muybridge-horse-animated.gif']
  it.each([...new Set(everyPhoto)])('%s: thumbnail and display size within their targets', async (path) => {
    const media = await processFixture(path)
    const thumbnail = await sharp(media.thumbnail.bytes).metadata()
    const display = await sharp(media.display!.bytes).metadata()
    expect(media.thumbnail.bytes.length).toBeLessThan(40_000)
    expect(media.display!.bytes.length).toBeLessThan(400_000)
    expect(Math.max(thumbnail.width!, thumbnail.pageHeight ?? thumbnail.height!)).toBeLessThanOrEqual(400)
    expect(Math.max(display.width!, display.pageHeight ?? display.height!)).toBeLessThanOrEqual(1600)
  })

  it('takes the 24 MP JPEG without blowing memory', async () => {
    const started = performance.now()
    const media = await processMedia(fixture('large/craft-beer-24mp.jpg'))
    expect([media.width, media.height]).toEqual([6000, 4000])
    expect(process.memoryUsage().rss).toBeLessThan(1.5 * 1024 ** 3)
    expect(performance.now() - started).toBeLessThan(45_000)
    expect(media.display!.bytes.length).toBeLessThan(400_000)
    expect(media.thumbnail.bytes.length).toBeLessThan(40_000)
  })

  it('keeps the lemur cut-out transparent and the Muybridge horse galloping (15 frames)', async () => {
    const lemur = await processFixture('formats/lemur-cutout-alpha.png')
    expect((await sharp(lemur.display!.bytes).metadata()).hasAlpha).toBe(true)
    expect(lemur.original.contentType).toBe('image/png')
    const horse = await processFixture('formats/muybridge-horse-animated.gif')
    expect(horse.frames).toBe(15)
    expect((await sharp(horse.original.bytes).metadata()).pages).toBe(15)
    expect((await sharp(horse.display!.bytes).metadata()).pages).toBe(15)
  })

  it('keeps the decomposed name in composed form', () => {
    expect(cleanFileName(nfdName)).toBe('Oldefar og \u00C5se ved sjøen – Ærøy Øst (NFD).jpg')
    expect(cleanFileName(nfdName)).not.toBe(nfdName.split('/')[1])
  })

  it.each(['broken/olympus-corrupt-scan-data.jpg', 'broken/truncated-Portrait_1.jpg'])('refuses %s as damaged', async (path) => {
    const refusal = await processMedia(fixture(path)).then(() => undefined, (error: MediaRefusal) => error)
    expect(refusal?.reason).toBe('damaged')
  })
})

const locationMarkers = ['\u00a9xyz', 'loci', 'com.apple.quicktime.location', 'GPS5']

describe.runIf(fixturesExist)('real phone videos', slow, () => {
  const videos: [string, number, number, string[]][] = [
    ['video/iphone6-portrait-gps.mov', 320, 568, ['com.apple.quicktime.location']],
    ['video/h264-720p-loci-gps.mp4', 1280, 720, ['loci']],
    ['video/h264-rotated90-3gp5-zero-gps.mp4', 720, 1280, ['\u00a9xyz']],
    ['video/gopro-max-gpmf-gps.mp4', 848, 480, ['GPS5']],
  ]
  it.each(videos)('%s: %i × %i as shown, no location left', async (path, width, height, carried) => {
    const input = fixture(path)
    for (const marker of carried) expect(input.includes(Buffer.from(marker, 'latin1')), marker).toBe(true)
    const media = await processMedia(input)
    expect(media.kind).toBe('video')
    expect([media.width, media.height]).toEqual([width, height])
    expect(media.durationSeconds).toBeGreaterThan(1)
    expect(media.original.bytes.length).toBe(input.length)
    for (const marker of locationMarkers) {
      expect(media.original.bytes.includes(Buffer.from(marker, 'latin1')), marker).toBe(false)
    }
  })
})
