// Uploads photos and videos for a resident one file per request, two at a time,
// with progress per file and overall, cancel, and retries when the connection
// drops. The server refuses with a reason code (album.refused.*); a refused
// file is not retried. Each request stores all or nothing, so a cancelled or
// failed upload leaves no half item behind.
//
// A retry sends the whole file again from the start (the route takes one
// request per file; Supabase's resumable uploads would go around the photo
// pipeline). Every attempt carries the file's upload key, so when a request had
// in fact arrived and only its answer was lost, the server answers with the item
// it already stored instead of storing a copy.
import { uploadMediaId } from '#shared/utils/mediaId'

/** Where one file is in its upload. */
export type UploadState = 'waiting' | 'uploading' | 'processing' | 'retrying' | 'done' | 'refused' | 'failed' | 'cancelled'

/** One file in the upload list. */
export interface UploadEntry {
  key: string
  file: File
  name: string
  state: UploadState
  /** Share of the bytes sent, 0–1. */
  progress: number
  reason: string | null
  attempts: number
  mediaId: string | null
}

/** What the uploader says about every file of one batch. */
export interface UploadFields {
  albumId?: string | null
  caption?: string
  takenYear?: number | null
  place?: string
  showsLivingPeople?: boolean
  consentConfirmed?: boolean
}

const parallel = 2
const maxAttempts = 4
const active: UploadState[] = ['waiting', 'uploading', 'processing', 'retrying']

/**
 * A still frame of a video for its poster, drawn by this browser (the server has
 * no ffmpeg; see server/utils/media/pipeline.ts). Null when the browser cannot
 * decode the video (e.g. HEVC on some computers) or takes too long: the server
 * then gives it a neutral poster.
 */
async function posterFrame(file: File, timeoutMs = 8000): Promise<Blob | null> {
  const url = URL.createObjectURL(file)
  const video = document.createElement('video')
  video.muted = true
  video.preload = 'auto'
  video.playsInline = true
  try {
    const frame = new Promise<Blob | null>((resolve) => {
      video.onloadeddata = () => {
        // A little way in: the very first frame of a phone video is often black.
        video.currentTime = Math.min(1, (video.duration || 0) / 3)
      }
      video.onseeked = () => {
        const scale = Math.min(1, 1280 / Math.max(video.videoWidth, video.videoHeight))
        const canvas = document.createElement('canvas')
        canvas.width = Math.round(video.videoWidth * scale)
        canvas.height = Math.round(video.videoHeight * scale)
        canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height)
        canvas.toBlob(resolve, 'image/jpeg', 0.85)
      }
      video.onerror = () => resolve(null)
    })
    video.src = url
    const late = new Promise<null>(resolve => setTimeout(() => resolve(null), timeoutMs))
    return await Promise.race([frame, late])
  }
  catch {
    return null
  }
  finally {
    video.removeAttribute('src')
    URL.revokeObjectURL(url)
  }
}

function send(url: string, form: FormData, onProgress: (share: number) => void, signal: AbortSignal) {
  return new Promise<{ status: number, body: { id?: string, data?: { reason?: string } } }>((resolve, reject) => {
    const request = new XMLHttpRequest()
    request.open('POST', url)
    request.responseType = 'json'
    request.upload.onprogress = event => event.lengthComputable && onProgress(event.loaded / event.total)
    request.onload = () => resolve({ status: request.status, body: request.response ?? {} })
    request.onerror = () => reject(new Error('network'))
    request.onabort = () => reject(new DOMException('cancelled', 'AbortError'))
    signal.addEventListener('abort', () => request.abort(), { once: true })
    request.send(form)
  })
}

/** The upload queue for one resident's albums. */
export function useMediaUpload(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const user = useSupabaseUser()
  const entries = ref<UploadEntry[]>([])
  const controllers = new Map<string, AbortController>()
  let fields: UploadFields = {}
  const posters = new Map<string, Promise<Blob | null>>()

  const busy = computed(() => entries.value.some(e => active.includes(e.state)))
  const overall = computed(() => {
    const counted = entries.value.filter(e => e.state !== 'cancelled')
    const total = counted.reduce((sum, e) => sum + e.file.size, 0)
    const sent = counted.reduce((sum, e) => sum + e.file.size * (['done', 'refused', 'failed'].includes(e.state) ? 1 : e.progress), 0)
    return total ? sent / total : 0
  })

  async function formFor(entry: UploadEntry) {
    const form = new FormData()
    for (const [name, value] of Object.entries(fields)) {
      if (value !== undefined && value !== null && value !== '') form.append(name, String(value))
    }
    form.append('uploadKey', entry.key)
    form.append('file', entry.file, entry.name)
    if (entry.file.type.startsWith('video/') || /\.(mp4|mov|m4v)$/i.test(entry.name)) {
      if (!posters.has(entry.key)) posters.set(entry.key, posterFrame(entry.file))
      const poster = await posters.get(entry.key)
      if (poster) form.append('poster', poster, 'poster.jpg')
    }
    return form
  }

  async function run(entry: UploadEntry) {
    const controller = new AbortController()
    controllers.set(entry.key, controller)
    // Whether an attempt ended without an answer (dropped connection, 5xx): it may have been stored.
    let unanswered = false
    while (entry.state !== 'cancelled' && entry.attempts < maxAttempts) {
      entry.attempts++
      entry.state = 'uploading'
      entry.progress = 0
      try {
        const form = await formFor(entry)
        if (entry.state === 'cancelled') break
        const answer = await send(`/api/residents/${toValue(residentId)}/media`, form, (share) => {
          entry.progress = share
          if (share >= 1 && entry.state === 'uploading') entry.state = 'processing'
        }, controller.signal)
        // 200: a retry of a file whose first request did arrive; it is stored once.
        if (answer.status === 201 || answer.status === 200) {
          // Cancelled while the server was already storing it: take it away again.
          if (entry.state === 'cancelled') await discard(answer.body.id)
          else Object.assign(entry, { state: 'done', progress: 1, mediaId: answer.body.id ?? null })
          break
        }
        // 4xx other than a timeout: the server said why; trying again would not help.
        if (answer.status < 500 && answer.status !== 408) {
          Object.assign(entry, { state: 'refused', reason: answer.body.data?.reason ?? 'unknown' })
          break
        }
        entry.reason = 'storage_failed'
        unanswered = true
      }
      catch (error) {
        if ((error as Error).name === 'AbortError') break
        entry.reason = 'connection_lost'
        unanswered = true
      }
      if (entry.attempts < maxAttempts && entry.state !== 'cancelled') {
        entry.state = 'retrying'
        await new Promise(r => setTimeout(r, 1000 * 2 ** (entry.attempts - 1)))
      }
    }
    if (entry.state === 'uploading' || entry.state === 'processing' || entry.state === 'retrying') entry.state = 'failed'
    controllers.delete(entry.key)
    // Cancelled after an attempt whose answer was lost: that attempt may have stored the file.
    // The person said no, so the item under this file's key goes too, if it is there.
    if (entry.state === 'cancelled' && unanswered && user.value?.sub) await discard(await uploadMediaId(user.value.sub, entry.key))
  }

  async function discard(mediaId: string | undefined) {
    if (!mediaId) return
    const { data } = await supabase.from('media_items').select('storage_path, variants').eq('id', mediaId).maybeSingle()
    if (!data) return
    const variants = (data.variants ?? {}) as Record<string, string | null>
    const paths = [data.storage_path as string, ...Object.values(variants)].filter((p): p is string => Boolean(p))
    await supabase.from('media_items').delete().eq('id', mediaId)
    await supabase.storage.from('media').remove(paths)
  }

  async function drain() {
    const next = () => entries.value.find(e => e.state === 'waiting')
    const worker = async () => {
      for (let entry = next(); entry; entry = next()) await run(entry)
    }
    await Promise.all(Array.from({ length: parallel }, worker))
  }

  /** Adds files to the queue and starts uploading them with the given details. */
  function add(files: File[], details: UploadFields) {
    fields = details
    for (const file of files) {
      entries.value.push({ key: crypto.randomUUID(), file, name: file.name.normalize('NFC'), state: 'waiting',
        progress: 0, reason: null, attempts: 0, mediaId: null })
    }
    return drain()
  }

  /** Stops one file (or all when no key is given); what was not stored yet is dropped. */
  function cancel(key?: string) {
    for (const entry of entries.value) {
      if (key && entry.key !== key) continue
      if (!active.includes(entry.state)) continue
      // Once every byte is sent the server is storing the file; let it finish and
      // remove the item then, so nothing is left half done either way.
      if (entry.state !== 'processing') controllers.get(entry.key)?.abort()
      entry.state = 'cancelled'
    }
  }

  /** Tries a failed file again. */
  function retry(key: string) {
    const entry = entries.value.find(e => e.key === key)
    if (!entry || entry.state !== 'failed') return
    Object.assign(entry, { state: 'waiting', attempts: 0, reason: null, progress: 0 })
    return drain()
  }

  /** Forgets finished entries. */
  function clear() {
    entries.value = entries.value.filter(e => active.includes(e.state))
  }

  return { entries, busy, overall, add, cancel, retry, clear }
}
