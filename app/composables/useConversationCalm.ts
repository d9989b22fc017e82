// The calm set: a few photos, a favourite song and a relative's greeting, for evening
// or night unrest. Chosen by staff or the primary contact; if nothing is chosen, the
// photos that brought joy, the first song and the newest greeting are used.
//
// It must open on the ward tablet without a network. Signed photo URLs run out
// after an hour, so the photos themselves are kept (Cache API, as blobs under a
// same-origin key) and the words in localStorage, per resident, on this device only.
import type { SupabaseClient } from '@supabase/supabase-js'
import { joyRanks } from '#shared/conversation/themes'

export interface CalmPhoto { id: string, caption: string | null }
export interface CalmSet {
  residentName: string
  photos: CalmPhoto[]
  song: { title: string, note: string | null, link: string | null } | null
  greeting: { body: string, author: string | null } | null
  /** True when staff chose the items; false when they were picked automatically. */
  chosen: boolean
  savedAt: string
}

const cacheName = 'minnespor-calm-v1'
const storageKey = (residentId: string) => `minnespor-calm:${residentId}`
/** The same-origin key a calm photo is kept under; the service worker never sends it to the network. */
export const calmPhotoKey = (residentId: string, mediaId: string) => `/offline/calm/${residentId}/${mediaId}`

interface CalmRow { item_kind: string, item_id: string, position: number }
interface PhotoRow { id: string, storage_path: string, variants: { display?: string | null } | null, caption: string | null }
interface FavouriteRow { id: string, title: string, description: string | null, music_link: string | null, category: string }
interface PostRow { id: string, body: string, created_by: string | null, kind: string }
interface ReactionRow { item_kind: 'media_item', item_id: string, reaction: 'good' | 'neutral' | 'not_now', created_at: string }

function check<T>(result: { data: unknown, error: unknown }): T[] {
  if (result.error) throw result.error
  return (result.data ?? []) as T[]
}

/** Reads the calm set from the database and fetches its photos as blobs. */
async function fetchCalmSet(supabase: SupabaseClient, residentId: string) {
  const { data: resident, error } = await supabase.from('residents').select('display_name, preferred_name').eq('id', residentId).maybeSingle()
  if (error) throw error
  if (!resident) return null
  const chosenRows = check<CalmRow>(await supabase.from('conversation_calm_items').select('item_kind, item_id, position')
    .eq('resident_id', residentId).order('position'))
  const ids = (kind: string) => chosenRows.filter(row => row.item_kind === kind).map(row => row.item_id)
  const chosen = chosenRows.length > 0

  const [photos, favourites, wishes, posts, reactions] = await Promise.all([
    supabase.from('media_items').select('id, storage_path, variants, caption').eq('resident_id', residentId)
      .eq('kind', 'image').eq('hidden', false).eq('sensitive', false).limit(60),
    supabase.from('interests').select('id, title, description, music_link, category').eq('resident_id', residentId)
      .eq('hidden', false).eq('category', 'music').order('position'),
    supabase.from('everyday_wishes').select('id, title, description, music_link, category').eq('resident_id', residentId)
      .eq('hidden', false).in('category', ['music', 'calming']).order('position'),
    supabase.from('guestbook_posts').select('id, body, created_by, kind').eq('resident_id', residentId)
      .eq('kind', 'greeting').is('removed_at', null).order('created_at', { ascending: false }).limit(30),
    supabase.from('conversation_reactions').select('item_kind, item_id, reaction, created_at').eq('resident_id', residentId)
      .eq('item_kind', 'media_item'),
  ])
  const photoRows = check<PhotoRow>(photos)
  const songs = [...check<FavouriteRow>(favourites), ...check<FavouriteRow>(wishes)]
  const postRows = check<PostRow>(posts)

  let pickedPhotos: PhotoRow[]
  if (chosen) pickedPhotos = ids('media_item').flatMap(id => photoRows.filter(p => p.id === id))
  else {
    const { ranks } = joyRanks(check<ReactionRow>(reactions).map(r => ({ itemKind: r.item_kind, itemId: r.item_id, reaction: r.reaction, createdAt: r.created_at })))
    pickedPhotos = [...photoRows].sort((a, b) => (ranks.get(`media_item:${a.id}`) ?? 1) - (ranks.get(`media_item:${b.id}`) ?? 1)).slice(0, 4)
  }
  const chosenSongs = [...ids('interest'), ...ids('everyday_wish')]
  const song = chosen ? songs.find(s => chosenSongs.includes(s.id)) : songs.find(s => s.category === 'music')
  const post = chosen ? postRows.find(p => ids('guestbook_post').includes(p.id)) : postRows[0]
  const authors = await fetchPeopleNames(supabase, [post?.created_by ?? null])

  const set: CalmSet = {
    residentName: resident.preferred_name || resident.display_name,
    photos: pickedPhotos.map(p => ({ id: p.id, caption: p.caption })),
    song: song ? { title: song.title, note: song.description, link: song.music_link } : null,
    greeting: post ? { body: post.body, author: post.created_by ? authors.get(post.created_by) ?? null : null } : null,
    chosen,
    savedAt: new Date().toISOString(),
  }
  const urls = await signedPhotoUrls(supabase, pickedPhotos.map(p => p.variants?.display || p.storage_path))
  const blobs = new Map<string, Blob>()
  await Promise.all(pickedPhotos.map(async (photo) => {
    const url = urls[photo.variants?.display || photo.storage_path]
    if (!url) return
    const response = await fetch(url)
    if (response.ok) blobs.set(photo.id, await response.blob())
  }))
  set.photos = set.photos.filter(p => blobs.has(p.id))
  return { set, blobs }
}

/** Keeps the set on this device: the words in localStorage, the photos in the Cache API. */
async function keep(residentId: string, set: CalmSet, blobs: Map<string, Blob>) {
  localStorage.setItem(storageKey(residentId), JSON.stringify(set))
  if (!('caches' in window)) return
  const cache = await caches.open(cacheName)
  await Promise.all([...blobs].map(([id, blob]) => cache.put(calmPhotoKey(residentId, id),
    new Response(blob, { headers: { 'content-type': blob.type || 'image/jpeg' } }))))
}

/** The set kept on this device, with object URLs for its photos. */
async function kept(residentId: string) {
  const text = localStorage.getItem(storageKey(residentId))
  if (!text) return null
  const set = JSON.parse(text) as CalmSet
  const urls: Record<string, string> = {}
  if ('caches' in window) {
    const cache = await caches.open(cacheName)
    for (const photo of set.photos) {
      const response = await cache.match(calmPhotoKey(residentId, photo.id))
      if (response) urls[photo.id] = URL.createObjectURL(await response.blob())
    }
  }
  return { set: { ...set, photos: set.photos.filter(p => urls[p.id]) }, urls }
}

/** Loads the calm set fresh when it can and keeps it; without a network, shows the kept one. */
export function useConversationCalm(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const set = ref<CalmSet | null>(null)
  const urls = ref<Record<string, string>>({})
  const status = ref<'pending' | 'fresh' | 'offline' | 'none' | 'denied'>('pending')

  async function load() {
    const id = toValue(residentId)
    status.value = 'pending'
    try {
      if (!navigator.onLine) throw new TypeError('offline')
      const fresh = await fetchCalmSet(supabase, id)
      if (!fresh) {
        status.value = 'denied'
        return
      }
      await keep(id, fresh.set, fresh.blobs)
      set.value = fresh.set
      urls.value = Object.fromEntries([...fresh.blobs].map(([key, blob]) => [key, URL.createObjectURL(blob)]))
      status.value = 'fresh'
    }
    catch {
      // No network (or the database could not be reached): what this tablet kept.
      const local = await kept(id)
      set.value = local?.set ?? null
      urls.value = local?.urls ?? {}
      status.value = local ? 'offline' : 'none'
    }
  }

  onMounted(load)
  onBeforeUnmount(() => Object.values(urls.value).forEach(url => URL.revokeObjectURL(url)))
  return { set, urls, status, load }
}

/** Removes every calm set this device keeps: on signing out, nothing of a profile stays behind. */
export async function forgetCalmSets() {
  if (import.meta.server) return
  for (const key of Object.keys(localStorage)) if (key.startsWith('minnespor-calm:')) localStorage.removeItem(key)
  if ('caches' in window) await caches.delete(cacheName)
}
