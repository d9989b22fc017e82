// The feed's reads and bookkeeping on the real stack: keyset pages stay stable while
// posts arrive, catch-up finds exactly what was missed, and live changes merge
// without duplicates.
import { beforeAll, describe, expect, it } from 'vitest'
import {
  comparePosts, fetchGuestbookNewer, fetchGuestbookPage, fetchGuestbookPosts, mergePosts, timeKey,
} from '../../app/composables/useGuestbookQueries.ts'
import { applyGuestbookChange, type FeedState } from '../../app/composables/useGuestbookLive.ts'
import { createWorld, db, type World } from '../access/fixtures.ts'

let world: World

beforeAll(async () => {
  world = await createWorld('Feed')
  // 45 posts, three of them sharing one timestamp, so the keyset's tie-break on id is exercised.
  await db(`insert into public.guestbook_posts (resident_id, body, created_by, created_at)
    select $1, 'Hilsen ' || n, $2, timestamptz '2026-11-01 12:00+01' + make_interval(mins => case when n <= 3 then 0 else n end)
    from generate_series(1, 45) as n`, [world.residentId, world.authorId])
})

describe('keyset paging', () => {
  it('pages through every post once, newest first, while new posts arrive', async () => {
    const relative = await world.client('relative')
    const first = await fetchGuestbookPage(relative, [world.residentId])
    expect(first).toHaveLength(20)
    expect(first[0]!.body).toBe('Hilsen 45')

    await db(`insert into public.guestbook_posts (resident_id, body, created_by) values ($1, 'Midt i lesingen', $2)`,
      [world.residentId, world.authorId])
    const second = await fetchGuestbookPage(relative, [world.residentId], first.at(-1))
    const third = await fetchGuestbookPage(relative, [world.residentId], second.at(-1))
    const all = [...first, ...second, ...third]
    expect(all.map(p => p.body)).not.toContain('Midt i lesingen')
    expect(new Set(all.map(p => p.id)).size).toBe(45)
    expect([...all].sort(comparePosts).map(p => p.id)).toEqual(all.map(p => p.id))
    expect(third).toHaveLength(5)
  })

  it('catches up with exactly the posts newer than the newest seen', async () => {
    const relative = await world.client('relative')
    const [newest] = await fetchGuestbookPage(relative, [world.residentId], undefined, 1)
    await db(`insert into public.guestbook_posts (resident_id, body, created_by) values
      ($1, 'Mens skjermen sov 1', $2), ($1, 'Mens skjermen sov 2', $2)`, [world.residentId, world.authorId])
    const newer = await fetchGuestbookNewer(relative, [world.residentId], newest!)
    expect(newer.map(p => p.body).sort()).toEqual(['Mens skjermen sov 1', 'Mens skjermen sov 2'])
    expect(await fetchGuestbookNewer(relative, [world.residentId], newer[0]!)).toEqual([])
  })

  it('shows a stranger nothing, even by id', async () => {
    const outsider = await world.client('otherRelative')
    const [post] = await fetchGuestbookPage(await world.client('staff'), [world.residentId], undefined, 1)
    expect(await fetchGuestbookPage(outsider, [world.residentId])).toEqual([])
    expect(await fetchGuestbookPosts(outsider, [post!.id])).toEqual([])
  })
})

describe('merging live changes', () => {
  const row = (id: string, createdAt: string, body = 'x') => ({
    id, resident_id: 'r', kind: 'greeting', body, created_by: 'a', created_at: createdAt,
    edited_at: null, removed_at: null, removed_by: null })

  it('orders by microseconds whatever the time zone Postgres wrote', () => {
    expect(timeKey('2026-12-04T17:00:00.000001+01:00')).toBe(timeKey('2026-12-04T16:00:00.000001+00:00'))
    expect(timeKey('2026-12-04T16:00:00.4+00:00')).toBeGreaterThan(timeKey('2026-12-04T16:00:00.39999+00:00'))
  })

  it.each([
    ['a new post at the top', false, ['b', 'a'], []],
    ['a new post behind the banner while reading', true, ['a'], ['b']],
  ])('puts %s, and never twice', (_, holdNew, shown, pending) => {
    const state: FeedState = { posts: mergePosts([], [row('a', '2026-12-04T10:00:00+00:00')].map(r => ({
      id: r.id, residentId: 'r', kind: 'greeting' as const, body: r.body, createdBy: 'a', createdAt: r.created_at,
      editedAt: null, removedAt: null, removedBy: null, comments: [], hearts: [], attachments: [] }))), pending: [] }
    const change = { event: 'post' as const, operation: 'INSERT' as const,
      record: row('b', '2026-12-04T11:00:00+00:00'), oldRecord: null }
    applyGuestbookChange(state, change, holdNew)
    applyGuestbookChange(state, change, holdNew)
    expect(state.posts.map(p => p.id)).toEqual(shown)
    expect(state.pending.map(p => p.id)).toEqual(pending)
  })

  it('keeps comments and hearts when the post itself is edited, and drops a deleted post', () => {
    const state: FeedState = { posts: [], pending: [] }
    applyGuestbookChange(state, { event: 'post', operation: 'INSERT', record: row('p', '2026-12-04T10:00:00Z'),
      oldRecord: null }, false)
    applyGuestbookChange(state, { event: 'heart', operation: 'INSERT', record: { post_id: 'p', created_by: 'k' },
      oldRecord: null }, false)
    applyGuestbookChange(state, { event: 'comment', operation: 'INSERT', oldRecord: null, record: {
      id: 'c', post_id: 'p', body: 'Fint!', created_by: 'k', created_at: '2026-12-04T10:05:00Z' } }, false)
    applyGuestbookChange(state, { event: 'post', operation: 'UPDATE',
      record: { ...row('p', '2026-12-04T10:00:00Z', 'Rettet'), edited_at: '2026-12-04T10:06:00Z' },
      oldRecord: null }, false)
    expect(state.posts[0]).toMatchObject({ body: 'Rettet', hearts: ['k'], comments: [{ id: 'c', body: 'Fint!' }] })
    applyGuestbookChange(state, { event: 'post', operation: 'DELETE', record: null,
      oldRecord: row('p', '2026-12-04T10:00:00Z') }, false)
    expect(state.posts).toEqual([])
  })
})
