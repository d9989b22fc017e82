import { randomUUID } from 'node:crypto'
import { can, one, type Actor, type World } from './fixtures.ts'
import { describeMatrix, type TableSpec } from './matrix.ts'

// The guestbook is open to everybody with a role, viewers included; only
// staff, leaders, admins and the primary contact remove what others wrote.
const removal = { removed_at: '2026-12-01T12:00:00+00:00' }

/** A greeting on the resident's guestbook by the given user (the fixture's author by default). */
async function post(world: World, authorId = world.authorId) {
  const row = await one(`insert into public.guestbook_posts (resident_id, kind, body, created_by)
    values ($1, 'greeting', 'Hei mamma!', $2) returning id`, [world.residentId, authorId])
  return row!.id as string
}

async function mediaItem(world: World) {
  const id = randomUUID()
  await one(`insert into public.media_items (id, resident_id, storage_path, kind, created_by)
    values ($1, $2, $3, 'image', $4)`, [id, world.residentId, `${world.residentId}/${id}.jpg`, world.authorId])
  return id
}

function userOf(world: World, actor: Actor) {
  return actor === 'anonymous' ? world.authorId : world.users[actor]
}

const posts: TableSpec = {
  table: 'guestbook_posts',
  existingRow: async world => ({ id: await post(world) }),
  async newRow(world) {
    const id = randomUUID()
    return { row: { id, resident_id: world.residentId, kind: 'greeting', body: 'Klem fra oss' }, key: { id } }
  },
  patch: removal,
  allowed: { select: can.read, insert: can.read, update: can.moderate, delete: can.moderate },
}

const comments: TableSpec = {
  table: 'guestbook_comments',
  async existingRow(world) {
    const row = await one(`insert into public.guestbook_comments (post_id, resident_id, body, created_by)
      values ($1, $2, 'Så fint!', $3) returning id`, [await post(world), world.residentId, world.authorId])
    return { id: row!.id }
  },
  async newRow(world) {
    const id = randomUUID()
    const row = { id, post_id: await post(world), resident_id: world.residentId, body: 'Enig!' }
    return { row, key: { id } }
  },
  patch: removal,
  allowed: { select: can.read, insert: can.read, update: can.moderate, delete: can.moderate },
}

const hearts: TableSpec = {
  table: 'guestbook_hearts',
  async existingRow(world) {
    const postId = await post(world)
    await one(`insert into public.guestbook_hearts (post_id, resident_id, created_by) values ($1, $2, $3)`,
      [postId, world.residentId, world.authorId])
    return { post_id: postId, created_by: world.authorId }
  },
  async newRow(world) {
    const postId = await post(world)
    return { row: { post_id: postId, resident_id: world.residentId }, key: { post_id: postId } }
  },
  patch: { created_at: '2020-01-01T00:00:00+00:00' },
  allowed: { select: can.read, insert: can.read, update: can.nobody, delete: can.moderate },
}

const postMedia: TableSpec = {
  table: 'guestbook_post_media',
  async existingRow(world) {
    const key = { post_id: await post(world), media_item_id: await mediaItem(world) }
    await one(`insert into public.guestbook_post_media (post_id, media_item_id, resident_id, created_by)
      values ($1, $2, $3, $4)`, [key.post_id, key.media_item_id, world.residentId, world.authorId])
    return key
  },
  async newRow(world, actor) {
    // Attaching a photo to one's own post.
    const key = { post_id: await post(world, userOf(world, actor)), media_item_id: await mediaItem(world) }
    return { row: { ...key, resident_id: world.residentId }, key }
  },
  patch: { position: 5 },
  allowed: { select: can.read, insert: can.read, update: can.nobody, delete: can.moderate },
}

describeMatrix('guestbook', [posts, comments, hearts, postMedia])
