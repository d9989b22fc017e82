import { randomUUID } from 'node:crypto'
import { can, one, type Actor, type World } from './fixtures.ts'
import { describeMatrix, type TableSpec } from './matrix.ts'

// Life-story content: everybody with a role reads it, all but the viewer add
// to it, and only staff, leaders, admins and the primary contact change or
// delete what someone else added (the resident may only hide it).
const allowed = {
  select: can.read,
  insert: can.contribute,
  update: can.moderate,
  delete: can.moderate,
}

/** A media item of the resident, written by the fixture's author. */
async function mediaItem(world: World) {
  const id = randomUUID()
  await one(`insert into public.media_items (id, resident_id, storage_path, kind, created_by)
    values ($1, $2, $3, 'image', $4)`, [id, world.residentId, `${world.residentId}/${id}.jpg`, world.authorId])
  return id
}

/** A table whose rows need only a title-like text column besides the resident. */
function simpleSpec(table: string, column: string): TableSpec {
  return {
    table,
    async existingRow(world) {
      const row = await one(`insert into public.${table} (resident_id, ${column}, created_by)
        values ($1, 'Fra før', $2) returning id`, [world.residentId, world.authorId])
      return { id: row!.id }
    },
    async newRow(world) {
      const id = randomUUID()
      return { row: { id, resident_id: world.residentId, [column]: 'Nytt' }, key: { id } }
    },
    patch: { [column]: 'Endret' },
    allowed,
  }
}

const mediaItemsSpec: TableSpec = {
  table: 'media_items',
  existingRow: async world => ({ id: await mediaItem(world) }),
  async newRow(world: World, _actor: Actor) {
    const id = randomUUID()
    const row = { id, resident_id: world.residentId, storage_path: `${world.residentId}/${id}.jpg`, kind: 'image' }
    return { row, key: { id } }
  },
  patch: { caption: 'Endret bildetekst' },
  allowed,
}

const mediaPeopleSpec: TableSpec = {
  table: 'media_people',
  async existingRow(world) {
    const row = await one(`insert into public.media_people (resident_id, media_item_id, name, created_by)
      values ($1, $2, 'Per', $3) returning id`, [world.residentId, await mediaItem(world), world.authorId])
    return { id: row!.id }
  },
  async newRow(world) {
    const id = randomUUID()
    const row = { id, resident_id: world.residentId, media_item_id: await mediaItem(world), name: 'Kari' }
    return { row, key: { id } }
  },
  patch: { name: 'Pål' },
  allowed,
}

describeMatrix('life story', [
  simpleSpec('relations', 'name'),
  simpleSpec('life_events', 'title'),
  simpleSpec('stories', 'title'),
  simpleSpec('interests', 'title'),
  simpleSpec('everyday_wishes', 'title'),
  simpleSpec('albums', 'title'),
  mediaItemsSpec,
  mediaPeopleSpec,
])
