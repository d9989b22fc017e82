// HEIC/HEIF photos (iPhones, many Android phones) are HEVC-coded, which the
// prebuilt libvips inside sharp cannot decode, so libheif (compiled to
// WebAssembly, no native binaries) turns them into plain pixels first.
import { MediaRefusal } from './sniff'

interface HeifImage {
  get_width(): number
  get_height(): number
  display(target: { data: Uint8ClampedArray, width: number, height: number }, done: (result: { data: Uint8ClampedArray } | null) => void): void
  free(): void
}
interface HeifLibrary {
  HeifDecoder: new () => { decode(bytes: Uint8Array): HeifImage[] }
}

let library: Promise<HeifLibrary> | undefined

// Loaded on first use: the module is large and most uploads are JPEGs. A plain
// import with a literal name, so the server build traces it into .output.
function heif() {
  // @ts-expect-error libheif-js ships no types for this entry
  library ??= import('libheif-js/wasm-bundle.js').then(loaded => (loaded.default ?? loaded) as HeifLibrary)
  return library
}

/** Upright RGBA pixels of a HEIF file's primary image. */
export interface DecodedPixels {
  data: Buffer
  width: number
  height: number
}

/**
 * Decodes the primary image of a HEIC/HEIF file. libheif applies the file's own
 * transforms (irot/imir/clap), so the pixels come out upright and the EXIF
 * Orientation tag, which says the same thing again, must not be applied after.
 */
export async function decodeHeif(bytes: Uint8Array, maxPixels: number): Promise<DecodedPixels> {
  const { HeifDecoder } = await heif()
  let images: HeifImage[]
  try {
    images = new HeifDecoder().decode(bytes)
  }
  catch {
    throw new MediaRefusal('damaged', 'The HEIC photo could not be read; it may be damaged.')
  }
  try {
    const image = images[0]
    if (!image) throw new MediaRefusal('damaged', 'The HEIC file holds no picture.')
    const width = image.get_width()
    const height = image.get_height()
    if (width * height > maxPixels) {
      throw new MediaRefusal('too_many_pixels', `The photo has ${width} × ${height} pixels, more than we can take.`)
    }
    const data = new Uint8ClampedArray(width * height * 4)
    const decoded = await new Promise<Uint8ClampedArray | null>((resolve) => {
      image.display({ data, width, height }, result => resolve(result?.data ?? null))
    })
    if (!decoded) throw new MediaRefusal('damaged', 'The HEIC photo could not be decoded; it may be damaged.')
    return { data: Buffer.from(decoded.buffer, decoded.byteOffset, decoded.byteLength), width, height }
  }
  finally {
    images.forEach(image => image.free())
  }
}
