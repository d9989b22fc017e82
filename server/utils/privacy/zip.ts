// A store-only ZIP writer (no compression: photos and videos are compressed
// already, and storing keeps the CPU free on a shared server). Entries are
// written one at a time as they arrive, so an export streams instead of
// waiting for every file. Names are UTF-8 (flag bit 11), so "Bestemor på
// hytta.jpg" unpacks as written. Without ZIP64 an archive stays under 4 GB:
// `add` refuses an entry that would pass it.

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1
  return c >>> 0
})

/** CRC-32 as ZIP wants it. */
export function crc32(bytes: Uint8Array) {
  let crc = 0xFFFFFFFF
  for (const byte of bytes) crc = crcTable[(crc ^ byte) & 0xFF]! ^ (crc >>> 8)
  return (crc ^ 0xFFFFFFFF) >>> 0
}

// MS-DOS date and time, as local time in Norway would be what people expect,
// but the format has no zone; UTC keeps the output the same on every server.
function dosDateTime(date: Date) {
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | (date.getUTCSeconds() >> 1)
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate()
  return { time, day }
}

interface Written { name: Buffer, crc: number, size: number, offset: number }

const limit = 0xFFFFFFFF

/** Writes a ZIP archive entry by entry; each call returns the bytes to send next. */
export class ZipWriter {
  private entries: Written[] = []
  private offset = 0
  private stamp = dosDateTime(new Date())

  /** The local header and data of one file. */
  add(fileName: string, data: Uint8Array): Buffer[] {
    const name = Buffer.from(fileName, 'utf8')
    if (this.offset + 30 + name.length + data.length > limit || this.entries.length >= 0xFFFF) {
      throw new Error('The export is too large for a ZIP file without ZIP64.')
    }
    const entry = { name, crc: crc32(data), size: data.length, offset: this.offset }
    const header = Buffer.alloc(30)
    header.writeUInt32LE(0x04034B50, 0)
    header.writeUInt16LE(20, 4)
    header.writeUInt16LE(0x0800, 6)
    header.writeUInt16LE(0, 8)
    header.writeUInt16LE(this.stamp.time, 10)
    header.writeUInt16LE(this.stamp.day, 12)
    header.writeUInt32LE(entry.crc, 14)
    header.writeUInt32LE(entry.size, 18)
    header.writeUInt32LE(entry.size, 22)
    header.writeUInt16LE(name.length, 26)
    header.writeUInt16LE(0, 28)
    this.entries.push(entry)
    this.offset += header.length + name.length + data.length
    return [header, name, Buffer.from(data.buffer, data.byteOffset, data.byteLength)]
  }

  /** The central directory and its end record. */
  finish(): Buffer[] {
    const parts: Buffer[] = []
    let size = 0
    for (const entry of this.entries) {
      const record = Buffer.alloc(46)
      record.writeUInt32LE(0x02014B50, 0)
      record.writeUInt16LE(20, 4)
      record.writeUInt16LE(20, 6)
      record.writeUInt16LE(0x0800, 8)
      record.writeUInt16LE(0, 10)
      record.writeUInt16LE(this.stamp.time, 12)
      record.writeUInt16LE(this.stamp.day, 14)
      record.writeUInt32LE(entry.crc, 16)
      record.writeUInt32LE(entry.size, 20)
      record.writeUInt32LE(entry.size, 24)
      record.writeUInt16LE(entry.name.length, 28)
      record.writeUInt32LE(entry.offset, 42)
      parts.push(record, entry.name)
      size += record.length + entry.name.length
    }
    const end = Buffer.alloc(22)
    end.writeUInt32LE(0x06054B50, 0)
    end.writeUInt16LE(this.entries.length, 8)
    end.writeUInt16LE(this.entries.length, 10)
    end.writeUInt32LE(size, 12)
    end.writeUInt32LE(this.offset, 16)
    parts.push(end)
    return parts
  }
}
