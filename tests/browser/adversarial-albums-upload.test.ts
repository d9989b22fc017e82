// Odd files through POST /api/residents/:id/media against the built server, as a
// relative's phone or a hand-made request could send them: files that lie about
// their type, empty and cut-short files, a picture whose header claims billions of
// pixels, a "video" that is a web page behind a QuickTime atom, and names that try
// to climb out of the folder. Each must be refused with a reason the app
// translates (never a 500), and leave no row and no file behind.
import { request } from 'node:http'
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import { beforeAll, describe, expect, inject, it } from 'vitest'
import { userToken } from '../../local-stack/tests/support'
import { createWorld, db, one, type World } from '../access/fixtures'

const app = inject('app')
let world: World

beforeAll(async () => {
  world = await createWorld('Rare filer')
})

/** The session cookie @nuxtjs/supabase reads, as the browser holds it after signing in. */
async function cookieFor(userId: string) {
  const now = Math.floor(Date.now() / 1000)
  const session = { access_token: await userToken(userId), refresh_token: 'not-used', token_type: 'bearer',
    expires_in: 3600, expires_at: now + 3600, user: { id: userId, aud: 'authenticated', role: 'authenticated' } }
  const value = `base64-${Buffer.from(JSON.stringify(session)).toString('base64url')}`
  const name = `sb-${new URL(inject('stack').apiUrl).hostname.split('.')[0]}-auth-token`
  const chunks = value.match(/.{1,3180}/g)!
  return chunks.length === 1 ? `${name}=${value}` : chunks.map((chunk, i) => `${name}.${i}=${chunk}`).join('; ')
}

async function upload(bytes: Uint8Array, fileName: string, fields: Record<string, string> = {}) {
  const form = new FormData()
  for (const [key, value] of Object.entries(fields)) form.append(key, value)
  form.append('file', new Blob([bytes]), fileName)
  const response = await fetch(`${app.url}/api/residents/${world.residentId}/media`, {
    method: 'POST', body: form, headers: { cookie: await cookieFor(world.users.relative) },
  })
  const text = await response.text()
  let body: { id?: string, storagePath?: string, variants?: Record<string, string>, data?: { reason?: string } } = {}
  try {
    body = JSON.parse(text)
  }
  catch {
    // A page of HTML or a bare error: the status says enough.
  }
  return { status: response.status, body }
}

async function storedForResident() {
  const rows = await one<{ items: string, files: string }>(`select
      (select count(*) from public.media_items where resident_id = $1) as items,
      (select count(*) from storage.objects where bucket_id = 'media' and name like $2) as files`,
  [world.residentId, `${world.residentId}/%`])
  return { items: Number(rows!.items), files: Number(rows!.files) }
}

/** A PNG whose header claims `width` × `height` pixels, with one short row of data. */
function pngClaiming(width: number, height: number) {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4)
    length.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(Buffer.concat([Buffer.from(type, 'ascii'), data])))
    return Buffer.concat([length, Buffer.from(type, 'ascii'), data, crc])
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.alloc(1 + 3 * 16))), chunk('IEND', Buffer.alloc(0))])
}

function crc32(bytes: Buffer) {
  let crc = 0xFFFFFFFF
  for (const byte of bytes) {
    crc ^= byte
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xEDB88320 & -(crc & 1))
  }
  return (crc ^ 0xFFFFFFFF) >>> 0
}

const svg = '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(document.cookie)"><rect width="9" height="9"/></svg>'
// An old QuickTime file may start with a "moov" atom, so the first bytes alone say "video".
const htmlBehindAtom = Buffer.concat([Buffer.from([0, 0, 0, 8]), Buffer.from('moov<html><script>alert(1)</script></html>')])

describe('odd files through the upload route', { timeout: 60_000 }, () => {
  const refusals: [string, () => Promise<Uint8Array>, string, string[]][] = [
    ['an SVG with a script, named .jpg', async () => Buffer.from(svg), 'bilde.jpg', ['not_media']],
    ['an empty file', async () => new Uint8Array(0), 'tom.jpg', ['empty']],
    ['a JPEG cut off after 300 bytes', async () => (await sharp({ create: { width: 200, height: 200, channels: 3,
      background: '#456' } }).jpeg().toBuffer()).subarray(0, 300), 'avkuttet.jpg', ['damaged']],
    ['a PNG whose header claims 100 000 × 100 000 pixels', async () => pngClaiming(100_000, 100_000), 'bombe.png', ['too_many_pixels']],
    ['a web page behind a QuickTime atom, named .mov', async () => htmlBehindAtom, 'film.mov', ['damaged', 'not_media', 'unsupported_type']],
    ['a HEIC header with nothing after it', async () => Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic\0\0\0\0mif1heic')]),
      'iphone.heic', ['damaged', 'not_media']],
  ]
  it.each(refusals)('refuses %s with a translated reason, storing nothing', async (_, make, name, reasons) => {
    const before = await storedForResident()
    const answer = await upload(await make(), name)
    expect(answer.status, JSON.stringify(answer.body)).toBeGreaterThanOrEqual(400)
    expect(answer.status).toBeLessThan(500)
    expect(reasons).toContain(answer.body.data?.reason)
    expect(await storedForResident()).toEqual(before)
  })

  it('keeps a name that climbs folders as data only, with every file in the item\'s own folder', async () => {
    const name = '../../../people/x/..\\..\\Bestemor på Ål 🎉 / ferie.jpg'
    const bytes = await sharp({ create: { width: 30, height: 20, channels: 3, background: '#c83' } }).jpeg().toBuffer()
    const answer = await upload(bytes, name, { caption: '<img src=x onerror=alert(1)>' })
    expect(answer.status).toBe(201)
    const folder = `${world.residentId}/media/${answer.body.id}/`
    const keys = await db<{ name: string }>(`select name from storage.objects where bucket_id = 'media' and name like $1`,
      [`${world.residentId}/%`])
    const ours = keys.rows.map(r => r.name).filter(n => n.includes(String(answer.body.id)))
    expect(ours.length).toBeGreaterThanOrEqual(2)
    for (const key of ours) {
      expect(key.startsWith(folder)).toBe(true)
      expect(key).toMatch(/^[\x21-\x7E]+$/)
      expect(key.split('/')).not.toContain('..')
    }
    const row = await one<{ file_name: string, caption: string }>('select file_name, caption from public.media_items where id = $1', [answer.body.id])
    expect(row!.caption).toBe('<img src=x onerror=alert(1)>')
    expect(row!.file_name).not.toContain('/')
  })

  it('stores nothing when the connection drops half-way through a file, and answers the next upload', async () => {
    const before = await storedForResident()
    const bytes = await sharp({ create: { width: 1200, height: 900, channels: 3, noise: { type: 'gaussian', mean: 128, sigma: 60 } } })
      .jpeg({ quality: 95 }).toBuffer()
    const boundary = 'minnespor-avbrutt'
    const head = Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="avbrutt.jpg"\r\n`
      + 'content-type: image/jpeg\r\n\r\n')
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`)
    await new Promise<void>((resolve) => {
      const url = new URL(`${app.url}/api/residents/${world.residentId}/media`)
      void cookieFor(world.users.relative).then((cookie) => {
        const sending = request(url, { method: 'POST', headers: { cookie, 'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + bytes.length + tail.length) } })
        sending.on('error', () => resolve())
        sending.on('close', () => resolve())
        sending.write(head)
        sending.write(bytes.subarray(0, bytes.length / 2), () => setTimeout(() => sending.destroy(), 300))
      })
    })
    await new Promise(resolve => setTimeout(resolve, 1_500))
    expect(await storedForResident()).toEqual(before)
    const next = await upload(await sharp({ create: { width: 20, height: 20, channels: 3, background: '#393' } }).jpeg().toBuffer(), 'neste.jpg')
    expect(next.status).toBe(201)
  })
})
