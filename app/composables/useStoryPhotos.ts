// Photos in stories: the resident's album photos to pick from, and signed URLs for the
// photos a story shows (asked for once per path and shared by every photo on the page).
import { signedPhotoUrls } from '~/utils/storage'

/** An album photo a story can show. */
export interface StoryAlbumPhoto {
  mediaId: string
  /** Key of the web-sized variant (or the thumbnail when there is none) in bucket "media". */
  path: string
  thumbnail: string
  caption: string
}

/** Album photos of a resident, and signed URLs for story photos. */
export function useStoryPhotos() {
  const supabase = useSupabaseClient()
  const urls = useState<Record<string, string>>('story-photo-urls', () => ({}))

  /** Signs the paths not signed yet. */
  async function sign(paths: string[]) {
    const missing = paths.filter(path => path && !urls.value[path])
    if (missing.length) urls.value = { ...urls.value, ...await signedPhotoUrls(supabase, missing) }
  }

  /** The resident's newest album photos (videos cannot stand in a story). */
  async function albumPhotos(residentId: string): Promise<StoryAlbumPhoto[]> {
    const { data, error } = await supabase.from('media_items').select('id, variants, caption')
      .eq('resident_id', residentId).eq('kind', 'image').order('created_at', { ascending: false }).limit(60)
    if (error) throw error
    const photos = (data ?? []).flatMap((row) => {
      const variants = (row.variants ?? {}) as { display?: string | null, thumbnail?: string }
      const path = variants.display ?? variants.thumbnail
      return path && variants.thumbnail
        ? [{ mediaId: row.id as string, path, thumbnail: variants.thumbnail, caption: (row.caption as string | null) ?? '' }]
        : []
    })
    await sign(photos.map(photo => photo.thumbnail))
    return photos
  }

  return { urls, sign, albumPhotos }
}
