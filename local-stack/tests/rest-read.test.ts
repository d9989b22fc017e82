import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { anonClient, clientAs, serviceClient, sql, stack } from './support.ts'

// supabase-js builds a realtime client even for REST; Node 20 has no global WebSocket.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

const alice = '00000000-0000-4000-8000-00000000a11c'

// Throwaway tables of this file only: units, residents, life events, relatives (many-to-many)
// and visits (two foreign keys to residents, so embedding it needs a hint).
beforeAll(async () => {
  await sql(`
    drop view if exists rest_read_resident_cards;
    drop table if exists rest_read_people, rest_read_many, rest_read_visits, rest_read_resident_relatives, rest_read_relatives,
      rest_read_life_events, rest_read_residents, rest_read_units cascade;
    create table rest_read_units (id bigint primary key, name text not null unique);
    create table rest_read_residents (
      id bigint primary key,
      unit_id bigint references rest_read_units(id),
      name text not null,
      born date,
      tags text[] not null default '{}',
      profile jsonb not null default '{}',
      bio text,
      story tsvector generated always as (to_tsvector('english', coalesce(bio, ''))) stored,
      years int4range
    );
    create table rest_read_life_events (
      id bigint primary key,
      resident_id bigint not null references rest_read_residents(id),
      title text not null,
      year int,
      private boolean not null default false
    );
    create table rest_read_relatives (id bigint primary key, name text not null);
    create table rest_read_resident_relatives (
      resident_id bigint references rest_read_residents(id),
      relative_id bigint references rest_read_relatives(id),
      primary key (resident_id, relative_id)
    );
    create table rest_read_visits (
      id bigint primary key,
      host_id bigint references rest_read_residents(id),
      guest_id bigint references rest_read_residents(id)
    );
    insert into rest_read_units values (1, 'Sjøsiden'), (2, 'Skogen');
    insert into rest_read_residents (id, unit_id, name, born, tags, profile, bio, years) values
      (1, 1, 'Astrid', '1931-04-02', '{music,garden}', '{"town":"Bergen","pets":{"cat":"Pus"}}',
        'Sang in the church choir for forty years', '[1931,2030)'),
      (2, 1, 'Bjørn', '1928-11-20', '{fishing}', '{"town":"Tromsø"}', 'A fisherman who loved the sea', '[1928,2030)'),
      (3, 2, 'Camilla', null, '{}', '{}', null, null),
      (4, null, 'Dag, "the baker"', '1940-01-01', '{baking,music}', '{"town":"Oslo"}', 'Baked bread every morning', '[1940,1950)');
    insert into rest_read_life_events values
      (1, 1, 'Born in Bergen', 1931, false), (2, 1, 'Married Olav', 1952, false),
      (3, 1, 'Hospital stay', 1990, true), (4, 2, 'First boat', 1945, false);
    insert into rest_read_relatives values (1, 'Kari'), (2, 'Per');
    insert into rest_read_resident_relatives values (1, 1), (1, 2), (2, 2);
    insert into rest_read_visits values (1, 1, 2);
    create view rest_read_resident_cards with (security_invoker = true) as
      select id, unit_id, name from rest_read_residents;
    create function rest_read_label(rest_read_residents) returns text language sql stable
      as $$ select $1.name || ' (' || coalesce($1.unit_id::text, '-') || ')' $$;
    create table rest_read_people (id int primary key, name text not null, mentor_id int references rest_read_people(id));
    insert into rest_read_people values (1, 'Olav', null), (2, 'Kari', 1), (3, 'Nils', 1);
    create function rest_read_mentor(rest_read_people) returns setof rest_read_people rows 1 language sql stable
      as $$ select * from rest_read_people where id = $1.mentor_id $$;
    create function rest_read_mentees(rest_read_people) returns setof rest_read_people language sql stable
      as $$ select * from rest_read_people where mentor_id = $1.id order by id $$;
    create table rest_read_many (n int primary key);
    insert into rest_read_many select generate_series(1, 1200);

    alter table rest_read_life_events enable row level security;
    create policy "Anyone can read public life events" on rest_read_life_events
      for select to anon using (not private);
    create policy "Signed-in people can read every life event" on rest_read_life_events
      for select to authenticated using (true);
  `)
})

/** A plain request to /rest/v1 with the anon key, for headers supabase-js does not show. */
function rest(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${stack.apiUrl}/rest/v1${path}`, {
    ...init,
    headers: { apikey: stack.anonKey, authorization: `Bearer ${stack.anonKey}`, ...init.headers },
  })
}

async function names(query: PromiseLike<{ data: { name: string }[] | null, error: unknown }>) {
  const { data, error } = await query
  expect(error).toBeNull()
  return data!.map(row => row.name)
}

describe('reading rows', () => {
  it('selects columns, aliases, casts and JSON paths', async () => {
    const { data, error } = await anonClient().from('rest_read_residents')
      .select('id, fullName:name, born::text, town:profile->>town, cat:profile->pets->cat, profile->pets')
      .eq('id', 1)
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 1, fullName: 'Astrid', born: '1931-04-02', town: 'Bergen', cat: 'Pus', pets: { cat: 'Pus' } }])
  })

  it('embeds to-one as an object, to-many as an array and many-to-many through the junction', async () => {
    const { data, error } = await anonClient().from('rest_read_residents')
      .select('name, unit:rest_read_units(name), rest_read_life_events(title), rest_read_relatives(name)')
      .in('id', [1, 4]).order('id')
    expect(error).toBeNull()
    expect(data).toEqual([
      { name: 'Astrid', unit: { name: 'Sjøsiden' }, rest_read_life_events: [{ title: 'Born in Bergen' }, { title: 'Married Olav' }], rest_read_relatives: [{ name: 'Kari' }, { name: 'Per' }] },
      { name: 'Dag, "the baker"', unit: null, rest_read_life_events: [], rest_read_relatives: [] },
    ])
  })
})

describe('filters', () => {
  const residents = () => anonClient().from('rest_read_residents').select('name').order('id')
  const cases: [string, () => PromiseLike<{ data: { name: string }[] | null, error: unknown }>, string[]][] = [
    ['eq', () => residents().eq('name', 'Astrid'), ['Astrid']],
    ['neq', () => residents().neq('name', 'Astrid'), ['Bjørn', 'Camilla', 'Dag, "the baker"']],
    ['gt / lt', () => residents().gt('id', 1).lt('id', 4), ['Bjørn', 'Camilla']],
    ['gte / lte', () => residents().gte('id', 2).lte('id', 3), ['Bjørn', 'Camilla']],
    ['like with *', () => residents().like('name', 'B*'), ['Bjørn']],
    ['ilike with %', () => residents().ilike('name', '%MIL%'), ['Camilla']],
    ['match', () => residents().match({ unit_id: 1, name: 'Bjørn' }), ['Bjørn']],
    ['regex match', () => residents().filter('name', 'match', '^[AB]'), ['Astrid', 'Bjørn']],
    ['regex imatch', () => residents().filter('name', 'imatch', '^c'), ['Camilla']],
    ['is null', () => residents().is('born', null), ['Camilla']],
    ['not is null', () => residents().not('born', 'is', null), ['Astrid', 'Bjørn', 'Dag, "the baker"']],
    ['isdistinct', () => residents().filter('unit_id', 'isdistinct', '1'), ['Camilla', 'Dag, "the baker"']],
    ['in with quoted commas', () => residents().in('name', ['Bjørn', 'Dag, "the baker"']), ['Bjørn', 'Dag, "the baker"']],
    ['in with an empty list', () => residents().in('name', []), []],
    ['not in', () => residents().not('id', 'in', '(1,2)'), ['Camilla', 'Dag, "the baker"']],
    ['contains (array)', () => residents().contains('tags', ['music']), ['Astrid', 'Dag, "the baker"']],
    ['contained by (array)', () => residents().containedBy('tags', ['music', 'garden', 'fishing']), ['Astrid', 'Bjørn', 'Camilla']],
    ['overlaps (array)', () => residents().overlaps('tags', ['fishing', 'baking']), ['Bjørn', 'Dag, "the baker"']],
    ['contains (jsonb)', () => residents().contains('profile', { town: 'Oslo' }), ['Dag, "the baker"']],
    ['range strictly left', () => residents().rangeLt('years', '[1960,1970)'), ['Dag, "the baker"']],
    ['range strictly right', () => residents().rangeGt('years', '[1900,1920)'), ['Astrid', 'Bjørn', 'Dag, "the baker"']],
    ['range not extending right', () => residents().rangeLte('years', '[1900,1950)'), ['Dag, "the baker"']],
    ['range not extending left', () => residents().rangeGte('years', '[1930,1935)'), ['Astrid', 'Dag, "the baker"']],
    ['range adjacent', () => residents().rangeAdjacent('years', '[1950,1960)'), ['Dag, "the baker"']],
    ['range overlaps', () => residents().overlaps('years', '[1929,1930)'), ['Bjørn']],
    ['full text (tsvector column)', () => residents().textSearch('story', 'choir'), ['Astrid']],
    ['full text with config', () => residents().textSearch('story', 'sea', { config: 'english' }), ['Bjørn']],
    ['plain full text', () => residents().textSearch('bio', 'baked bread', { type: 'plain', config: 'english' }), ['Dag, "the baker"']],
    ['phrase full text', () => residents().textSearch('bio', 'church choir', { type: 'phrase' }), ['Astrid']],
    ['websearch full text', () => residents().textSearch('bio', '"loved the sea" -choir', { type: 'websearch' }), ['Bjørn']],
    ['JSON path filter', () => residents().eq('profile->>town', 'Tromsø'), ['Bjørn']],
    ['nested JSON path filter', () => residents().eq('profile->pets->>cat', 'Pus'), ['Astrid']],
    ['or', () => residents().or('name.eq.Astrid,id.eq.3'), ['Astrid', 'Camilla']],
    ['nested or/and', () => residents().or('name.eq.Bjørn,and(unit_id.eq.1,born.lt.1935-01-01)'), ['Astrid', 'Bjørn']],
    ['or with quoted values and in', () => residents().or('name.eq."Dag, \\"the baker\\"",id.in.(2,3)'), ['Bjørn', 'Camilla', 'Dag, "the baker"']],
    ['like(any)', () => residents().likeAnyOf('name', ['A*', 'C*']), ['Astrid', 'Camilla']],
    ['ilike(all)', () => residents().ilikeAllOf('name', ['%a%', '%r%']), ['Astrid', 'Dag, "the baker"']],
    ['eq(any)', () => residents().filter('id', 'eq(any)', '{2,3}'), ['Bjørn', 'Camilla']],
  ]
  it.each(cases)('%s', async (_, query, expected) => {
    expect(await names(query())).toEqual(expected)
  })

  it('negates a whole group with not.or', async () => {
    const response = await rest('/rest_read_residents?select=name&not.or=(id.eq.1,id.eq.2)&order=id')
    expect(await response.json()).toEqual([{ name: 'Camilla' }, { name: 'Dag, "the baker"' }])
  })

  it('filters embedded arrays without dropping parents, and parents with !inner', async () => {
    const trimmed = await anonClient().from('rest_read_residents')
      .select('name, rest_read_life_events(title)').eq('rest_read_life_events.year', 1952).in('id', [1, 2]).order('id')
    expect(trimmed.data).toEqual([
      { name: 'Astrid', rest_read_life_events: [{ title: 'Married Olav' }] },
      { name: 'Bjørn', rest_read_life_events: [] },
    ])
    const inner = await anonClient().from('rest_read_residents')
      .select('name, rest_read_life_events!inner(title)').eq('rest_read_life_events.year', 1952)
    expect(inner.data).toEqual([{ name: 'Astrid', rest_read_life_events: [{ title: 'Married Olav' }] }])
    const toOne = await anonClient().from('rest_read_residents')
      .select('name, rest_read_units!inner(name)').eq('rest_read_units.name', 'Skogen')
    expect(toOne.data).toEqual([{ name: 'Camilla', rest_read_units: { name: 'Skogen' } }])
  })

  it('counts only the parents an !inner embed keeps', async () => {
    const { data, count } = await anonClient().from('rest_read_residents')
      .select('name, rest_read_life_events!inner(title)', { count: 'exact' }).gte('rest_read_life_events.year', 1945)
    expect(data!.map(r => r.name).sort()).toEqual(['Astrid', 'Bjørn'])
    expect(count).toBe(2)
  })

  it('filters parents on whether an embed exists', async () => {
    const { data } = await anonClient().from('rest_read_residents')
      .select('name, rest_read_units(name)').is('rest_read_units', null)
    expect(data).toEqual([{ name: 'Dag, "the baker"', rest_read_units: null }])
    const withEvents = await anonClient().from('rest_read_residents')
      .select('name, rest_read_life_events()').not('rest_read_life_events', 'is', null).order('id')
    expect(withEvents.data).toEqual([{ name: 'Astrid' }, { name: 'Bjørn' }])
  })

  it('orders, limits and offsets embedded resources and filters them with or', async () => {
    const { data, error } = await anonClient().from('rest_read_residents')
      .select('name, events:rest_read_life_events(title, year)').eq('id', 1)
      .order('year', { referencedTable: 'events', ascending: false }).limit(1, { referencedTable: 'events' })
    expect(error).toBeNull()
    expect(data).toEqual([{ name: 'Astrid', events: [{ title: 'Married Olav', year: 1952 }] }])
    const ranged = await anonClient().from('rest_read_residents')
      .select('name, events:rest_read_life_events(year)').eq('id', 1).order('year', { referencedTable: 'events' })
      .range(1, 1, { referencedTable: 'events' })
    expect(ranged.data).toEqual([{ name: 'Astrid', events: [{ year: 1952 }] }])
    const ored = await anonClient().from('rest_read_residents')
      .select('name, events:rest_read_life_events(year)').eq('id', 1)
      .or('year.eq.1931,year.gt.1950', { referencedTable: 'events' }).order('year', { referencedTable: 'events' })
    expect(ored.data).toEqual([{ name: 'Astrid', events: [{ year: 1931 }, { year: 1952 }] }])
  })

  it('spreads a to-one embed into its parent', async () => {
    const { data } = await anonClient().from('rest_read_residents')
      .select('name, ...rest_read_units(unit:name)').eq('id', 2)
    expect(data).toEqual([{ name: 'Bjørn', unit: 'Sjøsiden' }])
  })

  it('embeds in both directions and needs a hint when two foreign keys lead to the same table', async () => {
    const ambiguous = await anonClient().from('rest_read_visits').select('id, rest_read_residents(name)')
    expect(ambiguous.status).toBe(300)
    expect(ambiguous.error).toMatchObject({ code: 'PGRST201' })
    expect(ambiguous.error!.hint).toContain('rest_read_residents!rest_read_visits_host_id_fkey')
    const hinted = await anonClient().from('rest_read_visits')
      .select('host:rest_read_residents!host_id(name), guest:rest_read_residents!rest_read_visits_guest_id_fkey(name)')
    expect(hinted.data).toEqual([{ host: { name: 'Astrid' }, guest: { name: 'Bjørn' } }])
    const byColumn = await anonClient().from('rest_read_visits').select('guest_id(name)')
    expect(byColumn.data).toEqual([{ guest_id: { name: 'Bjørn' } }])
  })

  it('answers an embed without a relationship with PGRST200 and a filter on a missing embed with PGRST108', async () => {
    const none = await anonClient().from('rest_read_units').select('name, rest_read_relatives(name)')
    expect(none.status).toBe(400)
    expect(none.error).toMatchObject({ code: 'PGRST200' })
    const missing = await anonClient().from('rest_read_units').select('name').eq('nothing.id', 1)
    expect(missing.status).toBe(400)
    expect(missing.error).toMatchObject({ code: 'PGRST108' })
  })
})

describe('order, paging and counts', () => {
  it('orders descending with nulls first or last', async () => {
    const first = await names(anonClient().from('rest_read_residents').select('name').order('born', { ascending: false, nullsFirst: true }))
    expect(first).toEqual(['Camilla', 'Dag, "the baker"', 'Astrid', 'Bjørn'])
    const last = await names(anonClient().from('rest_read_residents').select('name').order('unit_id', { nullsFirst: false }).order('name', { ascending: false }))
    expect(last).toEqual(['Bjørn', 'Astrid', 'Camilla', 'Dag, "the baker"'])
  })

  it('pages with range() and counts exactly with 206 and Content-Range', async () => {
    const { data, count, status } = await anonClient().from('rest_read_residents')
      .select('name', { count: 'exact' }).order('id').range(1, 2)
    expect({ data, count, status }).toEqual({ data: [{ name: 'Bjørn' }, { name: 'Camilla' }], count: 4, status: 206 })
    const response = await rest('/rest_read_residents?select=id&order=id&offset=1&limit=2', { headers: { prefer: 'count=exact' } })
    expect(response.headers.get('content-range')).toBe('1-2/4')
    expect(response.headers.get('preference-applied')).toBe('count=exact')
  })

  it('answers 200 with the whole count, */* without rows, and */0 when counted', async () => {
    const all = await rest('/rest_read_residents?select=id', { headers: { prefer: 'count=exact' } })
    expect([all.status, all.headers.get('content-range')]).toEqual([200, '0-3/4'])
    const none = await rest('/rest_read_residents?id=eq.99')
    expect([none.status, none.headers.get('content-range')]).toEqual([200, '*/*'])
    const counted = await rest('/rest_read_residents?id=eq.99', { headers: { prefer: 'count=exact' } })
    expect(counted.headers.get('content-range')).toBe('*/0')
  })

  it('takes a Range header', async () => {
    const response = await rest('/rest_read_residents?select=id&order=id', { headers: { 'range': '2-3', 'range-unit': 'items' } })
    expect(await response.json()).toEqual([{ id: 3 }, { id: 4 }])
    expect(response.headers.get('content-range')).toBe('2-3/*')
  })

  it('refuses an offset past the end with 416 PGRST103', async () => {
    const response = await rest('/rest_read_residents?offset=10', { headers: { prefer: 'count=exact' } })
    expect(response.status).toBe(416)
    expect(await response.json()).toMatchObject({ code: 'PGRST103' })
  })

  it('counts with head requests and planned or estimated counts', async () => {
    const head = await anonClient().from('rest_read_residents').select('*', { count: 'exact', head: true })
    expect([head.count, head.data]).toEqual([4, null])
    const planned = await anonClient().from('rest_read_many').select('n', { count: 'planned' }).limit(1)
    expect(planned.count).toBeGreaterThan(0)
    const estimated = await anonClient().from('rest_read_residents').select('id', { count: 'estimated' })
    expect(estimated.count).toBe(4)
  })

  it('caps a response at 1,000 rows unless a smaller limit is asked for', async () => {
    const all = await anonClient().from('rest_read_many').select('n', { count: 'exact' })
    expect([all.data!.length, all.count, all.status]).toEqual([1000, 1200, 206])
    const big = await anonClient().from('rest_read_many').select('n').limit(5000)
    expect(big.data!.length).toBe(1000)
    const small = await anonClient().from('rest_read_many').select('n').order('n', { ascending: false }).limit(3)
    expect(small.data).toEqual([{ n: 1200 }, { n: 1199 }, { n: 1198 }])
  })
})

describe('response shapes', () => {
  it('single() gives one object, or 406 PGRST116 for zero or many rows', async () => {
    const one = await anonClient().from('rest_read_units').select('name').eq('id', 2).single()
    expect(one.data).toEqual({ name: 'Skogen' })
    const zero = await anonClient().from('rest_read_units').select('name').eq('id', 9).single()
    expect(zero.status).toBe(406)
    expect(zero.error).toMatchObject({
      code: 'PGRST116', message: 'Cannot coerce the result to a single JSON object', details: 'The result contains 0 rows',
    })
    const many = await anonClient().from('rest_read_units').select('name').single()
    expect(many.error).toMatchObject({ code: 'PGRST116', details: 'The result contains 2 rows' })
  })

  it('maybeSingle() gets null for no row', async () => {
    const { data, error } = await anonClient().from('rest_read_units').select('name').eq('id', 9).maybeSingle()
    expect({ data, error }).toEqual({ data: null, error: null })
  })

  it('csv() gives a header line and quoted values', async () => {
    const { data } = await anonClient().from('rest_read_residents').select('id,name,tags').in('id', [1, 4]).order('id').csv()
    expect(data).toBe('id,name,tags\n1,Astrid,"[""music"",""garden""]"\n4,"Dag, ""the baker""","[""baking"",""music""]"')
  })

  it('strips nulls when asked', async () => {
    const response = await rest('/rest_read_residents?select=name,born&id=eq.3', {
      headers: { accept: 'application/vnd.pgrst.array+json;nulls=stripped' },
    })
    expect(await response.json()).toEqual([{ name: 'Camilla' }])
  })

  it('answers an unknown schema with 406 PGRST106 and an unknown table with 404 PGRST205', async () => {
    const schema = await rest('/rest_read_units', { headers: { 'accept-profile': 'private' } })
    expect(schema.status).toBe(406)
    expect(await schema.json()).toMatchObject({ code: 'PGRST106' })
    const table = await anonClient().schema('graphql_public').from('rest_read_units').select()
    expect(table.status).toBe(404)
    expect(table.error).toMatchObject({
      code: 'PGRST205', message: 'Could not find the table \'graphql_public.rest_read_units\' in the schema cache',
    })
  })
})

describe('row-level security decides what a reader sees', () => {
  it('hides private life events from anon but not from a signed-in person', async () => {
    const anon = await anonClient().from('rest_read_life_events').select('title').eq('resident_id', 1).order('id')
    expect(anon.data!.map(r => r.title)).toEqual(['Born in Bergen', 'Married Olav'])
    const signedIn = await (await clientAs(alice)).from('rest_read_life_events').select('title').eq('resident_id', 1).order('id')
    expect(signedIn.data!.map(r => r.title)).toEqual(['Born in Bergen', 'Married Olav', 'Hospital stay'])
    const service = await serviceClient().from('rest_read_life_events').select('id', { count: 'exact', head: true })
    expect(service.count).toBe(4)
  })

  it('applies RLS inside embeds too', async () => {
    const { data } = await anonClient().from('rest_read_residents').select('rest_read_life_events(title)').eq('id', 1)
    expect(data![0].rest_read_life_events).toHaveLength(2)
  })
})

describe('more embedding', () => {
  it('orders parents by a column of a to-one embed', async () => {
    const { data, error } = await anonClient().from('rest_read_residents')
      .select('name, unit:rest_read_units(name)').not('unit_id', 'is', null).order('unit(name)', { ascending: false }).order('id')
    expect(error).toBeNull()
    expect(data!.map(r => r.name)).toEqual(['Camilla', 'Astrid', 'Bjørn'])
  })

  it('refuses to order by a to-many embed', async () => {
    const { status, error } = await anonClient().from('rest_read_residents')
      .select('name, rest_read_life_events(year)').order('rest_read_life_events(year)')
    expect([status, error?.code]).toEqual([400, 'PGRST118'])
  })

  it('spreads a to-many embed into arrays and a junction\'s columns next to the far side', async () => {
    const { data, error } = await anonClient().from('rest_read_residents')
      .select('name, ...rest_read_life_events(titles:title)').eq('id', 1)
    expect(error).toBeNull()
    expect(data).toEqual([{ name: 'Astrid', titles: ['Born in Bergen', 'Married Olav'] }])
    const junction = await anonClient().from('rest_read_residents')
      .select('name, relatives:rest_read_resident_relatives(relative_id, ...rest_read_relatives(name))').eq('id', 2)
    expect(junction.data).toEqual([{ name: 'Bjørn', relatives: [{ relative_id: 2, name: 'Per' }] }])
  })

  it('combines embed null checks in or across embeds', async () => {
    const { data } = await anonClient().from('rest_read_residents')
      .select('name, rest_read_units(), rest_read_life_events()').or('rest_read_units.is.null,rest_read_life_events.not.is.null').order('id')
    expect(data).toEqual([{ name: 'Astrid' }, { name: 'Bjørn' }, { name: 'Dag, "the baker"' }])
  })

  it('nests embeds with filters at the inner level', async () => {
    const { data, error } = await anonClient().from('rest_read_units')
      .select('name, rest_read_residents(name, rest_read_life_events(title))').eq('id', 1)
      .eq('rest_read_residents.rest_read_life_events.year', 1945).order('id', { referencedTable: 'rest_read_residents' })
    expect(error).toBeNull()
    expect(data).toEqual([{ name: 'Sjøsiden', rest_read_residents: [
      { name: 'Astrid', rest_read_life_events: [] },
      { name: 'Bjørn', rest_read_life_events: [{ title: 'First boat' }] },
    ] }])
  })

  it('embeds through views by the foreign keys of their base tables, both ways', async () => {
    const fromView = await anonClient().from('rest_read_resident_cards')
      .select('name, rest_read_units(name), rest_read_life_events(year)').eq('id', 2)
    expect(fromView.error).toBeNull()
    expect(fromView.data).toEqual([{ name: 'Bjørn', rest_read_units: { name: 'Sjøsiden' }, rest_read_life_events: [{ year: 1945 }] }])
    const toView = await anonClient().from('rest_read_units').select('name, rest_read_resident_cards(name)').eq('id', 2)
    expect(toView.data).toEqual([{ name: 'Skogen', rest_read_resident_cards: [{ name: 'Camilla' }] }])
  })

  it('selects, filters and orders by computed fields', async () => {
    const { data, error } = await anonClient().from('rest_read_residents')
      .select('id, label:rest_read_label').like('rest_read_label', '*(1)').order('rest_read_label', { ascending: false })
    expect(error).toBeNull()
    expect(data).toEqual([{ id: 2, label: 'Bjørn (1)' }, { id: 1, label: 'Astrid (1)' }])
  })

  it('embeds through computed relationships, the way to follow a table that refers to itself', async () => {
    const { data, error } = await anonClient().from('rest_read_people')
      .select('name, mentor:rest_read_mentor(name), rest_read_mentees(name)').order('id')
    expect(error).toBeNull()
    expect(data).toEqual([
      { name: 'Olav', mentor: null, rest_read_mentees: [{ name: 'Kari' }, { name: 'Nils' }] },
      { name: 'Kari', mentor: { name: 'Olav' }, rest_read_mentees: [] },
      { name: 'Nils', mentor: { name: 'Olav' }, rest_read_mentees: [] },
    ])
    const plain = await anonClient().from('rest_read_people').select('name, rest_read_people(name)')
    expect(plain.error).toMatchObject({ code: 'PGRST201' })
  })

  it('returns the representation of a write with embeds', async () => {
    const { data, error } = await serviceClient().from('rest_read_life_events')
      .insert({ id: 99, resident_id: 2, title: 'Retired', year: 1993 }).select('title, resident:rest_read_residents(name)').single()
    expect(error).toBeNull()
    expect(data).toEqual({ title: 'Retired', resident: { name: 'Bjørn' } })
    await sql('delete from rest_read_life_events where id = 99')
  })
})
