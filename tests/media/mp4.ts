// Builds a tiny but well-formed MP4 by hand: one video track, one timed
// metadata track holding a GPS sample, and a "©xyz" location in moov/udta,
// laid out like a phone's. Enough for the box rewriting, not for a decoder.

function box(type: string, ...parts: Buffer[]) {
  const body = Buffer.concat(parts)
  const head = Buffer.alloc(8)
  head.writeUInt32BE(body.length + 8)
  head.write(type, 4, 'latin1')
  return Buffer.concat([head, body])
}

function u32(...values: number[]) {
  const bytes = Buffer.alloc(values.length * 4)
  values.forEach((v, i) => bytes.writeInt32BE(v | 0, i * 4))
  return bytes
}

function track(id: number, handler: string, width: number, height: number, matrix: number[], chunkOffset: number, sampleSize: number) {
  const tkhd = box('tkhd', u32(0, 0, 0, id, 0, 1000, 0, 0, 0, 0), u32(...matrix), u32(width * 65536, height * 65536))
  const hdlr = box('hdlr', u32(0, 0), Buffer.from(handler, 'latin1'), u32(0, 0, 0), Buffer.from('x\0'))
  const stbl = box('stbl',
    box('stsd', u32(0, 0)),
    box('stsz', u32(0, sampleSize, 1)),
    box('stsc', u32(0, 1, 1, 1, 1)),
    box('stco', u32(0, 1, chunkOffset)))
  return box('trak', tkhd, box('mdia', box('mdhd', u32(0, 0, 0, 1000, 1000, 0)), hdlr, box('minf', stbl)))
}

/** Markers the built file carries, to look for after cleaning. */
export const mp4Markers = { location: '+59.9139+010.7522/', telemetry: 'GPS5-TELEMETRY', picture: 'VIDEO-SAMPLE-BYTES' }

/** A 2.5 s, 640 × 360 MP4 turned 90° (so 360 × 640 on screen) with location in udta and a data track. */
export function tinyMp4() {
  const ftyp = box('ftyp', Buffer.from('isom'), u32(512), Buffer.from('isommp41'))
  const picture = Buffer.from(mp4Markers.picture)
  const telemetry = Buffer.from(mp4Markers.telemetry)
  const rotate90 = [0, 65536, 0, -65536, 0, 0, 0, 0, 0x40000000]
  const identity = [65536, 0, 0, 0, 65536, 0, 0, 0, 0x40000000]
  const udta = box('udta', box('\u00a9xyz', Buffer.from([0, 18, 0x15, 0xc7]), Buffer.from(mp4Markers.location)))
  const build = (mdatAt: number) => box('moov',
    box('mvhd', u32(0, 0, 0, 1000, 2500), Buffer.alloc(80)),
    track(1, 'vide', 640, 360, rotate90, mdatAt + 8, picture.length),
    track(2, 'meta', 0, 0, identity, mdatAt + 8 + picture.length, telemetry.length),
    udta)
  const moovLength = build(0).length
  const moov = build(ftyp.length + moovLength)
  return Buffer.concat([ftyp, moov, box('mdat', picture, telemetry)])
}
