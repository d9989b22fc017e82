// Conversation mode's data: the resident's life story read once (RLS decides what is
// there), turned into themes by shared/conversation, and what sparked joy before.
import type { SupabaseClient } from '@supabase/supabase-js'
import type { ConversationSource, ItemKind, LifePeriod, Reaction, SourceFavourite } from '#shared/conversation/types'
import { buildThemes } from '#shared/conversation/themes'

interface Rows { data: unknown, error: unknown }
function rows<T>(result: Rows): T[] {
  if (result.error) throw result.error
  return (result.data ?? []) as T[]
}

interface ResidentRow { id: string, display_name: string, preferred_name: string | null, grew_up_in: string | null, introduction: string | null, photo_path: string | null, unit_id: string }
interface RelationRow { id: string, name: string, relationship: string | null, description: string | null, photo_path: string | null, is_key: boolean, sensitive: boolean }
interface EventRow { id: string, title: string, description: string | null, event_year: number | null, place: string | null, life_period: LifePeriod | null, photo_path: string | null, sensitive: boolean }
interface StoryRow { id: string, title: string, body_text: string, life_period: LifePeriod | null, sensitive: boolean }
interface FavouriteRow { id: string, category: string, title: string, description: string | null, music_link: string | null, photo_path: string | null, sensitive: boolean }
interface AlbumRow { id: string, title: string, life_period: LifePeriod | null, sensitive: boolean }
interface PhotoRow { id: string, album_id: string | null, storage_path: string, variants: { display?: string | null } | null, caption: string | null, taken_year: number | null, place: string | null, sensitive: boolean }
interface ReactionRow { item_kind: ItemKind, item_id: string, reaction: Reaction, created_at: string }

export interface ConversationData {
  source: ConversationSource
  unitId: string
}

function favourites(table: SourceFavourite['table'], list: FavouriteRow[]): SourceFavourite[] {
  return list.map(r => ({ id: r.id, table, category: r.category, title: r.title, description: r.description,
    link: r.music_link, photoPath: r.photo_path, sensitive: r.sensitive }))
}

/** Reads everything a conversation may show about one resident; `null` when the person may not see them. */
export async function fetchConversationData(supabase: SupabaseClient, residentId: string): Promise<ConversationData | null> {
  const { data: resident, error } = await supabase.from('residents')
    .select('id, display_name, preferred_name, grew_up_in, introduction, photo_path, unit_id').eq('id', residentId).maybeSingle()
  if (error) throw error
  if (!resident) return null
  const r = resident as ResidentRow
  const byResident = (table: string, columns: string) => supabase.from(table).select(columns)
    .eq('resident_id', residentId).eq('hidden', false)
  const [relations, events, stories, interests, wishes, albums, photos, reactions] = await Promise.all([
    byResident('relations', 'id, name, relationship, description, photo_path, is_key, sensitive').order('position'),
    byResident('life_events', 'id, title, description, event_year, place, life_period, photo_path, sensitive')
      .order('event_year', { nullsFirst: false }).order('position'),
    byResident('stories', 'id, title, body_text, life_period, sensitive').order('position'),
    byResident('interests', 'id, category, title, description, music_link, photo_path, sensitive').order('position'),
    byResident('everyday_wishes', 'id, category, title, description, music_link, photo_path, sensitive').order('position'),
    byResident('albums', 'id, title, life_period, sensitive').order('position'),
    byResident('media_items', 'id, album_id, storage_path, variants, caption, taken_year, place, sensitive')
      .eq('kind', 'image').order('taken_year', { nullsFirst: false }).order('created_at'),
    supabase.from('conversation_reactions').select('item_kind, item_id, reaction, created_at')
      .eq('resident_id', residentId).order('created_at', { ascending: false }).limit(500),
  ])
  const source: ConversationSource = {
    resident: { id: r.id, name: r.display_name, preferredName: r.preferred_name, grewUpIn: r.grew_up_in,
      introduction: r.introduction, photoPath: r.photo_path },
    relations: rows<RelationRow>(relations).map(x => ({ id: x.id, name: x.name, relationship: x.relationship,
      description: x.description, photoPath: x.photo_path, isKey: x.is_key, sensitive: x.sensitive })),
    events: rows<EventRow>(events).map(x => ({ id: x.id, title: x.title, description: x.description, year: x.event_year,
      place: x.place, lifePeriod: x.life_period, photoPath: x.photo_path, sensitive: x.sensitive })),
    stories: rows<StoryRow>(stories).map(x => ({ id: x.id, title: x.title, text: x.body_text, lifePeriod: x.life_period,
      sensitive: x.sensitive })),
    favourites: [...favourites('interest', rows<FavouriteRow>(interests)), ...favourites('everyday_wish', rows<FavouriteRow>(wishes))],
    albums: rows<AlbumRow>(albums).map(x => ({ id: x.id, title: x.title, lifePeriod: x.life_period, sensitive: x.sensitive })),
    photos: rows<PhotoRow>(photos).map(x => ({ id: x.id, albumId: x.album_id, path: x.variants?.display || x.storage_path,
      caption: x.caption, year: x.taken_year, place: x.place, sensitive: x.sensitive })),
    reactions: rows<ReactionRow>(reactions).map(x => ({ itemKind: x.item_kind, itemId: x.item_id, reaction: x.reaction,
      createdAt: x.created_at })),
  }
  // A sensitive album makes its photos sensitive too.
  const tenderAlbums = new Set(source.albums.filter(a => a.sensitive).map(a => a.id))
  for (const photo of source.photos) if (photo.albumId && tenderAlbums.has(photo.albumId)) photo.sensitive = true
  return { source, unitId: r.unit_id }
}

/** The resident's conversation content and themes, loaded in the browser (photos are preloaded there). */
export function useConversation(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const result = useAsyncData(`conversation-${toValue(residentId)}`,
    () => fetchConversationData(supabase, toValue(residentId)), { server: false, watch: [() => toValue(residentId)] })
  const themes = computed(() => result.data.value ? buildThemes(result.data.value.source) : [])
  return { ...result, themes }
}

/** Whether the signed-in person holds conversations as staff here: marks what sparked joy, may include sensitive items. */
export function useConversationStaff(unitId: MaybeRefOrGetter<string | null>) {
  const access = useAccessStore()
  // Explore mode hands the tablet to whoever holds it: no joy taps (a write) and no choice
  // to include sensitive items, whatever the role, as for every other staff control.
  const exploring = useExploreMode()
  // Staff of the unit and org admins: the roles the database lets mark reactions.
  return computed(() => !exploring.value
    && (access.access.units.some(u => u.id === toValue(unitId)) || access.access.organisations.length > 0))
}
