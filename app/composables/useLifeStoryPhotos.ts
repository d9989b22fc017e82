// Photos on life-story items: signed URLs for the paths items point to, and the resident's
// album photos to pick from. Items keep the key of a web-sized variant in bucket "media".

/** A photo of the resident's albums that an item can point to. */
export interface LifeStoryAlbumPhoto {
  id: string
  /** The key an item stores: the display variant, or the thumbnail when there is none. */
  path: string
  thumbnail: string
  caption: string | null
}

/** Signed URLs for item photos, asked for once per path. */
export function useLifeStoryPhotos() {
  const supabase = useSupabaseClient()
  const urls = ref<Record<string, string>>({})

  /** Signs the paths not signed yet, in one request. */
  async function sign(paths: unknown[]) {
    const missing = paths.filter((p): p is string => typeof p === 'string' && p !== '' && !urls.value[p])
    if (!missing.length) return
    urls.value = { ...urls.value, ...await signedPhotoUrls(supabase, missing) }
  }

  /** The newest photos of the resident's albums (videos cannot be an item's photo). */
  async function albumPhotos(residentId: string, limit = 48): Promise<LifeStoryAlbumPhoto[]> {
    const { data, error } = await supabase.from('media_items').select('id, variants, caption')
      .eq('resident_id', residentId).eq('kind', 'image').order('created_at', { ascending: false }).limit(limit)
    if (error) throw error
    const photos = (data ?? []).flatMap((row) => {
      const variants = (row.variants ?? {}) as { display?: string | null, thumbnail?: string }
      const path = variants.display ?? variants.thumbnail
      return path && variants.thumbnail
        ? [{ id: row.id as string, path, thumbnail: variants.thumbnail, caption: row.caption as string | null }]
        : []
    })
    await sign(photos.map(photo => photo.thumbnail))
    return photos
  }

  /** The photo an upload stored, as an item points to it. */
  async function uploadedPhoto(mediaId: string): Promise<LifeStoryAlbumPhoto | null> {
    const { data, error } = await supabase.from('media_items').select('id, variants, caption').eq('id', mediaId).maybeSingle()
    if (error) throw error
    const variants = (data?.variants ?? {}) as { display?: string | null, thumbnail?: string }
    const path = variants.display ?? variants.thumbnail
    if (!data || !path || !variants.thumbnail) return null
    await sign([path])
    return { id: data.id as string, path, thumbnail: variants.thumbnail, caption: data.caption as string | null }
  }

  return { urls, sign, albumPhotos, uploadedPhoto }
}
