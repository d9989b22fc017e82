// One entry for every upload: what the file is (by its bytes), and the files to
// store for it. Photos and videos share the shape so the upload route, the
// albums and the guestbook treat them alike.
import { processImage } from './image'
import { isVideo, MediaRefusal, sniffLength, sniffMediaType, type MediaType } from './sniff'
import { neutralPoster, processVideo, videoLimits } from './video'

/** One file to store, e.g. the display size of a photo. */
export interface StoredFile {
  bytes: Buffer
  contentType: string
  extension: string
}

/** The result of the pipeline: what to store and what to record about it. */
export interface ProcessedMedia {
  kind: 'image' | 'video'
  sourceType: MediaType
  width: number
  height: number
  durationSeconds: number | null
  frames: number
  original: StoredFile
  /** The web-sized photo; a video has none, it plays from the original. */
  display: StoredFile | null
  thumbnail: StoredFile
}

/** The largest upload the pipeline takes, for the route's streaming limit. */
export const maxUploadBytes = videoLimits.maxBytes
/** The largest photo file the pipeline takes. */
export const maxImageBytes = 40 * 1024 * 1024

/** Reads, checks and cleans one uploaded file; throws MediaRefusal with a reason code. */
export async function processMedia(bytes: Buffer): Promise<ProcessedMedia> {
  const sourceType = sniffMediaType(bytes.subarray(0, sniffLength))
  if (isVideo(sourceType)) {
    const video = processVideo(bytes)
    const poster = await neutralPoster(video.width, video.height)
    return {
      kind: 'video', sourceType, width: video.width, height: video.height,
      durationSeconds: video.durationSeconds, frames: 1,
      original: { bytes: video.bytes, contentType: sourceType, extension: sourceType === 'video/mp4' ? 'mp4' : 'mov' },
      display: null,
      thumbnail: poster,
    }
  }
  if (bytes.length > maxImageBytes) {
    throw new MediaRefusal('too_large', `The photo is larger than ${maxImageBytes / 1024 / 1024} MB.`, 413)
  }
  const image = await processImage(bytes, sourceType)
  return {
    kind: 'image', sourceType, width: image.original.width, height: image.original.height,
    durationSeconds: null, frames: image.frames,
    original: image.original, display: image.display, thumbnail: image.thumbnail,
  }
}
