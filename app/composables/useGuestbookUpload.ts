// Photos uploaded on the spot with a post. Until the albums' upload pipeline
// exists, this is the small version of it: the type is read from the file's
// first bytes (not its name), and each photo is drawn again on a canvas, which
// leaves every piece of metadata behind, GPS position included, before it goes
// to the private "media" bucket under "<resident_id>/guestbook/".
// Missing here: videos (their metadata cannot be stripped in the browser), and
// the consent question for photos of living people that the albums will ask.

const signatures: { type: string, bytes: (number | null)[] }[] = [
  { type: 'image/jpeg', bytes: [0xFF, 0xD8, 0xFF] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] },
  { type: 'image/gif', bytes: [0x47, 0x49, 0x46, 0x38] },
  { type: 'image/webp', bytes: [0x52, 0x49, 0x46, 0x46, null, null, null, null, 0x57, 0x45, 0x42, 0x50] },
]

/** The image type the bytes say, or null when they are not a photo we accept. */
export function photoTypeOf(head: Uint8Array) {
  return signatures.find(s => s.bytes.every((byte, i) => byte === null || head[i] === byte))?.type ?? null
}

const maxSide = 2048

async function redraw(file: File) {
  const bitmap = await createImageBitmap(file)
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height))
  const canvas = document.createElement('canvas')
  canvas.width = Math.round(bitmap.width * scale)
  canvas.height = Math.round(bitmap.height * scale)
  canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height)
  bitmap.close()
  const blob = await new Promise<Blob | null>(resolve => canvas.toBlob(resolve, 'image/jpeg', 0.88))
  if (!blob) throw new Error('The photo could not be prepared for upload.')
  return { blob, width: canvas.width, height: canvas.height }
}

/** Checks, cleans and uploads photos for a resident's guestbook; returns the new media item ids. */
export function useGuestbookUpload() {
  const supabase = useSupabaseClient()

  /** The files that are not photos we accept, by name. */
  async function rejected(files: File[]) {
    const heads = await Promise.all(files.map(async f => new Uint8Array(await f.slice(0, 12).arrayBuffer())))
    return files.filter((_, i) => !photoTypeOf(heads[i]!)).map(f => f.name)
  }

  async function upload(residentId: string, files: File[]) {
    const ids: string[] = []
    for (const file of files) {
      const { blob, width, height } = await redraw(file)
      const path = `${residentId}/guestbook/${crypto.randomUUID()}.jpg`
      const stored = await supabase.storage.from('media').upload(path, blob, { contentType: 'image/jpeg' })
      if (stored.error) throw stored.error
      const { data, error } = await supabase.from('media_items').insert({
        resident_id: residentId, storage_path: path, kind: 'image', mime_type: 'image/jpeg',
        size_bytes: blob.size, width, height,
      }).select('id').single()
      if (error) throw error
      ids.push(data.id as string)
    }
    return ids
  }

  return { rejected, upload }
}
