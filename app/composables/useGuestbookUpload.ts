// Photos and a video uploaded on the spot with a post go through the albums' media
// pipeline (useMediaUpload → server/api/residents/[id]/media): HEIC, videos, GPS
// removed, consent recorded. This file only knows what the guestbook adds: a quick
// look at the first bytes to say at once which files cannot be attached, and the
// rule "up to 10 photos, or one video on its own" (Postgres checks it too).
import type { UploadEntry, UploadFields } from './useMediaUpload'

export type GuestbookMediaKind = 'image' | 'video'

/** What a post may carry. */
export const guestbookMediaLimit = { photos: 10, videos: 1 }

const startsWith = (head: Uint8Array, bytes: number[], offset = 0) => bytes.every((b, i) => head[offset + i] === b)
const ascii = (head: Uint8Array, from: number, to: number) => String.fromCharCode(...head.subarray(from, to))
const heifBrands = ['heic', 'heix', 'heim', 'heis', 'hevc', 'hevx', 'mif1', 'msf1', 'avif']

/** Photo or video by the file's first bytes; null when the pipeline would refuse it anyway. */
export function mediaKindOf(head: Uint8Array): GuestbookMediaKind | null {
  if (startsWith(head, [0xFF, 0xD8, 0xFF])) return 'image'
  if (startsWith(head, [0x89, 0x50, 0x4E, 0x47])) return 'image'
  if (startsWith(head, [0x47, 0x49, 0x46, 0x38])) return 'image'
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 12) === 'WEBP') return 'image'
  if (ascii(head, 4, 8) === 'ftyp') return heifBrands.includes(ascii(head, 8, 12)) ? 'image' : 'video'
  return null
}

/** Whether photos and videos of these kinds fit on one post. */
export function fitsOnePost(kinds: GuestbookMediaKind[]) {
  const videos = kinds.filter(k => k === 'video').length
  if (videos) return videos <= guestbookMediaLimit.videos && kinds.length === 1
  return kinds.length <= guestbookMediaLimit.photos
}

/** A file the pipeline refused or could not take, with the reason code (album.refused.*). */
export interface RefusedUpload { name: string, reason: string }

/** Thrown when some files of a post could not be stored; the others keep their media ids. */
export class GuestbookUploadError extends Error {
  constructor(readonly refused: RefusedUpload[]) {
    super(`Some files could not be stored: ${refused.map(r => r.reason).join(', ')}`)
  }
}

/** Classifies and uploads a post's files for one resident through the albums' pipeline. */
export function useGuestbookUpload(residentId: MaybeRefOrGetter<string>) {
  const queue = useMediaUpload(residentId)

  /** Each file's kind by its content; null for files that are not photos or videos. */
  async function kinds(files: File[]) {
    return Promise.all(files.map(async f => mediaKindOf(new Uint8Array(await f.slice(0, 16).arrayBuffer()))))
  }

  const latestEntry = (file: File): UploadEntry | undefined =>
    queue.entries.value.findLast(entry => entry.file === file)

  /** Uploads the files not stored yet; returns each file's media id in order, or throws GuestbookUploadError. */
  async function upload(files: File[], fields: UploadFields) {
    const waiting = files.filter(file => latestEntry(file)?.state !== 'done')
    if (waiting.length) await queue.add(waiting, fields)
    const refused = files.flatMap((file) => {
      const entry = latestEntry(file)
      return entry?.state === 'done' ? [] : [{ name: file.name, reason: entry?.reason ?? 'unknown' }]
    })
    if (refused.length) throw new GuestbookUploadError(refused)
    return files.map(file => latestEntry(file)!.mediaId!)
  }

  /** Share of the bytes sent so far, 0–1, while uploading. */
  const progress = computed(() => queue.overall.value)

  return { kinds, upload, progress, busy: queue.busy }
}
