import { beforeAll, describe, expect, it } from 'vitest'
import pg from 'pg'
import WebSocket from 'ws'
import { signJwt } from '../src/jwt.ts'
import { anonClient, clientAs, serviceClient, sql, stack, userToken } from './support.ts'

// supabase-js builds a realtime client even for REST; Node 20 has no global WebSocket.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

const alice = '00000000-0000-4000-8000-00000000a11c'

beforeAll(async () => {
  await sql(`
    drop table if exists rest_safety_residents cascade;
    create table rest_safety_residents (id int primary key, name text not null, "full name" text);
    insert into rest_safety_residents values (1, 'Astrid', 'q'), (2, 'Bjørn', null);
    create or replace function rest_safety_settings() returns json language sql stable as $$
      select json_build_object(
        'timeout', current_setting('statement_timeout'),
        'method', current_setting('request.method', true),
        'path', current_setting('request.path', true),
        'client', current_setting('request.headers', true)::json->>'x-client',
        'search_path', current_setting('search_path'),
        'claims_role', current_setting('request.jwt.claims', true)::json->>'role')
    $$;
  `)
})

function rest(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  return fetch(`${stack.apiUrl}/rest/v1${path}`, { ...init, headers: { apikey: stack.anonKey, ...init.headers } })
}

describe('tokens', () => {
  const now = () => Math.floor(Date.now() / 1000)
  const cases: [string, () => Promise<string>, string, string][] = [
    ['an expired token', () => userToken(alice, { exp: now() - 120 }), 'PGRST303', 'JWT expired'],
    ['a token signed with another secret', () => signJwt('not-the-secret-of-this-stack-at-all', { role: 'authenticated', sub: alice }), 'PGRST301', ''],
    ['a token that is not a JWT', async () => 'definitely-not-a-jwt', 'PGRST301', ''],
    ['a token with a broken signature', async () => `${(await userToken(alice)).slice(0, -4)}AAAA`, 'PGRST301', ''],
    ['a token whose payload is not JSON', async () => 'eyJhbGciOiJIUzI1NiJ9.bm90IGpzb24.c2ln', 'PGRST301', ''],
  ]
  it.each(cases)('refuses %s with 401 and WWW-Authenticate', async (_, token, code, message) => {
    const response = await rest('/rest_safety_residents', { headers: { authorization: `Bearer ${await token()}` } })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token", error_description=".+"$/)
    expect(response.headers.get('proxy-status')).toBe(`PostgREST; error=${code}`)
    const body = await response.json()
    expect(body).toMatchObject({ code, details: null, hint: null })
    if (message) expect(body.message).toBe(message)
  })

  it('refuses a wrong apikey without a bearer token', async () => {
    const response = await fetch(`${stack.apiUrl}/rest/v1/rest_safety_residents`, { headers: { apikey: 'sb_publishable_wrong' } })
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ code: 'PGRST301' })
  })

  it('treats no token at all as anon, and the new-style keys as their roles', async () => {
    const none = await fetch(`${stack.apiUrl}/rest/v1/rpc/rest_safety_settings`)
    expect((await none.json()).claims_role).toBe('anon')
    const secret = await fetch(`${stack.apiUrl}/rest/v1/rpc/rest_safety_settings`, { headers: { apikey: stack.secretKey } })
    expect((await secret.json()).claims_role).toBe('service_role')
  })

  it('refuses a token whose role the API may not take', async () => {
    const token = await signJwt(stack.jwtSecret, { role: 'postgres', exp: Math.floor(Date.now() / 1000) + 60 })
    const response = await rest('/rest_safety_residents', { headers: { authorization: `Bearer ${token}` } })
    expect([401, 403]).toContain(response.status)
    expect(await response.json()).toHaveProperty('code')
  })
})

describe('each request runs in its own transaction as its role', () => {
  it('applies the role\'s own settings, the search path and the request settings', async () => {
    const anon = await anonClient().rpc('rest_safety_settings')
    expect(anon.data).toMatchObject({ timeout: '3s', method: 'POST', path: '/rpc/rest_safety_settings', search_path: '"public", "public", "extensions"' })
    const user = await (await clientAs(alice, {})).rpc('rest_safety_settings', {}, { get: true })
    expect(user.data).toMatchObject({ timeout: '8s', method: 'GET', claims_role: 'authenticated' })
    const header = await rest('/rpc/rest_safety_settings', { headers: { 'x-client': 'minnespor-test' } })
    expect((await header.json()).client).toBe('minnespor-test')
  })

  it('leaks nothing from one request into the next on the same connections', async () => {
    const user = await clientAs(alice)
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => i % 2
      ? anonClient().rpc('rest_safety_settings')
      : user.rpc('rest_safety_settings')))
    results.forEach((result, i) => expect(result.data.claims_role).toBe(i % 2 ? 'anon' : 'authenticated'))
  })

  it('serves many concurrent reads and writes correctly', async () => {
    await sql('drop table if exists rest_safety_counter; create table rest_safety_counter (id int primary key, n int not null)')
    await sql('insert into rest_safety_counter values (1, 0)')
    const client = serviceClient()
    const writes = Array.from({ length: 30 }, (_, i) => client.from('rest_safety_counter').insert({ id: i + 2, n: i }))
    const reads = Array.from({ length: 30 }, () => client.from('rest_safety_residents').select('name').order('id'))
    const results = await Promise.all([...writes, ...reads])
    expect(results.every(r => r.error === null)).toBe(true)
    results.slice(30).forEach(r => expect(r.data).toEqual([{ name: 'Astrid' }, { name: 'Bjørn' }]))
    const { rows } = await sql('select count(*)::int as n from rest_safety_counter')
    expect(rows[0].n).toBe(31)
  })
})

describe('bad input ends in a PostgREST error, never a crash', () => {
  const cases: [string, string, number, string][] = [
    ['an unknown operator', '/rest_safety_residents?name=like2.x', 400, 'PGRST100'],
    ['a filter without operator', '/rest_safety_residents?name=Astrid', 400, 'PGRST100'],
    ['an unknown column in select', '/rest_safety_residents?select=shoe_size', 400, '42703'],
    ['an unknown column in a filter', '/rest_safety_residents?shoe_size=eq.1', 400, '42703'],
    ['an unknown column in order', '/rest_safety_residents?order=shoe_size', 400, '42703'],
    ['a broken select', '/rest_safety_residents?select=name,(', 400, 'PGRST100'],
    ['an unclosed embed', '/rest_safety_residents?select=name,rest_safety_counter(id', 400, 'PGRST100'],
    ['a bad order direction', '/rest_safety_residents?order=name.sideways', 400, 'PGRST100'],
    ['a negative limit', '/rest_safety_residents?limit=-1', 400, 'PGRST100'],
    ['a text limit', '/rest_safety_residents?limit=ten', 400, 'PGRST100'],
    ['a broken logic tree', '/rest_safety_residents?or=(name.eq.A', 400, 'PGRST100'],
    ['a bad is value', '/rest_safety_residents?name=is.maybe', 400, 'PGRST100'],
    ['a bad in list', '/rest_safety_residents?id=in.1,2', 400, 'PGRST100'],
    ['a value of the wrong type', '/rest_safety_residents?id=eq.one', 400, '22P02'],
    ['a bad cast', '/rest_safety_residents?select=name::text;drop', 400, 'PGRST100'],
    ['an aggregate', '/rest_safety_residents?select=count()', 400, 'PGRST123'],
    ['absurdly deep embedding', `/rest_safety_residents?select=${'a('.repeat(5000)}id${')'.repeat(5000)}`, 400, 'PGRST100'],
    ['an absurdly deep logic tree', `/rest_safety_residents?or=${'(and'.repeat(3000)}(id.eq.1)${')'.repeat(3000)}`, 400, 'PGRST100'],
    ['a deep path', '/rest_safety_residents/1/2', 404, 'PGRST125'],
    ['a broken percent-encoding', '/rest_safety_%E0%A4%A', 400, 'PGRST100'],
  ]
  it.each(cases)('%s', async (_, path, status, code) => {
    const response = await rest(path)
    expect(response.status).toBe(status)
    const body = await response.json()
    expect(body).toMatchObject({ code })
    expect(Object.keys(body).sort()).toEqual(['code', 'details', 'hint', 'message'])
    expect(response.headers.get('proxy-status')).toBe(`PostgREST; error=${code}`)
  })

  it('refuses an unsupported Accept with 406 and an unsupported body type with 415', async () => {
    const accept = await rest('/rest_safety_residents', { headers: { accept: 'application/geo+json' } })
    expect([accept.status, (await accept.json()).code]).toEqual([406, 'PGRST107'])
    const body = await rest('/rest_safety_residents', { method: 'POST', body: 'id,name\n9,X', headers: { 'content-type': 'text/csv' } })
    expect(body.status).toBe(415)
  })

  it('answers HEAD with headers only', async () => {
    const response = await rest('/rest_safety_residents?select=id', { method: 'HEAD', headers: { prefer: 'count=exact' } })
    expect([response.status, response.headers.get('content-range'), await response.text()]).toEqual([200, '0-1/2', ''])
  })
})

describe('no input can inject SQL', () => {
  const attacks = [
    `name"; drop table rest_safety_residents; --`,
    `id) or (1=1`,
    `'; select pg_sleep(5); --`,
    `name\\"`,
  ]
  it.each(attacks)('a column name like %s is only ever a name', async (attack) => {
    for (const path of [
      `/rest_safety_residents?select=${encodeURIComponent(attack)}`,
      `/rest_safety_residents?${encodeURIComponent(attack)}=eq.1`,
      `/rest_safety_residents?order=${encodeURIComponent(attack)}`,
      `/rest_safety_residents?select=name->${encodeURIComponent(attack)}`,
    ]) {
      const response = await rest(path)
      expect(response.status).toBeGreaterThanOrEqual(400)
      expect(response.status).toBeLessThan(500)
    }
    const { rows } = await sql('select count(*)::int as n from rest_safety_residents')
    expect(rows[0].n).toBe(2)
  })

  it.each(attacks)('a value like %s is only ever a value', async (attack) => {
    const { data, error } = await anonClient().from('rest_safety_residents').select('id').eq('name', attack)
    expect([data, error]).toEqual([[], null])
    const inList = await anonClient().from('rest_safety_residents').select('id').in('name', [attack, 'Astrid'])
    expect(inList.data).toEqual([{ id: 1 }])
    const ored = await anonClient().from('rest_safety_residents').select('id').or(`name.eq."${attack.replace(/["\\]/g, '')}",id.eq.2`)
    expect(ored.data).toEqual([{ id: 2 }])
  })

  it('quotes column names with spaces correctly', async () => {
    const { data } = await anonClient().from('rest_safety_residents').select('id, "full name"').eq('id', 1)
    expect(data).toEqual([{ 'id': 1, 'full name': 'q' }])
    const filtered = await rest(`/rest_safety_residents?select=id&${encodeURIComponent('full name')}=eq.q`)
    expect(await filtered.json()).toEqual([{ id: 1 }])
  })
})

describe('schema changes', () => {
  it('finds a table made after start without a restart, and its new columns', async () => {
    await sql('drop table if exists rest_safety_late; create table rest_safety_late (id int primary key, note text)')
    await sql(`insert into rest_safety_late values (1, 'made late')`)
    const { data, error } = await anonClient().from('rest_safety_late').select('note')
    expect(error).toBeNull()
    expect(data).toEqual([{ note: 'made late' }])
    await sql('alter table rest_safety_late add column mood text default \'glad\'')
    await new Promise(resolve => setTimeout(resolve, 300))
    const inserted = await serviceClient().from('rest_safety_late').insert({ id: 2, mood: 'calm' }).select('id, mood').single()
    expect(inserted.data).toEqual({ id: 2, mood: 'calm' })
  })

  it('never reuses a statement prepared before a column changed type', async () => {
    await sql('drop table if exists rest_safety_moods; create table rest_safety_moods (id int primary key, level int)')
    await sql('insert into rest_safety_moods values (1, 5)')
    for (let i = 0; i < 8; i++) {
      const { data } = await anonClient().from('rest_safety_moods').select('id').eq('level', 5)
      expect(data).toEqual([{ id: 1 }])
    }
    await sql('alter table rest_safety_moods alter column level type text')
    await sql(`update rest_safety_moods set level = 'calm'`)
    await new Promise(resolve => setTimeout(resolve, 300))
    for (let i = 0; i < 8; i++) {
      const { data, error } = await anonClient().from('rest_safety_moods').select('id').eq('level', 'calm')
      expect([data, error]).toEqual([[{ id: 1 }], null])
    }
  })

  it('announces every DDL change with NOTIFY pgrst, \'reload schema\'', async () => {
    const listener = new pg.Client({ connectionString: stack.dbUrl })
    await listener.connect()
    try {
      const heard = new Promise<string | undefined>((resolve) => {
        listener.on('notification', message => resolve(message.payload))
      })
      await listener.query('listen pgrst')
      await sql('create table rest_safety_announced (id int); drop table rest_safety_announced')
      expect(await heard).toBe('reload schema')
    }
    finally {
      await listener.end()
    }
  })

  it('reloads on NOTIFY pgrst, \'reload schema\'', async () => {
    await sql(`notify pgrst, 'reload schema'`)
    const { error } = await anonClient().from('rest_safety_residents').select('id').limit(1)
    expect(error).toBeNull()
  })
})
