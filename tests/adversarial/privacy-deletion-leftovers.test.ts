// Looking for what a deletion leaves behind outside the tables that carry a
// resident_id (tests/privacy/deletion.test.ts counts those): the text of a
// removed guestbook post or comment is moved aside to private.guestbook_removed_texts
// (so a removal can be undone), a table keyed only by the row's id.
import { beforeAll, describe, expect, it } from 'vitest'
import { deleteWholeProfile } from '../../server/utils/privacy/deletion'
import { createWorld, db, one, serverClient, type World } from '../access/fixtures'

let world: World

beforeAll(async () => {
  world = await createWorld('Rester etter sletting')
})

/** A greeting and a comment on it that staff then remove, as moderators do. */
async function removedGreeting(text: string) {
  const relative = await world.client('relative')
  const post = await relative.from('guestbook_posts').insert({ resident_id: world.residentId, body: text,
    created_by: world.users.relative }).select('id').single()
  expect(post.error).toBeNull()
  const comment = await relative.from('guestbook_comments').insert({ post_id: post.data!.id, resident_id: world.residentId,
    body: `${text} (kommentar)`, created_by: world.users.relative }).select('id').single()
  expect(comment.error).toBeNull()
  const staff = await world.client('staff')
  const now = new Date().toISOString()
  expect((await staff.from('guestbook_comments').update({ removed_at: now }).eq('id', comment.data!.id)).error).toBeNull()
  expect((await staff.from('guestbook_posts').update({ removed_at: now }).eq('id', post.data!.id)).error).toBeNull()
  return { postId: post.data!.id as string, commentId: comment.data!.id as string }
}

async function stashedTexts(ids: string[]) {
  const rows = await db<{ body: string }>(`select body from private.guestbook_removed_texts where row_id = any($1::uuid[])`, [ids])
  return rows.rows.map(r => r.body)
}

describe('removed guestbook texts', () => {
  it('are kept aside while the post exists, so a removal can be undone', async () => {
    const { postId, commentId } = await removedGreeting('Hun var så sint i dag')
    expect((await stashedTexts([postId, commentId])).length).toBe(2)
    const visible = await one<{ body: string }>(`select body from public.guestbook_posts where id = $1`, [postId])
    expect(visible!.body).toBe('')
  })

  // Fixed in 20261205150300: an after-delete trigger on posts and comments deletes their
  // stashed text, also when a profile deletion removes them by cascade.
  it('are gone once the whole profile is deleted', async () => {
    const { postId, commentId } = await removedGreeting('Pappa ble flyttet i natt')
    await deleteWholeProfile(await world.client('orgAdmin'), serverClient(), world.residentId)
    expect(await one('select id from public.residents where id = $1', [world.residentId])).toBeUndefined()
    expect(await stashedTexts([postId, commentId])).toEqual([])
  })
})
