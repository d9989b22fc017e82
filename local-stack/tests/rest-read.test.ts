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
