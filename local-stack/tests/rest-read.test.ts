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
    drop table if exists rest_read_visits, rest_read_resident_relatives, rest_read_relatives,
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
