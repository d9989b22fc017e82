// What conversation mode works from: the resident's own life story, as the database
// returns it (only rows the person may see), and what it shows: one item at a time.

export type ItemKind = 'resident' | 'relation' | 'life_event' | 'story' | 'interest' | 'everyday_wish' | 'media_item'
export type LifePeriod = 'childhood' | 'youth' | 'adult_life' | 'later_life'
export type Reaction = 'good' | 'neutral' | 'not_now'

export interface SourceResident {
  id: string
  name: string
  preferredName: string | null
  grewUpIn: string | null
  introduction: string | null
  photoPath: string | null
}
export interface SourceRelation {
  id: string
  name: string
  relationship: string | null
  description: string | null
  photoPath: string | null
  isKey: boolean
  sensitive: boolean
}
export interface SourceEvent {
  id: string
  title: string
  description: string | null
  year: number | null
  place: string | null
  lifePeriod: LifePeriod | null
  photoPath: string | null
  sensitive: boolean
}
export interface SourceStory {
  id: string
  title: string
  text: string
  lifePeriod: LifePeriod | null
  sensitive: boolean
}
/** An interest or an everyday wish; `table` says which. */
export interface SourceFavourite {
  id: string
  table: 'interest' | 'everyday_wish'
  category: string
  title: string
  description: string | null
  link: string | null
  photoPath: string | null
  sensitive: boolean
}
export interface SourceAlbum {
  id: string
  title: string
  lifePeriod: LifePeriod | null
  sensitive: boolean
}
export interface SourcePhoto {
  id: string
  albumId: string | null
  /** The storage key to show: the display variant, else the original. */
  path: string
  caption: string | null
  year: number | null
  place: string | null
  sensitive: boolean
}
export interface SourceReaction {
  itemKind: ItemKind
  itemId: string
  reaction: Reaction
  createdAt: string
}

export interface ConversationSource {
  resident: SourceResident
  relations: SourceRelation[]
  events: SourceEvent[]
  stories: SourceStory[]
  favourites: SourceFavourite[]
  albums: SourceAlbum[]
  photos: SourcePhoto[]
  reactions: SourceReaction[]
}

/** A conversation starter: a template key in the `conversation.starters` messages and its values. */
export interface Starter {
  key: string
  params: Record<string, string | number>
}

/** One thing shown at a time, in very large type. */
export interface ConversationItem {
  /** Unique within a session: kind and id (and the passage for stories). */
  key: string
  kind: ItemKind
  id: string
  title: string
  /** A second line: the relationship, the year and place, "a favourite song". */
  subtitle: string | null
  text: string | null
  photoPath: string | null
  link: string | null
  sensitive: boolean
  /** Music items show their note and link large. */
  music: boolean
  starter: Starter | null
}

export type ThemeId = 'people' | 'grewUp' | 'work' | 'music' | 'mix' | `period:${LifePeriod}` | `album:${string}`

export interface Theme {
  id: ThemeId
  /** Message key of the theme's name, with its values (an album's title). */
  label: Starter
  items: ConversationItem[]
}
