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
  /** A video's still frame at display size, when the uploading browser sent one. */
  poster: StoredFile | null
  thumbnail: StoredFile
}

/** The largest upload the pipeline takes, for the route's streaming limit. */
export const maxUploadBytes = videoLimits.maxBytes
/** The largest photo file the pipeline takes. */
export const maxImageBytes = 40 * 1024 * 1024

// There is no ffmpeg on the server (a large native dependency, and decoding
// untrusted video there widens the attack surface), so a video's still frame
// comes from the uploading browser, which decodes the video anyway: it draws a
// frame on a canvas and sends it as the part "poster". The frame goes through
// the photo pipeline like any upload. Without one, or when it is not a photo,
// the video gets a neutral poster; the video itself is never refused for it.
async function posterFrom(frame: Buffer | undefined, width: number, height: number) {
  if (frame?.length) {
    try {
      const type = sniffMediaType(frame.subarray(0, sniffLength))
      if (!isVideo(type) && frame.length <= maxPosterBytes) {
        const image = await processImage(frame, type)
        return { poster: image.display as StoredFile, thumbnail: image.thumbnail as StoredFile }
      }
    }
    catch {
      // A frame we cannot read is replaced below; the video itself is fine.
    }
  }
  return { poster: null, thumbnail: await neutralPoster(width, height) }
}

/** The largest still frame a browser may send with a video. */
export const maxPosterBytes = 4 * 1024 * 1024

/** Reads, checks and cleans one uploaded file; throws MediaRefusal with a reason code. */
export async function processMedia(bytes: Buffer, posterFrame?: Buffer): Promise<ProcessedMedia> {
  const sourceType = sniffMediaType(bytes.subarray(0, sniffLength))
  if (isVideo(sourceType)) {
    const video = processVideo(bytes)
    const { poster, thumbnail } = await posterFrom(posterFrame, video.width, video.height)
    return {
      kind: 'video', sourceType, width: video.width, height: video.height,
      durationSeconds: video.durationSeconds, frames: 1,
      original: { bytes: video.bytes, contentType: sourceType, extension: sourceType === 'video/mp4' ? 'mp4' : 'mov' },
      display: null, poster, thumbnail,
    }
  }
  if (bytes.length > maxImageBytes) {
    throw new MediaRefusal('too_large', `The photo is larger than ${maxImageBytes / 1024 / 1024} MB.`, 413)
  }
  const image = await processImage(bytes, sourceType)
  return {
    kind: 'image', sourceType, width: image.original.width, height: image.original.height,
    durationSeconds: null, frames: image.frames,
    original: image.original, display: image.display, poster: null, thumbnail: image.thumbnail,
  }
}
