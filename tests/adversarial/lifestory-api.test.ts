// Attacks on the life story through supabase-js, as each role could make them without the UI:
// forged announcements on the live channel, hidden items, forged consent, dates the forms
// refuse, and the at-a-glance card's rule that a sensitive topic is never a "good topic".
import type { SupabaseClient } from '@supabase/supabase-js'
import { beforeAll, describe, expect, it } from 'vitest'
import { fetchGlances } from '../../app/composables/useLifeStoryGlance'
import { createWorld, db, one, type World } from '../access/fixtures'
import { liveClient, sleep, waitFor } from '../guestbook/support'

interface Announcement { table: string, id: string, operation: string }

let world: World

beforeAll(async () => {
  world = await createWorld('Livshistorie angrep')
})

/**
 * Joins the resident's private life-story channel as the app does, on the topic
 * public.life_story_live_topic names (it moves when someone loses access), and records what it hears.
 */
async function join(client: SupabaseClient, residentId: string) {
  const heard: Announcement[] = []
  await client.realtime.setAuth()
  const { data: topic } = await client.rpc('life_story_live_topic', { resident: residentId })
  const channel = client.channel(topic as string, { config: { private: true } })
    .on('broadcast', { event: 'change' }, ({ payload }) => heard.push(payload as Announcement))
  const status = await new Promise<string>((resolve) => {
    channel.subscribe((state) => {
      if (state !== 'CLOSED') resolve(state)
    })
  })
  return { heard, status, channel }
}

describe('the live life-story channel', { timeout: 30_000 }, () => {
  it('a viewer who may listen cannot announce a forged change to everyone else', async () => {
    const staff = await join(await liveClient(world.users.staff), world.residentId)
    const viewer = await join(await liveClient(world.users.viewer), world.residentId)
    expect(staff.status).toBe('SUBSCRIBED')
    expect(viewer.status).toBe('SUBSCRIBED')
    // Each such message would make every open page reload its section: a cheap way to flood.
    for (let i = 0; i < 3; i++) {
      await viewer.channel.send({ type: 'broadcast', event: 'change',
        payload: { table: 'relations', id: '00000000-0000-0000-0000-000000000000', operation: 'DELETE' } })
    }
    await sleep(800)
    expect(staff.heard.filter(a => a.id === '00000000-0000-0000-0000-000000000000')).toEqual([])
  })

  // The channel is checked only when joining; since 20261205125300 the topic carries the
  // resident's secret key, which changes when anyone loses access, so the removed relative's
  // open channel is left on a topic nobody sends to any more.
  it('a relative removed while listening hears no more announcements', async () => {
    const removed = await join(await liveClient(world.authorId), world.residentId)
    expect(removed.status).toBe('SUBSCRIBED')
    await db(`delete from public.resident_members where resident_id = $1 and user_id = $2`, [world.residentId, world.authorId])
    const row = await one<{ id: string }>(`insert into public.interests (resident_id, title, created_by)
      values ($1, 'Etter at tilgangen ble tatt', null) returning id`, [world.residentId])
    await sleep(1_000)
    expect(removed.heard.filter(a => a.id === row!.id)).toEqual([])
  })

  it('an announcement of a hidden item carries no content a viewer could read', async () => {
    const viewer = await join(await liveClient(world.users.viewer), world.residentId)
    const row = await one<{ id: string }>(`insert into public.life_events (resident_id, title, hidden, sensitive, created_by)
      values ($1, 'Da vesle Kari døde', true, true, $2) returning id`, [world.residentId, world.authorId])
    const heard = await waitFor(() => viewer.heard.find(a => a.id === row!.id), 5_000, 'the insert')
    expect(JSON.stringify(heard)).not.toContain('Kari')
    const client = await world.client('viewer')
    // Neither a plain read nor a filter on the hidden column reaches it.
    expect((await client.from('life_events').select('id').eq('id', row!.id)).data).toEqual([])
    expect((await client.from('life_events').select('id').eq('hidden', true).eq('resident_id', world.residentId)).data).toEqual([])
    const counted = await client.from('life_events').select('id', { count: 'exact', head: true }).eq('id', row!.id)
    expect(counted.count).toBe(0)
  })

  it('row changes through postgres_changes reach a viewer only for items they may read, and an outsider never', async () => {
    const heard: Record<string, string[]> = { viewer: [], outsider: [] }
    for (const [name, userId] of [['viewer', world.users.viewer], ['outsider', world.users.otherRelative]] as const) {
      const client = await liveClient(userId)
      await client.realtime.setAuth()
      await new Promise<void>((resolve) => {
        client.channel(`changes-${name}`)
          .on('postgres_changes', { event: '*', schema: 'public', table: 'life_events' },
            ({ new: row }) => heard[name]!.push(String((row as { title?: string }).title)))
          .subscribe((state) => {
            if (state === 'SUBSCRIBED') resolve()
          })
      })
    }
    const staff = await world.client('staff')
    const hidden = await staff.from('life_events').insert({ resident_id: world.residentId, title: 'Skjult sorg', hidden: true })
      .select('id').single()
    expect(hidden.error).toBeNull()
    await staff.from('life_events').update({ title: 'Skjult sorg, endret' }).eq('id', hidden.data!.id)
    await staff.from('life_events').insert({ resident_id: world.residentId, title: 'Konfirmasjon i Vang kirke' })
    await waitFor(() => heard.viewer!.includes('Konfirmasjon i Vang kirke') || undefined, 5_000, 'the open insert')
    await sleep(500)
    expect(heard.viewer!.filter(title => title.startsWith('Skjult'))).toEqual([])
    expect(heard.outsider).toEqual([])
  })
})

describe('rows a contributor writes past the forms', () => {
  it('a relative cannot name someone else as having confirmed a living person\'s consent, nor backdate it', async () => {
    const relative = await world.client('relative')
    const { data, error } = await relative.from('relations').insert({
      resident_id: world.residentId, name: 'Ola Nordmann', is_living: true, description: 'Nabo på Hamar',
      consent_confirmed_by: world.users.staff, consent_confirmed_at: '2001-01-01T00:00:00Z',
    }).select('id').single()
    expect(error).toBeNull()
    const stored = await one<{ by: string, age: number }>(`select consent_confirmed_by as by,
      extract(epoch from now() - consent_confirmed_at) as age from public.relations where id = $1`, [data!.id])
    expect(stored!.by).toBe(world.users.relative)
    expect(Math.abs(Number(stored!.age))).toBeLessThan(60)
  })

  it('a relative\'s own item cannot be hidden by them: only the resident, staff and the primary contact hide', async () => {
    const relative = await world.client('relative')
    const { data } = await relative.from('interests').insert({ resident_id: world.residentId, title: 'Fiske i Glomma' })
      .select('id').single()
    const { error } = await relative.from('interests').update({ hidden: true }).eq('id', data!.id)
    expect(error?.hint).toBe('hide_not_allowed')
  })

  it('a relative of another resident can neither read nor add to this life story', async () => {
    const stranger = await world.client('otherRelative')
    await db(`insert into public.everyday_wishes (resident_id, title, created_by) values ($1, 'Kaffe på sengen', $2)`,
      [world.residentId, world.authorId])
    expect((await stranger.from('everyday_wishes').select('id').eq('resident_id', world.residentId)).data).toEqual([])
    const { error } = await stranger.from('everyday_wishes').insert({ resident_id: world.residentId, title: 'Inntrenger' })
    expect(error?.code).toBe('42501')
  })

  // The forms refuse these; the tables refuse them too (migration 20261205140000), so nobody
  // can put a timeline out of order through the API.
  it('the database refuses a life event dated in the future', async () => {
    const { error } = await (await world.client('relative')).from('life_events')
      .insert({ resident_id: world.residentId, title: 'Reise til månen', event_year: 2099, event_date: '2099-06-01', date_precision: 'day' })
    expect(error?.code).toBe('23514')
    expect(error?.hint).toBe('date_in_future')
  })

  it('the database refuses a life event whose year and date disagree', async () => {
    const { error } = await (await world.client('relative')).from('life_events')
      .insert({ resident_id: world.residentId, title: 'Rot i årene', event_year: 1950, event_date: '1999-06-01', date_precision: 'day' })
    expect(error?.code).toBe('23514')
  })

  it('the database refuses a life event before the resident was born, and takes one after', async () => {
    await db('update public.residents set birth_date = $2, birth_year = null where id = $1', [world.residentId, '1931-03-14'])
    const relative = await world.client('relative')
    const before = await relative.from('life_events')
      .insert({ resident_id: world.residentId, title: 'Før tiden', event_year: 1931, event_date: '1931-03-13', date_precision: 'day' })
    expect(before.error?.code).toBe('23514')
    expect(before.error?.hint).toBe('date_before_birth')
    const yearOnly = await relative.from('life_events').insert({ resident_id: world.residentId, title: 'Før tiden', event_year: 1930 })
    expect(yearOnly.error?.hint).toBe('date_before_birth')
    const after = await relative.from('life_events')
      .insert({ resident_id: world.residentId, title: 'Født på Toten', event_year: 1931, event_date: '1931-03-14', date_precision: 'day' })
    expect(after.error).toBeNull()
  })

  it('the database refuses a birth date in the future, whoever writes it', async () => {
    await expect(db('update public.residents set birth_date = $2, birth_year = null where id = $1', [world.residentId, '2099-01-01']))
      .rejects.toMatchObject({ code: '23514' })
    await expect(db('update public.residents set birth_date = null, birth_year = 2099 where id = $1', [world.residentId]))
      .rejects.toMatchObject({ code: '23514' })
  })

  it('a wish carries the day it was done only while it is done, never a day to come', async () => {
    const relative = await world.client('relative')
    const wished = await relative.from('everyday_wishes')
      .insert({ resident_id: world.residentId, title: 'Tur til kaia', status: 'wished', done_at: '2020-01-01T12:00:00Z' })
      .select('id, done_at').single()
    expect(wished.error).toBeNull()
    expect(wished.data!.done_at).toBeNull()
    const future = await relative.from('everyday_wishes')
      .insert({ resident_id: world.residentId, title: 'Vafler', status: 'done', done_at: '2099-01-01T12:00:00Z' })
      .select('done_at').single()
    expect(Date.parse(future.data!.done_at!)).toBeLessThanOrEqual(Date.now() + 60_000)
    const back = await relative.from('everyday_wishes').update({ status: 'planned' }).eq('id', wished.data!.id)
      .select('done_at').single()
    expect(back.data?.done_at ?? null).toBeNull()
  })

  it('Norwegian letters, emoji and markup are stored as typed, 200 characters counted as characters', async () => {
    const relative = await world.client('relative')
    const start = `Æble på Ørsta 🍎 <img src=x onerror=alert(1)> '); drop table relations; --`
    // The emoji is one character to the database but two UTF-16 units to JavaScript.
    const title = start + 'å'.repeat(200 - [...start].length)
    const { data, error } = await relative.from('life_events').insert({ resident_id: world.residentId, title })
      .select('title').single()
    expect(error).toBeNull()
    expect(data!.title).toBe(title)
    const tooLong = await relative.from('life_events').insert({ resident_id: world.residentId, title: `${title}x` })
    expect(tooLong.error?.code).toBe('23514')
  })
})

describe('the at-a-glance card', () => {
  it('never offers a sensitive topic as a good topic to talk about', async () => {
    const resident = (await one<{ id: string }>(`insert into public.residents (unit_id, display_name)
      values ($1, 'Gunnar Vik') returning id`, [world.unitId]))!.id
    await db(`insert into public.everyday_wishes (resident_id, title, category, sensitive, created_by) values
      ($1, 'Krigen og flukten over fjellet', 'conversation', true, $2),
      ($1, 'Fotball og Vålerenga', 'conversation', false, $2)`, [resident, world.authorId])
    const [card] = await fetchGlances(await world.client('staff'), [resident])
    expect(card!.topics).toEqual(['Fotball og Vålerenga'])
    expect(card!.avoid).toEqual([{ title: 'Krigen og flukten over fjellet', sensitive: true }])
  })
})
