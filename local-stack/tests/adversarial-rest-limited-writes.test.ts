import { beforeEach, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { anonClient, sql } from './support.ts'

// supabase-js builds a realtime client even for REST; Node 20 has no global WebSocket.
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

// A limit on an update or delete (PostgREST's limited update/delete) must never
// be ignored: a client that asks to change one row must not change them all.
const table = 'adversarial_limited'

beforeEach(async () => {
  await sql(`
    create table if not exists ${table} (id int primary key, name text not null);
    grant select, update, delete on ${table} to anon;
    truncate ${table};
    insert into ${table} values (1, 'a'), (2, 'b'), (3, 'c');
  `)
})

async function names() {
  const { rows } = await sql(`select name from ${table} order by id`)
  return rows.map(row => row.name as string)
}

describe('limited writes', () => {
  it('an update with order and limit 1 changes only the first row', async () => {
    const { error } = await anonClient().from(table).update({ name: 'x' }).gt('id', 0).order('id').limit(1)
    expect(error).toBeNull()
    expect(await names()).toEqual(['x', 'b', 'c'])
  })

  it('a delete with order and limit 1 removes only the first row', async () => {
    const { error } = await anonClient().from(table).delete().gt('id', 0).order('id').limit(1)
    expect(error).toBeNull()
    expect(await names()).toEqual(['b', 'c'])
  })
})

describe('limited writes need an order', () => {
  it('refuses a limit without order, as PostgREST does, and changes nothing', async () => {
    const { error } = await anonClient().from(table).delete().gt('id', 0).limit(1)
    expect(error?.code).toBe('PGRST109')
    expect(await names()).toEqual(['a', 'b', 'c'])
  })

  it('skips the offset rows', async () => {
    const { error } = await anonClient().from(table).update({ name: 'y' }).gt('id', 0).order('id', { ascending: false }).range(1, 1)
    expect(error).toBeNull()
    expect(await names()).toEqual(['a', 'y', 'c'])
  })
})
