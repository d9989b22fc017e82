import { describe, expect, it } from 'vitest'
import { MediaRefusal, sniffMediaType } from '../../server/utils/media/sniff'

function ftyp(major: string, ...compatible: string[]) {
  const body = Buffer.from(major + '\0\0\0\0' + compatible.join(''), 'latin1')
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length + 8)
  head.write('ftyp', 4)
  return Buffer.concat([head, body, Buffer.alloc(16)])
}

const accepted: [string, Buffer, string][] = [
  ['JPEG', Buffer.from([0xFF, 0xD8, 0xFF, 0xE1, 0, 0]), 'image/jpeg'],
  ['PNG', Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0]), 'image/png'],
  ['GIF89a', Buffer.from('GIF89a\x01\x00'), 'image/gif'],
  ['WebP', Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 '), 'image/webp'],
  ['iPhone HEIC', ftyp('heic', 'mif1', 'heic'), 'image/heic'],
  ['HEIF with only mif1', ftyp('mif1', 'mif1'), 'image/heif'],
  ['MP4', ftyp('isom', 'isom', 'mp41'), 'video/mp4'],
  ['3GP in .mp4', ftyp('3gp5', '3gp5', 'isom'), 'video/mp4'],
  ['QuickTime', ftyp('qt  ', 'qt  '), 'video/quicktime'],
  ['QuickTime without ftyp', Buffer.from('\x00\x00\x00\x08wide\x00\x00\x00\x10mdat'), 'video/quicktime'],
]

const refused: [string, Buffer, string][] = [
  ['an empty file', Buffer.alloc(0), 'empty'],
  ['an HTML page named .jpg', Buffer.from('<!DOCTYPE html><html><body>hei</body></html>'), 'not_media'],
  ['an SVG named .png', Buffer.from('<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>'), 'not_media'],
  ['an SVG without a prolog', Buffer.from('<svg onload="alert(1)"></svg>'), 'not_media'],
  ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'not_media'],
  ['a text file', Buffer.from('Bestemor på hytta, sommar 2015'), 'not_media'],
  ['a truncated JPEG marker', Buffer.from([0xFF, 0xD8]), 'not_media'],
  ['AVIF', ftyp('avif', 'avif', 'mif1'), 'unsupported_type'],
  ['an M4A-free audio brand', ftyp('M4B ', 'M4B '), 'unsupported_type'],
]

describe('sniffMediaType', () => {
  it.each(accepted)('takes %s by its bytes', (_, bytes, type) => {
    expect(sniffMediaType(bytes)).toBe(type)
  })

  it.each(refused)('refuses %s', (_, bytes, reason) => {
    let refusal: unknown
    try {
      sniffMediaType(bytes)
    }
    catch (error) {
      refusal = error
    }
    expect(refusal).toBeInstanceOf(MediaRefusal)
    expect((refusal as MediaRefusal).reason).toBe(reason)
    expect((refusal as MediaRefusal).status).toBeLessThan(500)
  })
})
