// What a file is, read from its first bytes and never from its name or the
// type the browser claims: a web page or an SVG renamed to .jpg is refused.

/** The kinds of file the albums accept. */
export type MediaType = 'image/jpeg' | 'image/png' | 'image/webp' | 'image/gif' | 'image/heic' | 'image/heif'
  | 'video/mp4' | 'video/quicktime'

/** Why a file was refused; the app translates these under album.refused.*. */
export type RefusalReason = 'empty' | 'not_media' | 'unsupported_type' | 'damaged' | 'too_large'
  | 'too_many_pixels' | 'too_long' | 'not_allowed' | 'storage_failed' | 'consent_missing'

/** A refusal the app can show in words: a reason code and an HTTP status. */
export class MediaRefusal extends Error {
  constructor(readonly reason: RefusalReason, message: string, readonly status = 422) {
    super(message)
    this.name = 'MediaRefusal'
  }
}

/** How many leading bytes `sniffMediaType` needs. */
export const sniffLength = 64

const heifBrands = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'hevm', 'hevs'])
const heifOnlyBrands = new Set(['mif1', 'msf1'])
const mp4Brands = new Set(['isom', 'iso2', 'iso3', 'iso4', 'iso5', 'iso6', 'mp41', 'mp42', 'avc1', 'M4V ',
  'M4A ', 'dash', 'mmp4', 'MSNV', '3gp4', '3gp5', '3gp6', '3gp7', '3gp8', '3gp9', '3g2a', 'f4v '])
// Old QuickTime files may begin with any of these atoms instead of "ftyp".
const quickTimeAtoms = new Set(['moov', 'mdat', 'wide', 'free', 'skip', 'pnot'])

function ascii(bytes: Uint8Array, from: number, length: number) {
  return String.fromCharCode(...bytes.subarray(from, from + length))
}

function startsWith(bytes: Uint8Array, signature: number[], at = 0) {
  return signature.every((byte, i) => bytes[at + i] === byte)
}

function isoBaseMediaType(head: Uint8Array): MediaType | null {
  const box = ascii(head, 4, 4)
  if (box !== 'ftyp') return quickTimeAtoms.has(box) ? 'video/quicktime' : null
  const size = Math.min(new DataView(head.buffer, head.byteOffset).getUint32(0), head.length)
  const brands = [ascii(head, 8, 4)]
  for (let at = 16; at + 4 <= size; at += 4) brands.push(ascii(head, at, 4))
  if (brands.some(b => heifBrands.has(b))) return 'image/heic'
  if (brands[0] === 'qt  ') return 'video/quicktime'
  if (brands.some(b => mp4Brands.has(b))) return 'video/mp4'
  if (brands.some(b => heifOnlyBrands.has(b)) && !brands.includes('avif')) return 'image/heif'
  return null
}

/** The media type the bytes say, or a refusal saying why the file is not one we take. */
export function sniffMediaType(head: Uint8Array): MediaType {
  if (head.length === 0) throw new MediaRefusal('empty', 'The file is empty.')
  if (startsWith(head, [0xFF, 0xD8, 0xFF])) return 'image/jpeg'
  if (startsWith(head, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])) return 'image/png'
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'image/gif'
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return 'image/webp'
  if (head.length >= 12) {
    const type = isoBaseMediaType(head)
    if (type) return type
    if (ascii(head, 4, 4) === 'ftyp') {
      throw new MediaRefusal('unsupported_type', `Files of the kind "${ascii(head, 8, 4).trim()}" are not supported; use JPEG, PNG, WebP, GIF, HEIC, MP4 or MOV.`)
    }
  }
  throw new MediaRefusal('not_media', 'The file is not a photo or a video, whatever its name says.')
}

/** Whether a media type is a video. */
export function isVideo(type: MediaType) {
  return type.startsWith('video/')
}
