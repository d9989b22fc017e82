import { beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { anonClient, clientAs, sql, stack } from './support.ts'

// supabase-js builds a realtime client even for REST; Node 20 has no global WebSocket.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

const alice = '00000000-0000-4000-8000-00000000a11c'

beforeAll(async () => {
  await sql(`
    drop table if exists rest_rpc_residents cascade;
    create table rest_rpc_residents (id int primary key, name text not null, unit text);
    insert into rest_rpc_residents values (1, 'Astrid', 'Sjøsiden'), (2, 'Bjørn', 'Sjøsiden'), (3, 'Camilla', 'Skogen');

    create or replace function rest_rpc_add(a int, b int default 10) returns int
      language sql immutable as $$ select a + b $$;
    create or replace function rest_rpc_whoami() returns text
      language sql stable as $$ select coalesce(auth.uid()::text, 'nobody') || ' as ' || current_user $$;
    create or replace function rest_rpc_residents_in(unit_name text) returns setof rest_rpc_residents
      language sql stable as $$ select * from rest_rpc_residents where unit = unit_name order by id $$;
    create or replace function rest_rpc_resident(resident_id int) returns rest_rpc_residents
      language sql stable as $$ select * from rest_rpc_residents where id = resident_id $$;
    create or replace function rest_rpc_numbers(up_to int) returns setof int
      language sql immutable as $$ select generate_series(1, up_to) $$;
    create or replace function rest_rpc_rename(resident_id int, new_name text) returns void
      language sql as $$ update rest_rpc_residents set name = new_name where id = resident_id $$;
    create or replace function rest_rpc_echo(json) returns json
      language sql immutable as $$ select $1 $$;
    create or replace function rest_rpc_sum(numbers int[]) returns int
      language sql immutable as $$ select sum(n)::int from unnest(numbers) n $$;
    create or replace function rest_rpc_table(min_id int) returns table (resident text, place text)
      language sql stable as $$ select name, unit from rest_rpc_residents where id >= min_id order by id $$;
    create or replace function rest_rpc_refuse() returns void
      language plpgsql as $$ begin raise exception 'Residents cannot be removed while they live here'; end $$;
    create or replace function rest_rpc_custom() returns void
      language plpgsql as $$ begin
        raise sqlstate 'PGRST' using message = '{"code":"MINNE1","message":"Payment required","details":"d","hint":"h"}',
          detail = '{"status":402,"headers":{"X-Powered-By":"Minnespor"}}';
      end $$;
  `)
})

function rest(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${stack.apiUrl}/rest/v1${path}`, {
    ...init,
    headers: { 'apikey': stack.anonKey, 'content-type': 'application/json', ...init.headers },
  })
}

describe('calling functions', () => {
  it('returns a scalar as a bare value, by POST and by GET, with defaults', async () => {
    expect((await anonClient().rpc('rest_rpc_add', { a: 1, b: 2 })).data).toBe(3)
    expect((await anonClient().rpc('rest_rpc_add', { a: 1 })).data).toBe(11)
    expect((await anonClient().rpc('rest_rpc_add', { a: 5, b: 5 }, { get: true })).data).toBe(10)
  })

  it('runs as the caller', async () => {
    expect((await anonClient().rpc('rest_rpc_whoami')).data).toBe('nobody as anon')
    expect((await (await clientAs(alice)).rpc('rest_rpc_whoami')).data).toBe(`${alice} as authenticated`)
  })

  it('returns a set of rows that can be filtered, ordered and limited like a table', async () => {
    const { data } = await anonClient().rpc('rest_rpc_residents_in', { unit_name: 'Sjøsiden' }).select('name').order('id', { ascending: false })
    expect(data).toEqual([{ name: 'Bjørn' }, { name: 'Astrid' }])
    const filtered = await anonClient().rpc('rest_rpc_residents_in', { unit_name: 'Sjøsiden' }, { get: true }).eq('name', 'Astrid')
    expect(filtered.data).toEqual([{ id: 1, name: 'Astrid', unit: 'Sjøsiden' }])
    const counted = await anonClient().rpc('rest_rpc_residents_in', { unit_name: 'Sjøsiden' }, { count: 'exact' }).limit(1)
    expect([counted.data!.length, counted.count]).toEqual([1, 2])
  })

  it('returns one composite row as an object and a table function as objects', async () => {
    expect((await anonClient().rpc('rest_rpc_resident', { resident_id: 3 })).data).toEqual({ id: 3, name: 'Camilla', unit: 'Skogen' })
    expect((await anonClient().rpc('rest_rpc_table', { min_id: 2 })).data).toEqual([
      { resident: 'Bjørn', place: 'Sjøsiden' }, { resident: 'Camilla', place: 'Skogen' },
    ])
  })

  it('returns a set of scalars as an array', async () => {
    expect((await anonClient().rpc('rest_rpc_numbers', { up_to: 3 })).data).toEqual([1, 2, 3])
  })

  it('answers a void function with 204 and no body', async () => {
    const { status, data, error } = await anonClient().rpc('rest_rpc_rename', { resident_id: 3, new_name: 'Camilla R.' })
    expect([status, data, error]).toEqual([204, null, null])
    const { rows } = await sql('select name from rest_rpc_residents where id = 3')
    expect(rows[0].name).toBe('Camilla R.')
  })

  it('passes the whole body to a function with a single unnamed json parameter', async () => {
    expect((await anonClient().rpc('rest_rpc_echo', { any: ['thing', 1] })).data).toEqual({ any: ['thing', 1] })
  })

  it('takes arrays by POST and by GET', async () => {
    expect((await anonClient().rpc('rest_rpc_sum', { numbers: [1, 2, 3] })).data).toBe(6)
    expect((await anonClient().rpc('rest_rpc_sum', { numbers: [4, 5] }, { get: true })).data).toBe(9)
  })

  it('refuses a writing function called by GET with 405 25006, and changes nothing', async () => {
    const response = await rest('/rpc/rest_rpc_rename?resident_id=1&new_name=Changed')
    expect(response.status).toBe(405)
    expect(await response.json()).toMatchObject({ code: '25006' })
    const { rows } = await sql('select name from rest_rpc_residents where id = 1')
    expect(rows[0].name).toBe('Astrid')
  })

  it('answers an unknown function or wrong arguments with 404 PGRST202', async () => {
    const unknown = await anonClient().rpc('rest_rpc_nothing')
    expect([unknown.status, unknown.error?.code]).toEqual([404, 'PGRST202'])
    const wrong = await anonClient().rpc('rest_rpc_add', { c: 1 })
    expect(wrong.error).toMatchObject({ code: 'PGRST202', message: 'Could not find the function public.rest_rpc_add(c) in the schema cache' })
  })

  it('answers a raised exception with 400 P0001 and its message', async () => {
    const { status, error } = await anonClient().rpc('rest_rpc_refuse')
    expect(status).toBe(400)
    expect(error).toMatchObject({ code: 'P0001', message: 'Residents cannot be removed while they live here' })
  })

  it('lets a function choose status, headers and body with RAISE SQLSTATE \'PGRST\'', async () => {
    const response = await rest('/rpc/rest_rpc_custom', { method: 'POST', body: '{}' })
    expect(response.status).toBe(402)
    expect(response.headers.get('x-powered-by')).toBe('Minnespor')
    expect(await response.json()).toEqual({ code: 'MINNE1', message: 'Payment required', details: 'd', hint: 'h' })
  })

  it('answers HEAD with headers only and csv() with a header line', async () => {
    const head = await anonClient().rpc('rest_rpc_residents_in', { unit_name: 'Sjøsiden' }, { head: true, count: 'exact' })
    expect([head.status, head.data, head.count]).toEqual([200, null, 2])
    const { data } = await anonClient().rpc('rest_rpc_table', { min_id: 1 }).eq('place', 'Sjøsiden').csv()
    expect(data).toBe('resident,place\nAstrid,Sjøsiden\nBjørn,Sjøsiden')
  })

  it('answers a bad argument value with 400 22P02', async () => {
    const { status, error } = await anonClient().rpc('rest_rpc_add', { a: 'one' })
    expect([status, error?.code]).toEqual([400, '22P02'])
  })
})
