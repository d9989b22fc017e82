// The album pages' reads and writes, through supabase-js as the signed-in person:
// RLS and the triggers decide what is allowed; these only shape rows.
import type { SupabaseClient } from '@supabase/supabase-js'
import { fetchPeopleNames } from '~/utils/access'
import type { Album, AlbumMedia, AlbumOrder, MediaPerson } from './types'

/** The columns of media_items the pages show. */
export const mediaColumns = 'id, kind, storage_path, variants, width, height, caption, taken_year, taken_period, place, '
  + 'file_name, album_id, created_by, created_at, shows_living_people, consent_confirmed_by, consent_confirmed_at'

type MediaRow = Record<string, unknown> & { variants: AlbumMedia['variants'] | null }

/** A media_items row as the pages use it. */
export function mediaFromRow(r: MediaRow): AlbumMedia {
  const text = (key: string) => (r[key] as string | null) ?? null
  return {
    id: r.id as string, kind: r.kind as AlbumMedia['kind'], storagePath: r.storage_path as string,
    variants: r.variants ?? {}, width: r.width as number | null, height: r.height as number | null,
    caption: text('caption'), takenYear: r.taken_year as number | null, takenPeriod: text('taken_period'),
    place: text('place'), fileName: text('file_name'), albumId: text('album_id'), createdBy: text('created_by'),
    createdAt: r.created_at as string, showsLivingPeople: Boolean(r.shows_living_people),
    consentConfirmedBy: text('consent_confirmed_by'), consentConfirmedAt: text('consent_confirmed_at'),
  }
}

/** Which page of photos to read. */
export interface MediaPageOptions {
  residentId: string
  albumId?: string | null
  order: AlbumOrder
  from: number
  size: number
}

/** One page of a resident's photos (or one album's), in the chosen order. */
export async function fetchMediaPage(supabase: SupabaseClient, options: MediaPageOptions) {
  // Album uploads only (the guestbook's photos live under "<resident>/guestbook/").
  let query = supabase.from('media_items').select(mediaColumns)
    .eq('resident_id', options.residentId).like('storage_path', '%/media/%')
  if (options.albumId) query = query.eq('album_id', options.albumId)
  if (options.order === 'album') query = query.order('album_id', { ascending: true, nullsFirst: false })
  query = options.order === 'newest'
    ? query.order('created_at', { ascending: false })
    : query.order('taken_year', { ascending: true, nullsFirst: false }).order('created_at', { ascending: true })
  const { data, error } = await query.order('id').range(options.from, options.from + options.size - 1)
  if (error) throw error
  return (data as MediaRow[]).map(mediaFromRow)
}

function albumFromRow(r: Record<string, unknown>): Album {
  return {
    id: r.id as string, title: r.title as string, description: (r.description as string | null) ?? null,
    lifePeriod: (r.life_period as string | null) ?? null, coverMediaId: (r.cover_media_id as string | null) ?? null,
    createdBy: (r.created_by as string | null) ?? null,
  }
}

const albumColumns = 'id, title, description, life_period, cover_media_id, created_by'

/** The resident's albums in their order, each with its cover's thumbnail path (if any). */
export async function fetchAlbums(supabase: SupabaseClient, residentId: string) {
  const { data, error } = await supabase.from('albums').select(albumColumns)
    .eq('resident_id', residentId).order('position').order('created_at')
  if (error) throw error
  const albums = (data as Record<string, unknown>[]).map(albumFromRow)
  const coverIds = albums.map(a => a.coverMediaId).filter((id): id is string => Boolean(id))
  const covers = new Map<string, string | null>()
  if (coverIds.length) {
    const found = await supabase.from('media_items').select('id, variants, deleted_at').in('id', coverIds)
    if (found.error) throw found.error
    for (const row of found.data ?? []) {
      if (!row.deleted_at) covers.set(row.id as string, (row.variants as AlbumMedia['variants'])?.thumbnail ?? null)
    }
  }
  return albums.map(a => ({ ...a, coverPath: a.coverMediaId ? covers.get(a.coverMediaId) ?? null : null }))
}

/** One album, or null when it does not exist or is not visible. */
export async function fetchAlbum(supabase: SupabaseClient, albumId: string) {
  const { data, error } = await supabase.from('albums').select(albumColumns).eq('id', albumId).maybeSingle()
  if (error) throw error
  return data ? albumFromRow(data) : null
}

/** What the album form edits. */
export interface AlbumFields { title: string, description: string | null, lifePeriod: string | null }

/**
 * Creates an album (when `albumId` is null) or saves its title, description and life period.
 * `healthConfirmed`: the person saw the health-information warning and kept the text.
 */
export async function saveAlbum(supabase: SupabaseClient, residentId: string, albumId: string | null,
  fields: AlbumFields, healthConfirmed = false) {
  const row = { title: fields.title, description: fields.description, life_period: fields.lifePeriod }
  const query = albumId
    ? supabase.from('albums').update(row).eq('id', albumId)
    : supabase.from('albums').insert({ ...row, resident_id: residentId })
  const { data, error } = await query.setHeader('x-health-confirmed', String(healthConfirmed)).select('id').single()
  if (error) throw error
  return data.id as string
}

/** Makes a photo the album's cover. */
export async function setCover(supabase: SupabaseClient, albumId: string, mediaId: string) {
  const { error } = await supabase.from('albums').update({ cover_media_id: mediaId }).eq('id', albumId)
  if (error) throw error
}

/** Everyone who can be picked as shown in a photo: the resident's relations, then its members. */
export async function fetchPeopleChoices(supabase: SupabaseClient, residentId: string): Promise<MediaPerson[]> {
  const [relations, members] = await Promise.all([
    supabase.from('relations').select('id, name, relationship, is_living').eq('resident_id', residentId).order('position'),
    supabase.from('resident_members').select('user_id').eq('resident_id', residentId),
  ])
  if (relations.error) throw relations.error
  if (members.error) throw members.error
  const fromRelations = (relations.data ?? []).map(r => ({
    relationId: r.id as string, personId: null, living: r.is_living !== false,
    name: r.relationship ? `${r.name} (${r.relationship})` : r.name as string,
  }))
  const names = await fetchPeopleNames(supabase, (members.data ?? []).map(m => m.user_id as string))
  const fromMembers = [...names].map(([id, name]) => ({ relationId: null, personId: id, name, living: true }))
  return [...fromRelations, ...fromMembers]
}

/** Who is shown in one photo. */
export async function fetchMediaPeople(supabase: SupabaseClient, mediaId: string): Promise<MediaPerson[]> {
  const { data, error } = await supabase.from('media_people')
    .select('relation_id, person_id, name, relation:relations(is_living)').eq('media_item_id', mediaId).order('created_at')
  if (error) throw error
  return (data as unknown as { relation_id: string | null, person_id: string | null, name: string | null, relation: { is_living: boolean | null } | null }[])
    .map(r => ({ relationId: r.relation_id, personId: r.person_id, name: r.name ?? '', living: r.relation?.is_living !== false }))
}

/** What the details form edits about one photo. */
export interface MediaDetails {
  caption: string | null
  takenYear: number | null
  takenPeriod: string | null
  place: string | null
  albumId: string | null
  showsLivingPeople: boolean
  /** Ticked now: the database records the caller as the one who confirmed, and when. */
  consentConfirmed: boolean
  people: MediaPerson[]
}

const samePerson = (a: MediaPerson, b: MediaPerson) =>
  a.relationId === b.relationId && a.personId === b.personId && a.name === b.name

/** Saves a photo's details and who is in it; consent is stamped by the database trigger. */
export async function saveMediaDetails(supabase: SupabaseClient, residentId: string, item: AlbumMedia,
  details: MediaDetails, before: MediaPerson[], healthConfirmed = false) {
  const row: Record<string, unknown> = {
    caption: details.caption, taken_year: details.takenYear, taken_period: details.takenPeriod,
    place: details.place, album_id: details.albumId, shows_living_people: details.showsLivingPeople,
  }
  // A new confirmation only; sending the old time again would not change who confirmed.
  if (details.showsLivingPeople && details.consentConfirmed) row.consent_confirmed_at = new Date().toISOString()
  const { data, error } = await supabase.from('media_items').update(row).eq('id', item.id)
    .setHeader('x-health-confirmed', String(healthConfirmed)).select(mediaColumns).single()
  if (error) throw error

  const removed = before.filter(p => !details.people.some(q => samePerson(p, q)))
  const added = details.people.filter(p => !before.some(q => samePerson(p, q)))
  for (const person of removed) {
    let query = supabase.from('media_people').delete().eq('media_item_id', item.id).eq('name', person.name)
    query = person.relationId ? query.eq('relation_id', person.relationId) : query.is('relation_id', null)
    query = person.personId ? query.eq('person_id', person.personId) : query.is('person_id', null)
    const result = await query
    if (result.error) throw result.error
  }
  if (added.length) {
    const { error: addError } = await supabase.from('media_people').insert(added.map(p => ({
      resident_id: residentId, media_item_id: item.id, relation_id: p.relationId, person_id: p.personId, name: p.name,
    })))
    if (addError) throw addError
  }
  return mediaFromRow(data as MediaRow)
}
