/** A photo or video as the album pages show it. */
export interface AlbumMedia {
  id: string
  kind: 'image' | 'video'
  storagePath: string
  variants: { display?: string | null, thumbnail?: string }
  width: number | null
  height: number | null
  caption: string | null
  takenYear: number | null
  place: string | null
  fileName: string | null
  createdAt: string
}
