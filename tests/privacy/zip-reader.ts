// A small reader for the store-only ZIP files the export writes, so the tests
// check the bytes a person downloads: every central-directory entry, its name,
// and its data, with the CRC verified.
import { crc32 } from '../../server/utils/privacy/zip'

/** The files of a store-only ZIP, by name; throws if a CRC or header does not match. */
export function readZip(bytes: Buffer): Map<string, Buffer> {
  const end = bytes.lastIndexOf(Buffer.from([0x50, 0x4B, 0x05, 0x06]))
  if (end < 0) throw new Error('no end of central directory')
  const count = bytes.readUInt16LE(end + 10)
  let at = bytes.readUInt32LE(end + 16)
  const files = new Map<string, Buffer>()
  for (let i = 0; i < count; i++) {
    if (bytes.readUInt32LE(at) !== 0x02014B50) throw new Error(`bad central record ${i}`)
    const crc = bytes.readUInt32LE(at + 16)
    const size = bytes.readUInt32LE(at + 24)
    const nameLength = bytes.readUInt16LE(at + 28)
    const extra = bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32)
    const local = bytes.readUInt32LE(at + 42)
    const name = bytes.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    if (bytes.readUInt32LE(local) !== 0x04034B50) throw new Error(`bad local header for ${name}`)
    const start = local + 30 + bytes.readUInt16LE(local + 26) + bytes.readUInt16LE(local + 28)
    const data = bytes.subarray(start, start + size)
    if (crc32(data) !== crc) throw new Error(`CRC mismatch in ${name}`)
    files.set(name, data)
    at += 46 + nameLength + extra
  }
  return files
}
