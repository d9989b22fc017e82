// Photos for a conversation, fetched in full before it starts and kept as blobs in
// memory: if the ward's network drops mid-session, every photo already loaded still
// shows. Signed URLs run out after an hour, blobs do not.

/** Fetches the photos at `paths` as object URLs, keyed by storage path, and frees them on leaving. */
export function useConversationPhotos() {
  const supabase = useSupabaseClient()
  const urls = ref<Record<string, string>>({})
  const total = ref(0)
  const loaded = ref(0)
  const failed = ref(0)

  async function preload(paths: (string | null)[]) {
    const wanted = [...new Set(paths.filter((p): p is string => Boolean(p)))].filter(p => !urls.value[p])
    total.value += wanted.length
    if (!wanted.length) return
    let signed: Record<string, string> = {}
    try {
      signed = await signedPhotoUrls(supabase, wanted)
    }
    catch {
      failed.value += wanted.length
      return
    }
    // A few at a time: a ward tablet on a weak connection should not open dozens at once.
    const queue = [...wanted]
    async function worker() {
      for (let path = queue.shift(); path; path = queue.shift()) {
        try {
          const response = await fetch(signed[path]!)
          if (!response.ok) throw new Error(String(response.status))
          // Read the body before copying the map: `{ ...urls.value, [path]: await … }` copies
          // first and waits after, so workers finishing together each wrote back their own
          // stale copy and dropped the others' photos ("Bildet kunne ikke hentes").
          const blob = await response.blob()
          urls.value = { ...urls.value, [path]: URL.createObjectURL(blob) }
          loaded.value++
        }
        catch {
          failed.value++
        }
      }
    }
    await Promise.all([worker(), worker(), worker()])
  }

  onBeforeUnmount(() => {
    for (const url of Object.values(urls.value)) URL.revokeObjectURL(url)
  })

  return { urls, total, loaded, failed, preload }
}
