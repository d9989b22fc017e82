// Helpers for the privacy tests: photos stored for real (objects through the
// Storage API with the server's key, as the upload route stores them; rows as
// the database would hold them, naming the uploader), and a
// look at what is left on disk and in every table.
import { randomUUID } from 'node:crypto'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import sharp from 'sharp'
import { inject } from 'vitest'
import { db, serverClient, type World } from '../access/fixtures'

export type Member = Exclude<Parameters<World['client']>[0], 'anonymous'>

/** A small real JPEG of one colour. */
export function jpeg(colour = '#c8553d') {
  return sharp({ create: { width: 24, height: 16, channels: 3, background: colour } }).jpeg().toBuffer()
}

export interface StoredPhoto { id: string, original: string, display: string, thumbnail: string }

export interface PhotoOptions {
  caption?: string
  albumId?: string
  residentId?: string
  fileName?: string
  tagged?: string[]
  livingPeople?: boolean
}

/** A photo as an upload leaves it: original, display and thumbnail files, and its media_items row. */
export async function addPhoto(world: World, by: Member, options: PhotoOptions = {}): Promise<StoredPhoto> {
  const residentId = options.residentId ?? world.residentId
  const id = randomUUID()
  const folder = `${residentId}/media/${id}`
  const photo = { id, original: `${folder}/original.jpg`, display: `${folder}/display.jpg`, thumbnail: `${folder}/thumbnail.jpg` }
  const storage = serverClient().storage.from('media')
  for (const path of [photo.original, photo.display, photo.thumbnail]) {
    const { error } = await storage.upload(path, await jpeg(), { contentType: 'image/jpeg' })
    if (error) throw new Error(`upload ${path}: ${error.message}`)
  }
  await db(`insert into public.media_items (id, resident_id, album_id, storage_path, kind, mime_type, width, height,
      variants, caption, file_name, shows_living_people, consent_confirmed_by, consent_confirmed_at, created_by)
    values ($1, $2, $3, $4, 'image', 'image/jpeg', 24, 16, $5, $6, $7, $8, $9, case when $8 then now() end, $9)`,
  [id, residentId, options.albumId ?? null, photo.original, { display: photo.display, thumbnail: photo.thumbnail },
    options.caption ?? null, options.fileName ?? 'bilde.jpg', options.livingPeople ?? false, world.users[by]])
  for (const person of options.tagged ?? []) {
    await db(`insert into public.media_people (resident_id, media_item_id, person_id, created_by) values ($1, $2, $3, $4)`,
      [residentId, id, person, world.users[by]])
  }
  return photo
}

/** How many objects of the bucket "media" start with this prefix (rows in storage.objects). */
export async function objectCount(prefix: string) {
  const row = await db<{ n: string }>(`select count(*) as n from storage.objects where bucket_id = 'media' and name like $1`,
    [`${prefix}%`])
  return Number(row.rows[0]!.n)
}

/** Files the local stack keeps on disk under the bucket's folder and this prefix. */
export function filesOnDisk(prefix: string): string[] {
  const root = join(inject('stack').dataDir, 'storage', 'media', prefix)
  if (!existsSync(root)) return []
  return readdirSync(root, { recursive: true, withFileTypes: true }).filter(e => e.isFile()).map(e => e.name)
}

/** Every table in any schema with a resident_id column, and how many of its rows name this resident. */
export async function rowsNaming(residentId: string) {
  const tables = await db<{ schema: string, table: string }>(`
    select c.table_schema as schema, c.table_name as table from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name
    where c.column_name = 'resident_id' and c.data_type = 'uuid' and t.table_type = 'BASE TABLE'
      and c.table_schema not in ('pg_catalog', 'information_schema')`)
  const counts: Record<string, number> = {}
  for (const { schema, table } of tables.rows) {
    const row = await db<{ n: string }>(`select count(*) as n from "${schema}"."${table}" where resident_id = $1`, [residentId])
    counts[`${schema}.${table}`] = Number(row.rows[0]!.n)
  }
  return counts
}
