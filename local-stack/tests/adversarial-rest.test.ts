import { beforeAll, describe, expect, it } from 'vitest'
import { signJwt } from '../src/jwt.ts'
import { sql, stack, userToken } from './support.ts'

// Attacks on the REST API from outside: SQL in every parameter, forged and
// escalating tokens, other users' rows, and writes that fail halfway. Each must
// end in a PostgREST-shaped error, leak nothing and leave no row behind.
const alice = '00000000-0000-4000-8000-0000000ad0a1'
const bob = '00000000-0000-4000-8000-0000000ad0b0'
const table = 'adversarial_notes'
let aliceToken = ''

beforeAll(async () => {
  aliceToken = await userToken(alice)
  await sql(`
    drop table if exists ${table} cascade;
    create table ${table} (id int generated always as identity primary key, owner uuid not null default auth.uid(),
      body text, tags text[] not null default '{}', n int not null default 0);
    alter table ${table} enable row level security;
    create policy "Own notes" on ${table} for all to authenticated
      using (owner = auth.uid()) with check (owner = auth.uid());
    grant all on ${table} to anon, authenticated;
    insert into ${table} (owner, body) values ('${alice}', 'alice''s note'), ('${bob}', 'bob''s secret');
    create or replace function adversarial_echo(t text) returns text language sql as $$ select t $$;
  `)
})

function rest(path: string, init: RequestInit & { headers?: Record<string, string> } = {}, token = aliceToken) {
  return fetch(`${stack.apiUrl}/rest/v1${path}`, {
    ...init, headers: { 'apikey': stack.anonKey, 'authorization': `Bearer ${token}`, 'content-type': 'application/json', ...init.headers },
  })
}

async function bodies() {
  const { rows } = await sql(`select body from ${table} order by id`)
  return rows.map(row => row.body as string)
}

const q = encodeURIComponent
const upsert = { Prefer: 'resolution=merge-duplicates' }

describe('SQL in any parameter is refused or taken as a value', () => {
  const cases: [string, string, RequestInit & { headers?: Record<string, string> }, number, string][] = [
    ['select: a quoted name followed by SQL', `/${table}?select=body,"x"from pg_authid--`, {}, 400, 'PGRST100'],
    ['select: a cast followed by SQL', `/${table}?select=${q('body::text);select 1--')}`, {}, 400, 'PGRST100'],
    ['select: a cast to an array and SQL', `/${table}?select=${q('body::text[]; drop table x')}`, {}, 400, 'PGRST100'],
    ['filter: SQL in the column', `/${table}?${q('body"=body or "1')}=eq.1`, {}, 400, 'PGRST100'],
    ['filter: in() with SQL after it', `/${table}?id=in.(1,2) or true`, {}, 400, 'PGRST100'],
    ['filter: or() with a bare true', `/${table}?or=(id.eq.1,true)`, {}, 400, 'PGRST100'],
    ['filter: unbalanced or()', `/${table}?or=(((((`, {}, 400, 'PGRST100'],
    ['filter: fts with SQL in the language', `/${table}?body=fts(${q('english\');select 1--')}).x`, {}, 400, 'PGRST100'],
    ['order: SQL after the column', `/${table}?order=${q('id;drop table adversarial_notes')}`, {}, 400, '42703'],
    ['limit: beyond any integer', `/${table}?limit=99999999999999999999`, {}, 400, 'PGRST100'],
    ['Accept-Profile: SQL in the schema', `/${table}`, { headers: { 'Accept-Profile': 'public";drop' } }, 406, 'PGRST106'],
    ['Accept-Profile: the auth schema', '/users', { headers: { 'Accept-Profile': 'auth' } }, 406, 'PGRST106'],
    ['path: a table climbing into auth', '/..%2Fauth%2Fusers', {}, 404, 'PGRST205'],
    ['path: a schema-qualified table', '/auth.users', {}, 404, 'PGRST205'],
    ['columns: SQL in a column name', `/${table}?columns=${q('body")values(1);--')}`,
      { method: 'POST', body: '{"body":"x"}' }, 400, 'PGRST204'],
    ['body: SQL in a key', `/${table}`, { method: 'POST', body: '{"body\\") values (1);--":"x"}' }, 400, 'PGRST204'],
    ['on_conflict: SQL after the column', `/${table}?on_conflict=${q('id) do nothing;--')}`,
      { method: 'POST', body: '{"body":"x"}', headers: upsert }, 400, '42703'],
    ['rpc: SQL in an argument name', '/rpc/adversarial_echo',
      { method: 'POST', body: '{"t\\" => 1);--":"x"}' }, 404, 'PGRST202'],
    ['embed: an unknown relation with a filter', `/${table}?select=*,x(*)&x.id=eq.1`, {}, 400, 'PGRST200'],
  ]
  it.each(cases)('%s', async (_name, path, init, status, code) => {
    const response = await rest(path, init)
    expect(response.status).toBe(status)
    expect(await response.json()).toMatchObject({ code, message: expect.any(String) })
    expect(await bodies()).toEqual(['alice\'s note', 'bob\'s secret'])
  })

  it.each([
    ['a filter value', `/${table}?body=eq.${q('x\' or \'1\'=\'1')}`],
    ['a like pattern', `/${table}?body=like.${q('%\' or true --')}`],
  ])('SQL in %s is only a value', async (_name, path) => {
    const response = await rest(path)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual([])
  })

  it('SQL in an rpc argument comes back as the text it is', async () => {
    for (const response of [
      await rest('/rpc/adversarial_echo', { method: 'POST', body: JSON.stringify({ t: 'x\');select 1--' }) }),
      await rest(`/rpc/adversarial_echo?t=${q('\'; select 1')}`),
    ]) {
      expect(response.status).toBe(200)
      expect(await response.json()).toMatch(/select 1/)
    }
  })
})

describe('tokens that try to climb', () => {
  const now = () => Math.floor(Date.now() / 1000)
  const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url')
  it.each([
    ['alg none claiming service_role', async () => `${b64({ alg: 'none', typ: 'JWT' })}.${b64({ role: 'service_role', exp: now() + 60 })}.`, 401],
    ['service_role signed with another secret', () => signJwt('another-secret-another-secret-another', { role: 'service_role', exp: now() + 60 }), 401],
    ['service_role not valid before an hour from now', () => signJwt(stack.jwtSecret, { role: 'service_role', exp: now() + 7200, nbf: now() + 3600 }), 401],
    ['the role postgres', () => signJwt(stack.jwtSecret, { role: 'postgres', exp: now() + 60 }), 403],
    ['the role supabase_admin', () => signJwt(stack.jwtSecret, { role: 'supabase_admin', exp: now() + 60 }), 403],
  ])('%s reads nothing', async (_name, token, status) => {
    const response = await rest(`/${table}?select=body`, {}, await token())
    expect(response.status).toBe(status)
    expect(JSON.stringify(await response.json())).not.toContain('secret')
  })
})

describe('other users\' rows and half-done writes', () => {
  it.each([
    ['an insert in bob\'s name', `/${table}`, { method: 'POST', body: JSON.stringify({ body: 'planted', owner: bob }) }, 403],
    ['a bulk insert whose second row is bob\'s', `/${table}?columns=body,owner`,
      { method: 'POST', body: JSON.stringify([{ body: 'planted', owner: alice }, { body: 'planted', owner: bob }]) }, 403],
    ['a bulk insert whose second row is not an int', `/${table}?columns=body,n`,
      { method: 'POST', body: JSON.stringify([{ body: 'planted', n: 1 }, { body: 'planted', n: 'abc' }]) }, 400],
    ['an update without a filter', `/${table}`, { method: 'PATCH', body: '{"body":"planted"}' }, 400],
    ['a delete without a filter', `/${table}`, { method: 'DELETE' }, 400],
    ['a body that is not JSON', `/${table}`, { method: 'POST', body: '{"body":' }, 400],
    ['a body that is a number', `/${table}`, { method: 'POST', body: '42' }, 400],
    ['a body in XML', `/${table}`, { method: 'POST', body: '<x/>', headers: { 'content-type': 'application/xml' } }, 415],
  ])('%s changes nothing', async (_name, path, init, status) => {
    const response = await rest(path, init)
    expect(response.status).toBe(status)
    expect(await response.json()).toHaveProperty('code')
    expect(await bodies()).toEqual(['alice\'s note', 'bob\'s secret'])
  })

  it('an update aimed at bob\'s row finds nothing', async () => {
    const response = await rest(`/${table}?body=eq.${q('bob\'s secret')}`,
      { method: 'PATCH', body: '{"body":"changed"}', headers: { Prefer: 'return=representation' } })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual([])
    expect(await bodies()).toEqual(['alice\'s note', 'bob\'s secret'])
  })
})
