// A life story for conversation-mode browser tests: people, events, a story, music,
// an album with real photos in the local stack's storage, and a sensitive relation.
import { randomUUID } from 'node:crypto'
import sharp from 'sharp'
import { sql, type Person } from '../browser/fixtures'
import { adminClient } from '../browser/support'

export interface Profile {
  albumId: string
  photoIds: string[]
  relationIds: { per: string, kari: string, olav: string }
  musicId: string
}

/** A small JPEG of one colour, as a phone photo would be once resized. */
async function photo(colour: { r: number, g: number, b: number }) {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: colour } }).jpeg().toBuffer()
}

/** Uploads a photo to the media bucket and records it as an album item. */
async function addPhoto(residentId: string, albumId: string, author: Person, caption: string, colour: { r: number, g: number, b: number }) {
  const id = randomUUID()
  const path = `${residentId}/media/${id}.jpg`
  const { error } = await adminClient().storage.from('media').upload(path, await photo(colour), { contentType: 'image/jpeg' })
  if (error) throw error
  await sql(`insert into public.media_items (id, resident_id, album_id, storage_path, kind, mime_type, caption, taken_year, place, created_by)
    values ($1, $2, $3, $4, 'image', 'image/jpeg', $5, 1952, 'Henningsvær', $6)`, [id, residentId, albumId, path, caption, author.id])
  return id
}

/** Fills a resident's life story with something for every theme. */
export async function fillProfile(residentId: string, author: Person): Promise<Profile> {
  await sql(`update public.residents set grew_up_in = 'Lofoten' where id = $1`, [residentId])
  const relation = async (name: string, relationship: string | null, isKey: boolean, sensitive: boolean, description: string) =>
    (await sql<{ id: string }>(`insert into public.relations (resident_id, name, relationship, description, is_key, sensitive, created_by)
      values ($1, $2, $3, $4, $5, $6, $7) returning id`, [residentId, name, relationship, description, isKey, sensitive, author.id]))[0]!.id
  const kari = await relation('Kari', 'datter', true, false, 'Kommer på besøk hver søndag.')
  const per = await relation('Per', 'sønn', false, false, 'Bor i Bodø og ringer ofte.')
  const olav = await relation('Olav', 'bror', false, true, 'Døde ung på havet.')
  await sql(`insert into public.life_events (resident_id, title, description, event_year, place, life_period, created_by) values
    ($1, 'Første skoledag', null, 1948, 'Svolvær', 'childhood', $2),
    ($1, 'Begynte som lærer', 'På folkeskolen i Kabelvåg.', 1962, null, 'adult_life', $2)`, [residentId, author.id])
  await sql(`insert into public.stories (resident_id, title, body_text, life_period, created_by) values
    ($1, 'Vintrene i nord', 'Vi gikk på ski til skolen. Mørketida var lang, men nordlyset var fint.', 'childhood', $2)`,
  [residentId, author.id])
  const [music] = await sql<{ id: string }>(`insert into public.interests (resident_id, category, title, description, music_link, created_by)
    values ($1, 'music', 'Alf Prøysen', 'Vårherres klinkekule', 'https://example.org/proysen', $2) returning id`, [residentId, author.id])
  const [album] = await sql<{ id: string }>(`insert into public.albums (resident_id, title, life_period, created_by)
    values ($1, 'Sommer i Lofoten', 'childhood', $2) returning id`, [residentId, author.id])
  const photoIds = [
    await addPhoto(residentId, album!.id, author, 'Bading i fjæra', { r: 40, g: 110, b: 170 }),
    await addPhoto(residentId, album!.id, author, 'Slåttonna', { r: 200, g: 170, b: 60 }),
  ]
  return { albumId: album!.id, photoIds, relationIds: { per, kari, olav }, musicId: music!.id }
}
