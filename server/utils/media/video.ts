// Phone videos are stored as they came, minus where they were filmed: the
// location boxes (QuickTime Keys/udta "©xyz", 3GPP "loci", XMP in "uuid")
// become "free" boxes of the same size, and data tracks (GoPro GPMF telemetry,
// iPhone timed metadata) have their samples zeroed and their track blanked.
// No re-encoding is needed, so no ffmpeg. For the same reason the server
// cannot draw a poster frame: the uploading browser sends one (see
// pipeline.ts), and neutralPoster stands in when it could not.
import sharp from 'sharp'
import { blankBox, boxAt, childBox, childBoxes, sampleRanges, type Box } from './boxes'
import { MediaRefusal } from './sniff'

/** Limits for one video. */
export const videoLimits = { maxBytes: 100 * 1024 * 1024, maxSeconds: 180 }

/** A video ready to store. */
export interface ProcessedVideo {
  bytes: Buffer
  width: number
  height: number
  durationSeconds: number
  /** What was removed, e.g. ["moov/udta", "track 3 (meta)"], for logs and tests. */
  removed: string[]
}

const keptTracks = new Set(['vide', 'soun', 'tmcd'])
const locationBoxes = new Set(['udta', 'meta', 'uuid'])

function handlerOf(view: DataView, trak: Box) {
  const hdlr = boxAt(view, trak, ['mdia', 'hdlr'])
  return hdlr ? String.fromCharCode(...new Uint8Array(view.buffer, view.byteOffset + hdlr.payload + 8, 4)) : ''
}

function movieDuration(view: DataView, moov: Box) {
  const mvhd = childBox(view, moov, 'mvhd')
  if (!mvhd) return 0
  const v1 = view.getUint8(mvhd.payload) === 1
  const scale = view.getUint32(mvhd.payload + (v1 ? 20 : 12))
  const duration = v1 ? Number(view.getBigUint64(mvhd.payload + 24)) : view.getUint32(mvhd.payload + 16)
  return scale ? duration / scale : 0
}

// Width and height as shown, after the track's rotation matrix.
function displaySize(view: DataView, trak: Box) {
  const tkhd = childBox(view, trak, 'tkhd')
  if (!tkhd) return { width: 0, height: 0 }
  const width = Math.round(view.getUint32(tkhd.end - 8) / 65536)
  const height = Math.round(view.getUint32(tkhd.end - 4) / 65536)
  const matrix = tkhd.end - 8 - 36
  const turned = view.getInt32(matrix) === 0 && view.getInt32(matrix + 16) === 0
  return turned ? { width: height, height: width } : { width, height }
}

/** Removes location from an MP4/MOV without re-encoding and reads its size and length. */
export function processVideo(input: Buffer): ProcessedVideo {
  if (input.length > videoLimits.maxBytes) {
    throw new MediaRefusal('too_large', `The video is larger than ${videoLimits.maxBytes / 1024 / 1024} MB.`, 413)
  }
  const bytes = Buffer.from(input)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const removed: string[] = []
  let size = { width: 0, height: 0 }
  let duration: number
  try {
    const top = childBoxes(view, 0, bytes.length)
    const moov = top.find(box => box.type === 'moov')
    if (!moov) throw new RangeError('No movie header.')
    for (const box of top.filter(b => b.type === 'uuid' || b.type === 'meta')) {
      blankBox(bytes, box)
      removed.push(box.type)
    }
    duration = movieDuration(view, moov)
    childBoxes(view, moov.payload, moov.end).forEach((box, index) => {
      if (locationBoxes.has(box.type)) {
        blankBox(bytes, box)
        removed.push(`moov/${box.type}`)
      }
      if (box.type !== 'trak') return
      const handler = handlerOf(view, box)
      if (!keptTracks.has(handler)) {
        const stbl = boxAt(view, box, ['mdia', 'minf', 'stbl'])
        for (const [from, to] of stbl ? sampleRanges(view, stbl) : []) bytes.fill(0, from, Math.min(to, bytes.length))
        blankBox(bytes, box)
        removed.push(`track ${index} (${handler || 'unknown'})`)
        return
      }
      if (handler === 'vide' && !size.width) size = displaySize(view, box)
      for (const inner of childBoxes(view, box.payload, box.end).filter(b => locationBoxes.has(b.type))) {
        blankBox(bytes, inner)
        removed.push(`track ${index}/${inner.type}`)
      }
    })
  }
  catch {
    throw new MediaRefusal('damaged', 'The video could not be read; it may be damaged or cut short.')
  }
  if (!size.width || !size.height) throw new MediaRefusal('unsupported_type', 'The file has no picture track.')
  if (duration > videoLimits.maxSeconds) {
    throw new MediaRefusal('too_long', `The video is ${Math.round(duration)} seconds long; at most ${videoLimits.maxSeconds} seconds are taken.`)
  }
  return { bytes, ...size, durationSeconds: Math.round(duration * 100) / 100, removed }
}

/** A neutral poster (dark frame with a play sign) in the video's proportions, as a WebP. */
export async function neutralPoster(width: number, height: number, side = 400) {
  const scale = Math.min(1, side / Math.max(width, height))
  const w = Math.max(16, Math.round(width * scale))
  const h = Math.max(16, Math.round(height * scale))
  const r = Math.round(Math.min(w, h) / 6)
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><rect width="100%" height="100%" fill="#2f3437"/>`
    + `<circle cx="${w / 2}" cy="${h / 2}" r="${r}" fill="#ffffff" fill-opacity="0.85"/>`
    + `<path d="M${w / 2 - r / 3} ${h / 2 - r / 2}L${w / 2 + r / 2} ${h / 2}L${w / 2 - r / 3} ${h / 2 + r / 2}Z" fill="#2f3437"/></svg>`
  const bytes = await sharp(Buffer.from(svg)).webp({ quality: 70 }).toBuffer()
  return { bytes, contentType: 'image/webp', extension: 'webp', width: w, height: h }
}
