// Attacks on the guestbook through supabase-js, as each role could make them
// without the UI: bringing back or rewriting what a moderator removed, reaching
// into another resident's posts, forging who gave a heart, and text the page
// must show as text.
import { beforeAll, describe, expect, it } from 'vitest'
import { createWorld, one, type World } from '../access/fixtures'
import { addPhoto } from '../privacy/support'

let world: World

beforeAll(async () => {
  world = await createWorld('Gjestebok angrep')
})

async function greeting(by: 'relative' | 'otherRelative' | 'viewer', body: string, residentId = world.residentId) {
  const client = await world.client(by)
  const { data, error } = await client.from('guestbook_posts').insert({ resident_id: residentId, body, kind: 'greeting',
    created_by: world.users[by] }).select('id').single()
  expect(error).toBeNull()
  return data!.id as string
}

async function removeAsStaff(table: 'guestbook_posts' | 'guestbook_comments', id: string) {
  const staff = await world.client('staff')
  expect((await staff.from(table).update({ removed_at: new Date().toISOString() }).eq('id', id)).error).toBeNull()
}

describe('what a moderator removed', () => {
  it('its author cannot bring it back', async () => {
    const id = await greeting('relative', 'Noe som ikke hører hjemme her')
    await removeAsStaff('guestbook_posts', id)
    const relative = await world.client('relative')
    await relative.from('guestbook_posts').update({ removed_at: null }).eq('id', id)
    const row = await one<{ removed_at: Date | null, body: string }>('select removed_at, body from public.guestbook_posts where id = $1', [id])
    expect(row!.removed_at).not.toBeNull()
    expect(row!.body).toBe('')
  })

  // Fixed in 20261205150100: private.guard_guestbook_update refuses a body change while
  // removed_at is set, so nothing new reaches readers under the "removed" mark.
  it('its author cannot write new text into it, for every reader to receive', async () => {
    const id = await greeting('relative', 'Første tekst')
    await removeAsStaff('guestbook_posts', id)
    const relative = await world.client('relative')
    await relative.from('guestbook_posts').update({ body: 'Ny tekst under fjernet-merket' }).eq('id', id)
    const seen = await (await world.client('viewer')).from('guestbook_posts').select('body').eq('id', id).single()
    expect(seen.data!.body).toBe('')
  })

  it('a relative who is not a moderator cannot remove someone else\'s post', async () => {
    const id = await greeting('viewer', 'Hilsen fra barnebarnet')
    const relative = await world.client('relative')
    await relative.from('guestbook_posts').update({ removed_at: new Date().toISOString() }).eq('id', id)
    await relative.from('guestbook_posts').delete().eq('id', id)
    const row = await one<{ removed_at: Date | null, body: string }>('select removed_at, body from public.guestbook_posts where id = $1', [id])
    expect(row).toEqual({ removed_at: null, body: 'Hilsen fra barnebarnet' })
  })
})

describe('reaching into another resident\'s guestbook', () => {
  it('a relative cannot comment on, heart or attach to a post of another resident', async () => {
    const theirs = await greeting('otherRelative', 'Hei pappa', world.otherResidentId)
    const relative = await world.client('relative')
    const asOurs = { post_id: theirs, resident_id: world.residentId, created_by: world.users.relative }
    const asTheirs = { post_id: theirs, resident_id: world.otherResidentId, created_by: world.users.relative }
    for (const row of [asOurs, asTheirs]) {
      expect((await relative.from('guestbook_comments').insert({ ...row, body: 'Snoking' })).error).not.toBeNull()
      expect((await relative.from('guestbook_hearts').insert(row)).error).not.toBeNull()
    }
    const counts = await one<{ c: string, h: string }>(`select (select count(*) from public.guestbook_comments where post_id = $1) as c,
      (select count(*) from public.guestbook_hearts where post_id = $1) as h`, [theirs])
    expect(counts).toEqual({ c: '0', h: '0' })
  })

  it('a relative cannot attach another resident\'s photo to their own post', async () => {
    const photo = await addPhoto(world, 'otherRelative', { residentId: world.otherResidentId })
    const ours = await greeting('relative', 'Se her')
    const relative = await world.client('relative')
    const attempt = await relative.from('guestbook_post_media').insert({ post_id: ours, media_item_id: photo.id,
      resident_id: world.residentId, created_by: world.users.relative, position: 0 })
    expect(attempt.error).not.toBeNull()
  })

  it('a heart cannot be given in someone else\'s name', async () => {
    const id = await greeting('viewer', 'Glad i deg')
    const relative = await world.client('relative')
    const forged = await relative.from('guestbook_hearts').insert({ post_id: id, resident_id: world.residentId,
      created_by: world.users.primaryContact })
    expect(forged.error).not.toBeNull()
  })
})

describe('text kept as it was written', () => {
  it('HTML, a javascript: link and a very long text are stored as text or refused, never half-saved', async () => {
    const html = '<img src=x onerror=alert(1)> <a href="javascript:alert(2)">klikk</a> 🎂 æøå'
    const id = await greeting('relative', html)
    expect((await one<{ body: string }>('select body from public.guestbook_posts where id = $1', [id]))!.body).toBe(html)
    const relative = await world.client('relative')
    const long = await relative.from('guestbook_posts').insert({ resident_id: world.residentId, kind: 'greeting',
      body: 'Å'.repeat(100_000), created_by: world.users.relative })
    expect(long.error).not.toBeNull()
    const none = await one<{ n: string }>(`select count(*) as n from public.guestbook_posts where resident_id = $1 and length(body) > 50000`, [world.residentId])
    expect(none!.n).toBe('0')
  })
})
