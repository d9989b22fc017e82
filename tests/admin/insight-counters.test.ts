// The weekly insight counters (20261205125000) stay right: after posts, comments,
// photos, stories and visits are added, removed, deleted and moved, and residents
// move between units, the counters equal a count from scratch, and the insight
// figures equal those of the earlier definition (private.insight_weeks_afresh),
// for periods that start and end mid-week as well as on Mondays.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, db, type World } from '../access/fixtures.ts'

let world: World
const daysAgo = (n: number, hour = 12) => {
  const at = new Date(Date.now() - n * 86_400_000)
  at.setUTCHours(hour, 17, 0, 0)
  return at.toISOString()
}

/** Every counter row of the world's residents, next to the same figures counted from the rows. */
async function countersAndScratch() {
  const residents = [world.residentId, world.otherResidentId]
  const { rows: counters } = await db(`
    select resident_id, week_start::text, user_id, posts::int, removed_posts::int, comments::int, visits::int
    from private.insight_author_weeks where resident_id = any ($1) order by 1, 2, 3`, [residents])
  const { rows: scratch } = await db(`
    select resident_id, week_start::text, user_id, sum(posts)::int as posts, sum(removed_posts)::int as removed_posts,
      sum(comments)::int as comments, sum(visits)::int as visits from (
      select resident_id, private.oslo_week(created_at) as week_start, created_by as user_id,
        (removed_at is null)::int as posts, (removed_at is not null)::int as removed_posts, 0 as comments, 0 as visits
      from public.guestbook_posts where created_by is not null
      union all
      select resident_id, private.oslo_week(created_at), created_by, 0, 0, 1, 0
      from public.guestbook_comments where created_by is not null
      union all
      select resident_id, week_start, user_id, 0, 0, 0, 1 from private.resident_visits
    ) x where resident_id = any ($1) group by 1, 2, 3 order by 1, 2, 3`, [residents])
  const { rows: added } = await db(`
    select resident_id, week_start::text, photos::int, stories::int from private.insight_resident_weeks
    where resident_id = any ($1) order by 1, 2`, [residents])
  const { rows: addedScratch } = await db(`
    select resident_id, week_start::text, sum(photos)::int as photos, sum(stories)::int as stories from (
      select resident_id, private.oslo_week(created_at) as week_start, 1 as photos, 0 as stories
      from public.media_items where kind = 'image'
      union all
      select resident_id, private.oslo_week(created_at), 0, 1 from public.stories
    ) x where resident_id = any ($1) group by 1, 2 order by 1, 2`, [residents])
  return { counters, scratch, added, addedScratch }
}

/** The weekly figures from the counters and from the rows, for both units and the whole organisation. */
async function figuresBothWays(from: string, to: string) {
  const results = []
  for (const units of [[world.unitId], [world.otherUnitId], [world.unitId, world.otherUnitId]]) {
    const { rows: counted } = await db(`select * from private.insight_weeks($1, $2, $3)`, [units, from, to])
    const { rows: afresh } = await db(`select * from private.insight_weeks_afresh($1, $2, $3)`, [units, from, to])
    results.push({ counted, afresh })
  }
  return results
}

async function expectAllAgree() {
  const { counters, scratch, added, addedScratch } = await countersAndScratch()
  expect(counters).toEqual(scratch)
  expect(added).toEqual(addedScratch)
  // A period on Monday boundaries (Oslo), one starting and ending mid-week, and one inside a single week.
  const { rows: [monday] } = await db(`select (private.oslo_week(now() - interval '60 days')::timestamp
    at time zone 'Europe/Oslo')::text as at`)
  const periods: [string, string][] = [
    [monday!.at, new Date(Date.now() + 3_600_000).toISOString()],
    [daysAgo(45, 9), daysAgo(3, 15)],
    [daysAgo(10, 13), daysAgo(9, 11)],
  ]
  for (const [from, to] of periods) {
    for (const { counted, afresh } of await figuresBothWays(from, to)) expect(counted).toEqual(afresh)
  }
  return counters
}

const post = (resident: string, author: string, at: string) => db(`insert into public.guestbook_posts
  (resident_id, body, created_by, created_at) values ($1, 'Hei!', $2, $3) returning id`, [resident, author, at])

beforeAll(async () => {
  world = await createWorld('counters')
})

describe('weekly insight counters', () => {
  it('count inserts of posts, comments, photos, stories and visits', async () => {
    const u = world.users
    for (const [n, who] of [[2, u.relative], [2, u.relative], [9, u.staff], [9, u.primaryContact], [20, u.resident],
      [30, u.leader], [44, u.relative], [50, u.viewer]] as const) {
      await post(world.residentId, who, daysAgo(n))
    }
    await post(world.otherResidentId, u.otherRelative, daysAgo(9))
    await post(world.otherResidentId, u.staff, daysAgo(16, 23))
    const { rows: [first] } = await db(`select id from public.guestbook_posts where resident_id = $1 limit 1`,
      [world.residentId])
    await db(`insert into public.guestbook_comments (post_id, resident_id, body, created_by, created_at)
      values ($1, $2, 'Så fint', $3, $4), ($1, $2, 'Ja!', $5, $6)`,
    [first!.id, world.residentId, u.viewer, daysAgo(2), u.superuser, daysAgo(31)])
    const [r, o] = [world.residentId, world.otherResidentId]
    await db(`insert into public.media_items (resident_id, storage_path, kind, created_at) values
      ($1, $5, 'image', $2), ($1, $6, 'image', $3), ($4, $7, 'image', $3), ($1, $8, 'video', $3)`,
    [r, daysAgo(5), daysAgo(33), o, `${r}/teller/1.jpg`, `${r}/teller/2.jpg`, `${o}/teller/3.jpg`, `${r}/teller/4.mp4`])
    await db(`insert into public.stories (resident_id, title, created_at) values ($1, 'Sommeren på hytta', $2),
      ($3, 'Fisketuren', $4)`, [world.residentId, daysAgo(12), world.otherResidentId, daysAgo(40)])
    await db(`insert into private.resident_visits (resident_id, user_id, week_start, last_seen_at)
      values ($1, $2, private.oslo_week($3), $3), ($1, $4, private.oslo_week($5), $5)`,
    [world.residentId, u.primaryContact, daysAgo(1), u.staff, daysAgo(24)])

    const counters = await expectAllAgree()
    expect(counters.length).toBeGreaterThan(8)
  })

  it('follow removals, deletes, changed authors and posts moved to another week', async () => {
    const { rows } = await db(`select id from public.guestbook_posts where resident_id = $1 order by created_at`,
      [world.residentId])
    await db(`update public.guestbook_posts set removed_at = now() where id = $1`, [rows[0]!.id])
    await db(`delete from public.guestbook_posts where id = $1`, [rows[1]!.id])
    await db(`update public.guestbook_posts set created_at = created_at - interval '8 days' where id = $1`, [rows[2]!.id])
    await db(`delete from public.guestbook_comments where resident_id = $1 and created_by = $2`,
      [world.residentId, world.users.viewer])
    await db(`delete from public.media_items where storage_path like '%/teller/1.jpg'`)
    await db(`update public.media_items set kind = 'image' where storage_path like '%/teller/4.mp4'`)
    await db(`delete from public.stories where title = 'Fisketuren' and resident_id = $1`, [world.otherResidentId])
    await db(`delete from private.resident_visits where resident_id = $1 and user_id = $2`,
      [world.residentId, world.users.staff])
    await expectAllAgree()
  })

  it('a person who is deleted leaves their posts without an author, and the counters follow', async () => {
    await db(`update public.guestbook_posts set created_by = null where resident_id = $1 and created_by = $2`,
      [world.residentId, world.users.leader])
    const counters = await expectAllAgree()
    expect(counters.some(row => row.user_id === world.users.leader)).toBe(false)
  })

  it('move with a resident between units, and with a post to another resident', async () => {
    await db(`update public.residents set unit_id = $1 where id = $2`, [world.otherUnitId, world.otherResidentId])
    await expectAllAgree()
    const { rows } = await db(`select id from public.guestbook_posts where resident_id = $1 and removed_at is null
      order by created_at desc limit 1`, [world.residentId])
    await db(`update public.guestbook_posts set resident_id = $1 where id = $2`, [world.otherResidentId, rows[0]!.id])
      .catch(() => { /* a post with comments cannot move (the comments' key); then nothing changed */ })
    await expectAllAgree()
    await db(`update public.residents set unit_id = $1 where id = $2`, [world.unitId, world.otherResidentId])
    await expectAllAgree()
  })

  it('a rebuild from the rows gives the same counters', async () => {
    const before = await countersAndScratch()
    await db('select private.rebuild_insight_counters()')
    const after = await countersAndScratch()
    expect(after.counters).toEqual(before.counters)
    expect(after.added).toEqual(before.added)
  })

  it('deleting a resident leaves no counters behind', async () => {
    await db(`delete from public.residents where id = $1`, [world.otherResidentId])
    const { rows } = await db(`select count(*)::int as n from private.insight_author_weeks where resident_id = $1
      union all select count(*)::int from private.insight_resident_weeks where resident_id = $1`,
    [world.otherResidentId])
    expect(rows.map(row => row.n)).toEqual([0, 0])
  })
})
