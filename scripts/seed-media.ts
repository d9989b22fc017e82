// Draws the demo's pictures and uploads them to the bucket "media" at the paths
// supabase/seed.sql refers to: initials portraits for people and simple
// illustrated scenes for album photos. The project makes every demo picture
// itself, so no photo of a real person ever enters the repository.
// Album photos live in the upload layout "<resident>/media/<id>/" and get the same
// web-sized variants an upload gets (display and thumb as WebP, recorded in
// media_items.variants), so the album pages never download an original.
// Usage: `npx tsx scripts/seed-media.ts` (local stack), or with SUPABASE_URL and
// SUPABASE_SECRET_KEY set for another project. Files that exist are left alone.
import { createHash } from 'node:crypto'
import { deflateSync, crc32 } from 'node:zlib'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import sharp from 'sharp'
import WebSocket from 'ws'
import { apiUrl, loadConfig, readSecrets } from '../local-stack/src/config.ts'

type Colour = [number, number, number]

/** An RGB picture in memory with the few drawing steps the scenes need. */
class Picture {
  readonly pixels: Buffer
  constructor(readonly width: number, readonly height: number) {
    this.pixels = Buffer.alloc(width * height * 3)
  }

  set(x: number, y: number, [r, g, b]: Colour) {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 3
    this.pixels[i] = r
    this.pixels[i + 1] = g
    this.pixels[i + 2] = b
  }

  /** A vertical gradient over rows top..bottom. */
  gradient(top: number, bottom: number, from: Colour, to: Colour) {
    for (let y = top; y < bottom; y++) {
      const t = (y - top) / Math.max(1, bottom - top - 1)
      const colour = from.map((c, i) => Math.round(c + (to[i] - c) * t)) as Colour
      for (let x = 0; x < this.width; x++) this.set(x, y, colour)
    }
  }

  rect(x: number, y: number, w: number, h: number, colour: Colour) {
    for (let j = Math.max(0, y); j < Math.min(this.height, y + h); j++) {
      for (let i = Math.max(0, x); i < Math.min(this.width, x + w); i++) this.set(i, j, colour)
    }
  }

  circle(cx: number, cy: number, r: number, colour: Colour) {
    for (let y = cy - r; y <= cy + r; y++) {
      for (let x = cx - r; x <= cx + r; x++) if ((x - cx) ** 2 + (y - cy) ** 2 <= r * r) this.set(x, y, colour)
    }
  }

  /** A filled triangle with a flat base at `base`, apex at (x, top). */
  peak(x: number, top: number, halfWidth: number, base: number, colour: Colour) {
    for (let y = top; y < base; y++) {
      const half = ((y - top) / (base - top)) * halfWidth
      for (let i = x - half; i <= x + half; i++) this.set(i, y, colour)
    }
  }

  /** Capital letters from a 5×7 bitmap font, centred on (cx, cy). */
  text(value: string, cx: number, cy: number, scale: number, colour: Colour) {
    const letters = [...value.toUpperCase()].filter(c => font[c])
    const width = letters.length * 6 * scale - scale
    letters.forEach((letter, n) => {
      font[letter].forEach((row, y) => [...row].forEach((cell, x) => {
        if (cell !== '#') return
        this.rect(cx - width / 2 + (n * 6 + x) * scale, cy - 3.5 * scale + y * scale, scale, scale, colour)
      }))
    })
  }

  /** The picture as a PNG file (8-bit RGB, no filtering). */
  png() {
    const rows = Buffer.alloc((this.width * 3 + 1) * this.height)
    for (let y = 0; y < this.height; y++) {
      this.pixels.copy(rows, y * (this.width * 3 + 1) + 1, y * this.width * 3, (y + 1) * this.width * 3)
    }
    const chunk = (type: string, data: Buffer) => {
      const head = Buffer.alloc(8)
      head.writeUInt32BE(data.length)
      head.write(type, 4, 'ascii')
      const crc = Buffer.alloc(4)
      crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])))
      return Buffer.concat([head, data, crc])
    }
    const header = Buffer.alloc(13)
    header.writeUInt32BE(this.width, 0)
    header.writeUInt32BE(this.height, 4)
    header.set([8, 2, 0, 0, 0], 8)
    return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', header),
      chunk('IDAT', deflateSync(rows, { level: 6 })), chunk('IEND', Buffer.alloc(0))])
  }
}

const font: Record<string, string[]> = Object.fromEntries(Object.entries({
  A: '.###.#...##...#######...##...##...#', B: '####.#...#####.#...##...##...#####.',
  C: '.###.#...##....#....#....#...#.###.', D: '####.#...##...##...##...##...#####.',
  E: '######....####.#....#....#....#####', F: '######....####.#....#....#....#....',
  G: '.###.#...##....#.####...##...#.####', H: '#...##...#######...##...##...##...#',
  I: '.###...#....#....#....#....#...###.', J: '..###...#....#....#....##..#..##...',
  K: '#...##..#.###..#.#..#..#.#...##...#', L: '#....#....#....#....#....#....#####',
  M: '#...###.###.#.##...##...##...##...#', N: '#...###..##.#.##..###...##...##...#',
  O: '.###.#...##...##...##...##...#.###.', P: '####.#...##...#####.#....#....#....',
  Q: '.###.#...##...##...##.#.##..#..##.#', R: '####.#...##...#####.#.#..#..#.#...#',
  S: '.####.....#.....###.....#.....####.', T: '#####..#....#....#....#....#....#..',
  U: '#...##...##...##...##...##...#.###.', V: '#...##...##...##...##...#.#.#...#..',
  W: '#...##...##...##.#.##.#.###.###...#', X: '#...##...#.#.#...#...#.#.#...##...#',
  Y: '#...##...#.#.#...#....#....#....#..', Z: '#####....#...#...#...#...#....#####',
  Æ: '.#####.#..#.#..#.######..#.#..#.###', Ø: '.###.#..###.#.##.#.##.#.###..#.###.',
  Å: '..#...#.#..###.#...#######...##...#',
}).map(([letter, bits]) => [letter, bits.match(/.{5}/g)!]))

/** A stable pseudo-random generator per file, so the same path always gives the same picture. */
function randomFor(key: string) {
  let seed = createHash('sha256').update(key).digest().readUInt32BE(0)
  return () => {
    seed = (seed * 1664525 + 1013904223) >>> 0
    return seed / 2 ** 32
  }
}

const warm: Colour[] = [[196, 98, 45], [62, 112, 99], [70, 96, 148], [150, 78, 120], [122, 104, 40], [46, 122, 140]]

function portrait(name: string, key: string, size = 480) {
  const random = randomFor(key)
  const colour = warm[Math.floor(random() * warm.length)]
  const picture = new Picture(size, size)
  picture.gradient(0, size, colour.map(c => Math.min(255, c + 40)) as Colour, colour)
  picture.circle(size / 2, size / 2, size * 0.36, [250, 245, 235])
  const words = name.split(/\s+/).filter(Boolean)
  const initials = words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0]?.[0] ?? '')
  picture.text(initials, size / 2, size / 2, Math.round(size / 28), colour)
  return picture
}

/** A landscape: sky, sun, hills or mountains, sea when the caption speaks of water, and a red house. */
function scene(caption: string, key: string, width = 960, height = 720) {
  const random = randomFor(key)
  const words = caption.toLowerCase()
  const picture = new Picture(width, height)
  const horizon = Math.round(height * (0.5 + random() * 0.15))
  picture.gradient(0, horizon, [120 + random() * 60, 170 + random() * 40, 220], [235, 225, 200])
  picture.circle(width * (0.15 + random() * 0.7), height * 0.2, height * 0.07, [250, 214, 120])
  for (let i = 0; i < 4; i++) {
    const shade = 70 + i * 18
    picture.peak(width * random(), horizon - height * (0.15 + random() * 0.2), width * (0.2 + random() * 0.2),
      horizon, [shade, shade + 20, shade + 30])
  }
  const water = /hav|havn|fjord|mjøsa|kai|ferj|sjø|henningsvær/.test(words)
  picture.gradient(horizon, height, water ? [60, 120, 160] : [110, 150, 80], water ? [30, 70, 110] : [70, 110, 50])
  if (water) {
    for (let i = 0; i < 3; i++) {
      const x = width * (0.1 + random() * 0.7)
      const y = horizon + height * (0.08 + random() * 0.2)
      picture.rect(x, y, width * 0.12, height * 0.03, [240, 240, 235])
      picture.rect(x + width * 0.04, y - height * 0.05, width * 0.03, height * 0.05, [200, 60, 50])
    }
  }
  const houseX = width * (water ? 0.05 : 0.55)
  const houseY = horizon - height * 0.02
  picture.rect(houseX, houseY - height * 0.12, width * 0.16, height * 0.12, [170, 45, 40])
  picture.peak(houseX + width * 0.08, houseY - height * 0.2, width * 0.09, houseY - height * 0.12, [70, 50, 45])
  picture.rect(houseX + width * 0.06, houseY - height * 0.06, width * 0.035, height * 0.06, [245, 240, 225])
  return picture
}

interface Wanted { path: string, draw: () => Picture }

interface DemoPhoto { id: string, storage_path: string, variants: Record<string, string | null> | null }

// The longest side of each variant, as server/utils/media/image.ts makes them for uploads.
const variantSides = { display: 1600, thumbnail: 400 }

async function exists(supabase: SupabaseClient, path: string) {
  const folder = path.split('/').slice(0, -1).join('/')
  const { data } = await supabase.storage.from('media').list(folder, { search: path.split('/').pop() })
  return Boolean(data?.some(file => `${folder}/${file.name}` === path))
}

/** Makes the display and thumb WebP files of a demo photo from its original and records them in variants. */
async function addVariants(supabase: SupabaseClient, photo: DemoPhoto) {
  const folder = photo.storage_path.split('/').slice(0, -1).join('/')
  if (!photo.storage_path.startsWith(`${photo.storage_path.split('/')[0]}/media/${photo.id}/`)) return false
  const keys = { display: `${folder}/display.webp`, thumbnail: `${folder}/thumb.webp` }
  const recorded = photo.variants?.display === keys.display && photo.variants?.thumbnail === keys.thumbnail
  if (recorded && await exists(supabase, keys.display) && await exists(supabase, keys.thumbnail)) return false
  const { data: original, error: readError } = await supabase.storage.from('media').download(photo.storage_path)
  if (readError || !original) throw new Error(`Reading the demo picture ${photo.storage_path} failed: ${readError?.message}`)
  const source = Buffer.from(await original.arrayBuffer())
  for (const name of ['display', 'thumbnail'] as const) {
    const side = variantSides[name]
    const webp = await sharp(source).resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 }).toBuffer()
    const { error } = await supabase.storage.from('media').upload(keys[name], webp, { contentType: 'image/webp', upsert: true })
    if (error) throw new Error(`Uploading the demo picture ${keys[name]} failed: ${error.message}`)
  }
  const { error } = await supabase.from('media_items').update({ variants: keys }).eq('id', photo.id)
  if (error) throw new Error(`Recording the variants of ${photo.storage_path} failed: ${error.message}`)
  return true
}

async function main() {
  const config = loadConfig()
  const url = process.env.SUPABASE_URL ?? apiUrl(config)
  const key = process.env.SUPABASE_SECRET_KEY ?? process.env.SUPABASE_SERVICE_ROLE_KEY
    ?? readSecrets(config)?.serviceRoleKey
  if (!key) throw new Error('No service key: start the local stack once, or set SUPABASE_URL and SUPABASE_SECRET_KEY.')
  const supabase = createClient(url, key,
    { auth: { persistSession: false }, realtime: { transport: WebSocket as never } })

  const read = async <T>(query: PromiseLike<{ data: T[] | null, error: { message: string } | null }>) => {
    const { data, error } = await query
    if (error) throw new Error(`Reading the demo rows failed: ${error.message}`)
    return data ?? []
  }
  const wanted: Wanted[] = [
    ...(await read<{ photo_path: string, display_name: string }>(supabase.from('residents')
      .select('photo_path, display_name').not('photo_path', 'is', null)))
      .map(r => ({ path: r.photo_path, draw: () => portrait(r.display_name, r.photo_path) })),
    ...(await read<{ photo_path: string, name: string }>(supabase.from('relations')
      .select('photo_path, name').not('photo_path', 'is', null)))
      .map(r => ({ path: r.photo_path, draw: () => portrait(r.name, r.photo_path) })),
    ...(await read<{ storage_path: string, caption: string | null, width: number | null, height: number | null }>(
      supabase.from('media_items').select('storage_path, caption, width, height').eq('mime_type', 'image/png')))
      .map(m => ({
        path: m.storage_path,
        draw: () => scene(m.caption ?? '', m.storage_path, m.width ?? 960, m.height ?? 720),
      })),
  ]

  let made = 0
  for (const { path, draw } of wanted) {
    if (await exists(supabase, path)) continue
    const png = draw().png()
    const { error } = await supabase.storage.from('media').upload(path, png, { contentType: 'image/png' })
    if (error) throw new Error(`Uploading the demo picture ${path} failed: ${error.message}`)
    await supabase.from('media_items').update({ size_bytes: png.length }).eq('storage_path', path)
    made++
  }
  console.log(`Demo pictures: ${made} drawn and uploaded, ${wanted.length - made} already there.`)

  let sized = 0
  for (const photo of await read<DemoPhoto>(supabase.from('media_items').select('id, storage_path, variants')
    .eq('mime_type', 'image/png'))) {
    if (await addVariants(supabase, photo)) sized++
  }
  console.log(`Demo photo variants: ${sized} made.`)
}

await main()
