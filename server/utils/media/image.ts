// Photos as they come from phones and scanners, made safe and web-sized:
// upright by EXIF, converted to sRGB, and re-encoded from pixels, which leaves
// every piece of metadata behind (GPS, EXIF thumbnails, maker notes, XMP, a
// motion photo's embedded video) except a plain sRGB colour profile.
//
// The "original" for download is re-encoded too, at full resolution and high
// quality, rather than kept byte for byte: its pixels must be turned upright
// (sharp has no lossless JPEG rotation) and stripping segments by hand would
// leave whatever a phone maker hides in places we do not know. HEIC becomes
// JPEG, which every computer opens; PNG stays lossless with its transparency;
// an animated GIF stays an animated GIF.
import sharp, { type Metadata, type Sharp, type SharpOptions } from 'sharp'
import { decodeHeif } from './heif'
import { MediaRefusal, type MediaType } from './sniff'

/** Limits for one photo. */
export const imageLimits = {
  maxPixels: 64_000_000,
  maxFrames: 300,
  display: { side: 1600, maxBytes: 400_000 },
  thumbnail: { side: 400, maxBytes: 40_000 },
}

/** One stored file of a photo. */
export interface ImageVariant {
  bytes: Buffer
  contentType: string
  extension: string
  width: number
  height: number
}

/** A photo ready to store: the upright original without metadata and its web sizes. */
export interface ProcessedImage {
  original: ImageVariant
  display: ImageVariant
  thumbnail: ImageVariant
  frames: number
}

// Several uploads at once must not hold every decoded 24 MP photo in memory.
sharp.cache({ memory: 64, items: 20 })
sharp.concurrency(2)

type Source = () => Sharp

async function openSource(bytes: Buffer, type: MediaType): Promise<{ source: Source, animated: Source, frames: number, alpha: boolean }> {
  if (type === 'image/heic' || type === 'image/heif') {
    const pixels = await decodeHeif(bytes, imageLimits.maxPixels)
    const raw = { width: pixels.width, height: pixels.height, channels: 4 as const }
    const source = () => sharp(pixels.data, { raw }).removeAlpha()
    return { source, animated: source, frames: 1, alpha: false }
  }
  const options: SharpOptions = { failOn: 'warning', limitInputPixels: imageLimits.maxPixels, autoOrient: true }
  let meta: Metadata
  try {
    meta = await sharp(bytes, options).metadata()
  }
  catch (error) {
    throw refusalFor(error)
  }
  const frames = meta.pages ?? 1
  if (frames > imageLimits.maxFrames) {
    throw new MediaRefusal('too_many_pixels', `The animation has ${frames} frames; at most ${imageLimits.maxFrames} are taken.`)
  }
  if ((meta.width ?? 0) * (meta.height ?? 0) * frames > imageLimits.maxPixels * 2) {
    throw new MediaRefusal('too_many_pixels', 'The animation is too large to take.')
  }
  return {
    source: () => sharp(bytes, options),
    animated: () => sharp(bytes, { ...options, animated: frames > 1 }),
    frames,
    alpha: meta.hasAlpha ?? false,
  }
}

function refusalFor(error: unknown) {
  if (error instanceof MediaRefusal) return error
  const text = error instanceof Error ? error.message : String(error)
  if (/pixel limit/i.test(text)) return new MediaRefusal('too_many_pixels', 'The photo has more pixels than we can take.')
  return new MediaRefusal('damaged', 'The photo could not be read; it may be damaged or cut short.')
}

async function render(pipeline: Sharp, contentType: string, extension: string): Promise<ImageVariant> {
  try {
    const { data, info } = await pipeline.toBuffer({ resolveWithObject: true })
    const height = info.pageHeight ?? info.height
    return { bytes: data, contentType, extension, width: info.width, height }
  }
  catch (error) {
    throw refusalFor(error)
  }
}

async function original(open: Source, animated: Source, type: MediaType, alpha: boolean, frames: number) {
  if (type === 'image/gif' && frames > 1) return render(animated().gif({ effort: 7 }), 'image/gif', 'gif')
  if (type === 'image/webp' && frames > 1) return render(animated().webp({ quality: 90 }), 'image/webp', 'webp')
  const upright = open().withIccProfile('srgb')
  if (type === 'image/png' || (alpha && type === 'image/gif')) return render(upright.png(), 'image/png', 'png')
  if (type === 'image/webp') return render(upright.webp({ quality: 92, alphaQuality: 100 }), 'image/webp', 'webp')
  if (type === 'image/gif') return render(upright.png(), 'image/png', 'png')
  return render(upright.jpeg({ quality: 92, mozjpeg: false }), 'image/jpeg', 'jpg')
}

/** A WebP no wider or taller than `side`, at the best quality that stays under `maxBytes`. */
async function webSize(open: Source, side: number, maxBytes: number) {
  let variant: ImageVariant | undefined
  for (const quality of [82, 72, 60, 48, 36]) {
    const resized = open().resize(side, side, { fit: 'inside', withoutEnlargement: true })
    variant = await render(resized.webp({ quality, effort: 4, smartSubsample: true }), 'image/webp', 'webp')
    if (variant.bytes.length <= maxBytes) return variant
  }
  return variant!
}

/** Turns an uploaded photo into its stored original, display size and thumbnail. */
export async function processImage(bytes: Buffer, type: MediaType): Promise<ProcessedImage> {
  const { source, animated, frames, alpha } = await openSource(bytes, type)
  const stored = await original(source, animated, type, alpha, frames)
  const { display, thumbnail } = imageLimits
  return {
    original: stored,
    // The display size keeps an animation moving; the grid's thumbnail is its first frame.
    display: await webSize(frames > 1 ? animated : source, display.side, display.maxBytes),
    thumbnail: await webSize(source, thumbnail.side, thumbnail.maxBytes),
    frames,
  }
}
