/** A photo or video as the album pages show it. */
export interface AlbumMedia {
  id: string
  kind: 'image' | 'video'
  storagePath: string
  variants: { display?: string | null, thumbnail?: string, poster?: string | null }
  width: number | null
  height: number | null
  caption: string | null
  takenYear: number | null
  takenPeriod: string | null
  place: string | null
  fileName: string | null
  albumId: string | null
  createdBy: string | null
  createdAt: string
  showsLivingPeople: boolean
  consentConfirmedBy: string | null
  consentConfirmedAt: string | null
}

/** An album of one resident. */
export interface Album {
  id: string
  title: string
  description: string | null
  lifePeriod: string | null
  coverMediaId: string | null
  createdBy: string | null
}

/** Someone shown in a photo: a relation, a user of Minnespor, or a name typed in. */
export interface MediaPerson {
  relationId: string | null
  personId: string | null
  name: string
  /** False for a relation marked as no longer living; living people need consent. */
  living: boolean
}

/** How the photo stream is sorted. */
export type AlbumOrder = 'newest' | 'year' | 'album'
