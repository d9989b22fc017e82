import { randomUUID } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { realtimeClient, sleep, subscribed, unique } from './realtime-helpers.ts'
import { sql, stack } from './support.ts'

const CONNECTIONS = 200
const EVENTS = 50

describe('many clients', () => {
  it(`${CONNECTIONS} connections on one channel get ${EVENTS} events sent within a second, and the stack stays responsive`,
    { timeout: 90_000 }, async () => {
      const table = unique('rt_load')
      await sql(`create table public.${table} (id bigint generated always as identity primary key, n int);
        alter table public.${table} enable row level security;
        create policy "Signed-in users can read" on public.${table} for select to authenticated
          using (auth.uid() is not null);
        alter publication supabase_realtime add table public.${table};`)

      // Every connection is a different user, so every event is RLS-checked once per connection.
      const received = Array.from({ length: CONNECTIONS }, () => [] as number[])
      await Promise.all(received.map(async (list) => {
        const client = await realtimeClient(randomUUID())
        await subscribed(client.channel('lounge').on('postgres_changes' as never,
          { event: 'INSERT', schema: 'public', table } as never,
          ((change: { new: { n: number } }) => list.push(change.new.n)) as never), 30_000)
      }))

      const started = Date.now()
      for (let n = 0; n < EVENTS; n++) {
        await sql(`insert into public.${table} (n) values ($1)`, [n])
        await sleep(Math.max(0, started + (n + 1) * (1000 / EVENTS) - Date.now()))
      }
      const health = Date.now()
      const res = await fetch(`${stack.apiUrl}/realtime/v1/api/ping`)
      expect(res.status).toBe(200)
      expect(Date.now() - health).toBeLessThan(2_000)

      const deadline = Date.now() + 30_000
      while (received.some(list => list.length < EVENTS) && Date.now() < deadline) await sleep(50)
      const expected = Array.from({ length: EVENTS }, (_, n) => n)
      // Every connection got every event, once, in order; a failure names the connections that did not.
      const wrong = received.flatMap((list, i) =>
        JSON.stringify(list) === JSON.stringify(expected) ? [] : [`connection ${i}: ${list.join(',')}`])
      expect(wrong).toEqual([])
    })
})
