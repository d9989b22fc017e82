// A small reader for ISO base media boxes (MP4, MOV, 3GP): just enough to find
// the boxes that hold location and the tables that say where a track's samples lie.

/** One box: its type and where its header and payload lie in the file. */
export interface Box {
  type: string
  start: number
  payload: number
  end: number
}

const containers = new Set(['moov', 'trak', 'mdia', 'minf', 'stbl', 'edts', 'dinf'])

/** The boxes directly inside [from, to); throws on a box that runs past its parent. */
export function childBoxes(view: DataView, from: number, to: number): Box[] {
  const boxes: Box[] = []
  let at = from
  while (at + 8 <= to) {
    let size = view.getUint32(at)
    const type = String.fromCharCode(view.getUint8(at + 4), view.getUint8(at + 5), view.getUint8(at + 6), view.getUint8(at + 7))
    let header = 8
    if (size === 1) {
      size = Number(view.getBigUint64(at + 8))
      header = 16
    }
    else if (size === 0) {
      size = to - at
    }
    if (size < header || at + size > to) throw new RangeError(`The box "${type}" at byte ${at} runs past its end.`)
    boxes.push({ type, start: at, payload: at + header, end: at + size })
    at += size
  }
  return boxes
}

/** The first child of `parent` with the given type, if any. */
export function childBox(view: DataView, parent: Box, type: string) {
  return childBoxes(view, parent.payload, parent.end).find(box => box.type === type)
}

/** The box at a path of types below `parent`, e.g. ['mdia', 'minf', 'stbl']. */
export function boxAt(view: DataView, parent: Box, path: string[]) {
  let box: Box | undefined = parent
  for (const type of path) {
    box = box && containers.has(box.type) ? childBox(view, box, type) : undefined
  }
  return box
}

/** Turns a box into a "free" box of the same size, which every player skips. */
export function blankBox(bytes: Uint8Array, box: Box) {
  bytes.set([0x66, 0x72, 0x65, 0x65], box.start + 4)
  bytes.fill(0, box.payload, box.end)
}

/** The byte ranges of every sample of a track, from its sample tables. */
export function sampleRanges(view: DataView, stbl: Box): [number, number][] {
  const stsz = childBox(view, stbl, 'stsz')
  const stsc = childBox(view, stbl, 'stsc')
  const co = childBox(view, stbl, 'stco') ?? childBox(view, stbl, 'co64')
  if (!stsz || !stsc || !co) return []
  const fixedSize = view.getUint32(stsz.payload + 4)
  const sampleCount = view.getUint32(stsz.payload + 8)
  const sizeOf = (i: number) => fixedSize || view.getUint32(stsz.payload + 12 + i * 4)
  const chunkCount = view.getUint32(co.payload + 4)
  const offsetOf = (i: number) => co.type === 'co64'
    ? Number(view.getBigUint64(co.payload + 8 + i * 8))
    : view.getUint32(co.payload + 8 + i * 4)
  const runs = Array.from({ length: view.getUint32(stsc.payload + 4) }, (_, i) => ({
    firstChunk: view.getUint32(stsc.payload + 8 + i * 12),
    perChunk: view.getUint32(stsc.payload + 12 + i * 12),
  }))
  const ranges: [number, number][] = []
  let sample = 0
  for (let chunk = 0; chunk < chunkCount && sample < sampleCount; chunk++) {
    const run = [...runs].reverse().find(r => r.firstChunk <= chunk + 1)
    let at = offsetOf(chunk)
    for (let n = 0; n < (run?.perChunk ?? 0) && sample < sampleCount; n++, sample++) {
      const size = sizeOf(sample)
      ranges.push([at, at + size])
      at += size
    }
  }
  return ranges
}
