import { randomUUID } from 'node:crypto'
import type { RealtimePostgresChangesPayload, SupabaseClient } from '@supabase/supabase-js'
import { beforeAll, describe, expect, it } from 'vitest'
import { Inbox, realtimeClient, serviceRealtimeClient, sleep, subscribed, unique } from './realtime-helpers.ts'
import { sql } from './support.ts'

type Note = { id: number, owner: string, body: string, score: number, tags: string[], meta: object }
type Change = RealtimePostgresChangesPayload<Note>

const notes = unique('rt_notes')
const hidden = unique('rt_hidden')
const owner = randomUUID()
const stranger = randomUUID()

beforeAll(async () => {
  await sql(`create table public.${notes} (
      id bigint generated always as identity primary key,
      owner uuid not null,
      body text not null,
      score int not null default 0,
      tags text[] not null default '{}',
      meta jsonb not null default '{}',
      created_at timestamptz not null default now());
    alter table public.${notes} enable row level security;
    create policy "Owners can read their notes" on public.${notes}
      for select to authenticated using (owner = auth.uid());
    alter publication supabase_realtime add table public.${notes};
    create table public.${hidden} (id bigint generated always as identity primary key, body text);`)
})

/** Opens a channel on `notes` for a user and collects what it receives. */
async function watch(client: SupabaseClient,
  binding: { event?: '*' | 'INSERT' | 'UPDATE' | 'DELETE', filter?: string, table?: string } = {}) {
  const inbox = new Inbox<Change>()
  const channel = client.channel(unique('changes')).on<Note>('postgres_changes' as never,
    { event: binding.event ?? '*', schema: 'public', table: binding.table ?? notes, filter: binding.filter } as never,
    inbox.add as never)
  await subscribed(channel)
  return inbox
}

async function insertNote(by: string, body: string, score = 0) {
  const { rows } = await sql(`insert into public.${notes} (owner, body, score, tags, meta)
    values ($1, $2, $3, '{a,b}', '{"mood":"glad"}') returning id`, [by, body, score])
  return Number(rows[0].id)
}

describe('postgres_changes', () => {
  it('sends inserts, updates and deletes made by plain SQL, typed as supabase-js expects', async () => {
    const inbox = await watch(await realtimeClient(owner))
    // Each step waits for its event: like Supabase, visibility is checked against the row as it is
    // when the change is processed, so a row already deleted by then would not pass RLS.
    const id = await insertNote(owner, 'first')
    await inbox.wait(1)
    await sql(`update public.${notes} set body = 'second' where id = $1`, [id])
    await inbox.wait(2)
    await sql(`delete from public.${notes} where id = $1`, [id])

    const [insert, update, remove] = await inbox.wait(3)
    expect(insert).toMatchObject({ schema: 'public', table: notes, eventType: 'INSERT', errors: null, old: {},
      new: { id, owner, body: 'first', score: 0, tags: ['a', 'b'], meta: { mood: 'glad' } } })
    expect(insert.commit_timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    expect(update).toMatchObject({ eventType: 'UPDATE', new: { id, body: 'second' }, old: { id } })
    expect(remove).toMatchObject({ eventType: 'DELETE', new: {}, old: { id } })
    expect(Object.keys((remove as { old: object }).old)).toEqual(['id'])
  })

  it('sends only the events a binding asks for', async () => {
    const client = await realtimeClient(owner)
    const [inserts, updates] = [await watch(client, { event: 'INSERT' }), await watch(client, { event: 'UPDATE' })]
    const id = await insertNote(owner, 'one')
    await sql(`update public.${notes} set score = 9 where id = $1`, [id])
    await updates.wait(1)
    await inserts.wait(1)
    await sleep(200)
    expect(inserts.items.map(c => c.eventType)).toEqual(['INSERT'])
    expect(updates.items.map(c => c.eventType)).toEqual(['UPDATE'])
  })

  it('checks RLS per subscriber: strangers and anonymous visitors see no change to a row they cannot read', async () => {
    const [mine, theirs, anonymous, service] = await Promise.all([
      watch(await realtimeClient(owner)),
      watch(await realtimeClient(stranger)),
      watch(await realtimeClient()),
      (async () => {
        const inbox = new Inbox<Change>()
        await subscribed(serviceRealtimeClient().channel(unique('svc')).on('postgres_changes' as never,
          { event: '*', schema: 'public', table: notes } as never, inbox.add as never))
        return inbox
      })(),
    ])
    const id = await insertNote(owner, 'private thought')
    await sql(`update public.${notes} set body = 'still private' where id = $1`, [id])
    await mine.wait(2)
    await service.wait(2)
    await sleep(300)
    expect(theirs.items).toEqual([])
    expect(anonymous.items).toEqual([])
  })

  it('stops sending to a subscriber who loses access to the row', async () => {
    const inbox = await watch(await realtimeClient(owner))
    const id = await insertNote(owner, 'given away')
    await inbox.wait(1)
    await sql(`update public.${notes} set owner = $2 where id = $1`, [id, stranger])
    await sql(`update public.${notes} set body = 'not yours any more' where id = $1`, [id])
    await inbox.wait(1)
    await sleep(300)
    expect(inbox.items.map(c => c.eventType)).toEqual(['INSERT'])
  })

  it('sends DELETE to every subscriber with only the primary key, as Supabase does (not RLS-checked)', async () => {
    const inbox = await watch(await realtimeClient(stranger), { event: 'DELETE' })
    const id = await insertNote(owner, 'short-lived')
    await sql(`delete from public.${notes} where id = $1`, [id])
    const [remove] = await inbox.wait(1)
    expect(remove).toMatchObject({ eventType: 'DELETE', old: { id } })
    expect(Object.keys((remove as { old: object }).old)).toEqual(['id'])
  })

  it('keeps a DELETE to the primary key on an RLS table even with REPLICA IDENTITY FULL', async () => {
    const table = unique('rt_full')
    await sql(`create table public.${table} (id bigint generated always as identity primary key, secret text);
      alter table public.${table} replica identity full;
      alter table public.${table} enable row level security;
      alter publication supabase_realtime add table public.${table};`)
    const inbox = await watch(await realtimeClient(stranger), { table })
    const { rows } = await sql(`insert into public.${table} (secret) values ('diagnosis') returning id`)
    await sql(`delete from public.${table} where id = $1`, [rows[0].id])
    const [remove] = await inbox.wait(1)
    expect(remove.old).toEqual({ id: Number(rows[0].id) })
  })

  it('leaves out the columns a role may not select', async () => {
    const table = unique('rt_columns')
    await sql(`create table public.${table} (id bigint generated always as identity primary key,
        resident text, unsubscribe_token text);
      revoke all on public.${table} from anon, authenticated;
      grant select (id, resident) on public.${table} to authenticated;
      alter publication supabase_realtime add table public.${table};`)
    const [user, anonymous, service] = [
      await watch(await realtimeClient(owner), { table }),
      await watch(await realtimeClient(), { table }),
      await watch(serviceRealtimeClient(), { table }),
    ]
    await sql(`insert into public.${table} (resident, unsubscribe_token) values ('Kari', 'secret')`)
    const [[forUser], [forService]] = [await user.wait(1), await service.wait(1)]
    expect(forUser.new).toEqual({ id: expect.any(Number), resident: 'Kari' })
    expect(forService.new).toMatchObject({ resident: 'Kari', unsubscribe_token: 'secret' })
    await sleep(200)
    expect(anonymous.items).toEqual([])
  })

  it.each([
    ['default', false],
    ['full', true],
  ])('sends a large unchanged value in an UPDATE only with replica identity %s', async (identity, included) => {
    const table = unique('rt_toast')
    // Random text does not compress, so Postgres stores it out of line (TOAST).
    await sql(`create table public.${table} (id bigint generated always as identity primary key,
        body text, story text);
      alter table public.${table} replica identity ${identity};
      alter publication supabase_realtime add table public.${table};
      insert into public.${table} (body, story)
        select 'first', string_agg(md5(random()::text), '') from generate_series(1, 2000);`)
    const { rows: [{ story }] } = await sql(`select story from public.${table}`)
    const inbox = await watch(serviceRealtimeClient(), { event: 'UPDATE', table })
    await sql(`update public.${table} set body = 'edited'`)
    const [update] = await inbox.wait(1)
    const { id: _, ...rest } = update.new as Record<string, unknown>
    expect(rest).toEqual(included ? { body: 'edited', story } : { body: 'edited' })
  })

  it.each([
    ['score=eq.3', ['c']],
    ['score=neq.3', ['a', 'b', 'd', 'e']],
    ['score=lt.3', ['a', 'b']],
    ['score=lte.3', ['a', 'b', 'c']],
    ['score=gt.3', ['d', 'e']],
    ['score=gte.3', ['c', 'd', 'e']],
    ['score=in.(1,5)', ['a', 'e']],
    ['body=eq.b', ['b']],
    ['body=in.(b,d)', ['b', 'd']],
    ['score=not.eq.3', ['a', 'b', 'd', 'e']],
    ['body=like.%b%', ['b']],
    ['score=gte.2,score=lte.3', ['b', 'c']],
    ['created_at=gt.2000-01-01T00:00:00Z', ['a', 'b', 'c', 'd', 'e']],
    ['created_at=lt.2000-01-01 00:00:00+00', []],
  ])('filters %s', async (filter, expected) => {
    const tag = unique('f')
    // One client, so both channels share a socket and the marker cannot overtake the rows.
    const client = serviceRealtimeClient()
    const inbox = await watch(client, { event: 'INSERT', filter })
    const marker = await watch(client, { event: 'INSERT', filter: `body=eq.${tag}` })
    await sql(`insert into public.${notes} (owner, body, score)
      select $1, b, s from unnest(array['a','b','c','d','e'], array[1,2,3,4,5]) as t(b, s)`, [owner])
    await sql(`insert into public.${notes} (owner, body, score) values ($1, $2, 3)`, [owner, tag])
    await marker.wait(1)
    // The marker committed last, so everything before it has been delivered by now.
    const bodies = inbox.items.map(c => (c.new as Note).body).filter(b => b !== tag)
    expect(bodies).toEqual(expected)
  })

  it('sends nothing for a table outside the supabase_realtime publication', async () => {
    const client = await realtimeClient(owner)
    const quiet = await watch(client, { table: hidden })
    const marker = await watch(client, { event: 'INSERT' })
    await sql(`insert into public.${hidden} (body) values ('unpublished')`)
    await insertNote(owner, 'marker')
    await marker.wait(1)
    expect(quiet.items).toEqual([])
  })

  it('delivers every committed change once, in commit order', async () => {
    const inbox = await watch(await realtimeClient(owner), { event: 'INSERT' })
    const ids: number[] = []
    for (let i = 0; i < 40; i++) ids.push(await insertNote(owner, `n${i}`))
    await inbox.wait(40)
    await sleep(300)
    expect(inbox.items.map(c => (c.new as Note).id)).toEqual(ids)
  })

  it('keeps broadcasts from the database and row changes of one transaction in commit order', async () => {
    const name = unique('mixed')
    const inbox = new Inbox<string>()
    const channel = serviceRealtimeClient().channel(name)
      .on('broadcast', { event: 'note' }, ({ payload }) => inbox.add(payload.text))
      .on('postgres_changes', { event: 'INSERT', schema: 'public', table: notes },
        ({ new: row }) => inbox.add((row as Note).body))
    await subscribed(channel)
    await sql(`begin;
      select realtime.send('{"text":"before"}', 'note', '${name}', false);
      insert into public.${notes} (owner, body) values ('${owner}', 'row');
      select realtime.send('{"text":"after"}', 'note', '${name}', false);
      commit;`)
    expect(await inbox.wait(3)).toEqual(['before', 'row', 'after'])
  })

  it('sends nothing for a transaction that rolled back', async () => {
    const inbox = await watch(await realtimeClient(owner), { event: 'INSERT' })
    await sql(`do $$ begin
      insert into public.${notes} (owner, body) values ('${owner}', 'never');
      raise exception 'undo';
    exception when others then null; end $$`)
    await insertNote(owner, 'kept')
    const [only] = await inbox.wait(1)
    await sleep(200)
    expect(inbox.items).toHaveLength(1)
    expect((only.new as Note).body).toBe('kept')
  })
})
