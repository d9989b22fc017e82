import { rmSync } from 'node:fs'
import { createClient } from '@supabase/supabase-js'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { startStack, throwawayStackConfig, type RunningStack } from '../src/stack.ts'
import { Inbox } from './realtime-helpers.ts'

const config = await throwawayStackConfig('realtime-restart')
let running: RunningStack | undefined

afterAll(async () => {
  await running?.stop()
  rmSync(config.dataDir, { recursive: true, force: true })
})

async function run(running: RunningStack, text: string) {
  const client = new pg.Client({ connectionString: running.dbUrl })
  await client.connect()
  try {
    return await client.query(text)
  }
  finally {
    await client.end()
  }
}

describe('a stack that restarts', () => {
  it('is rejoined by the client, which then receives new changes, each once', { timeout: 90_000 }, async () => {
    running = await startStack(config)
    await run(running, `create table public.visits (id bigint generated always as identity primary key, who text);
      alter publication supabase_realtime add table public.visits;`)
    const client = createClient(running.apiUrl, running.secrets.anonKey, {
      auth: { persistSession: false, autoRefreshToken: false },
      realtime: { transport: WebSocket as never, reconnectAfterMs: () => 300 },
    })
    const inbox = new Inbox<{ new: { who: string } }>()
    const statuses: string[] = []
    client.channel('visits').on('postgres_changes' as never, { event: 'INSERT', schema: 'public', table: 'visits' } as never,
      inbox.add as never).subscribe(status => statuses.push(status))
    const joinedTimes = async (n: number) => {
      const deadline = Date.now() + 30_000
      while (statuses.filter(s => s === 'SUBSCRIBED').length < n) {
        if (Date.now() > deadline) throw new Error(`the channel joined ${statuses.join(', ')}`)
        await new Promise(resolve => setTimeout(resolve, 50))
      }
    }

    await joinedTimes(1)
    await run(running, `insert into public.visits (who) values ('before')`)
    await inbox.wait(1)

    // A slot left by a run that crashed before it could clean up must not survive the next start.
    await run(running, `select pg_create_logical_replication_slot('local_stack_realtime_crashed', 'pgoutput')`)
    await running.stop()
    // Same data folder, same ports: the stack a developer restarts.
    running = await startStack(config)
    await joinedTimes(2)
    await run(running, `insert into public.visits (who) values ('after')`)
    await inbox.wait(2)
    await new Promise(resolve => setTimeout(resolve, 300))
    expect(inbox.items.map(c => c.new.who)).toEqual(['before', 'after'])

    const { rows } = await run(running, `select slot_name, temporary from pg_replication_slots`)
    expect(rows).toEqual([{ slot_name: expect.stringMatching(/^local_stack_realtime_[0-9a-f]{12}$/), temporary: true }])
    await client.removeAllChannels()
    client.realtime.disconnect()
  })
})
