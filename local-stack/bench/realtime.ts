// `npm run bench:realtime`: latency from commit to delivery of postgres_changes with 1, 50 and 200
// subscribers (each a different user, on an RLS table, so every event is checked per subscriber),
// next to the time of the bare INSERT, and the round trip of a broadcast. The stack runs in its
// own process on free ports in a throwaway data folder, as `npm run stack` would.
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import WebSocket from 'ws'
import { dbUrl, loadConfig, readSecrets } from '../src/config.ts'
import { signJwt } from '../src/jwt.ts'
import { freePort } from '../src/ports.ts'

const EVENTS_PER_SECOND = 50
const EVENTS_PER_TIER = Number(process.env.BENCH_EVENTS ?? 200)
const TIERS = (process.env.BENCH_SUBSCRIBERS ?? '1,50,200').split(',').map(Number)

function percentiles(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b)
  const at = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
  return { n: sorted.length, p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted.at(-1) ?? 0 }
}

function format(label: string, stats: ReturnType<typeof percentiles>) {
  const ms = (v: number) => `${v.toFixed(1)} ms`.padStart(9)
  return `${label.padEnd(34)} n=${String(stats.n).padStart(6)}  p50 ${ms(stats.p50)}  p95 ${ms(stats.p95)}`
    + `  p99 ${ms(stats.p99)}  max ${ms(stats.max)}`
}

/**
 * CPU time (ms) used so far by a process and all its descendants (the stack and its
 * Postgres), from /proc: a figure that, unlike latency, a busy machine does not inflate.
 */
function treeCpuMs(root: number) {
  const stats = new Map<number, { ppid: number, ticks: number }>()
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8')
      const fields = text.slice(text.lastIndexOf(')') + 2).split(' ')
      stats.set(Number(entry), { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) })
    }
    catch {
      // The process ended while we looked; it no longer counts.
    }
  }
  let ticks = 0
  const queue = [root]
  while (queue.length) {
    const pid = queue.pop()!
    ticks += stats.get(pid)?.ticks ?? 0
    for (const [child, stat] of stats) if (stat.ppid === pid) queue.push(child)
  }
  return ticks * 10 // USER_HZ is 100 on Linux
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

async function startStackProcess(env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local-stack/cli.ts', 'start'], {
    env: { ...env, STACK_LOG_REQUESTS: '0', FORCE_COLOR: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString()
      if (text.includes('API on')) resolve()
      // The stack's own complaints (e.g. a change it could not send) belong in the report.
      for (const line of text.split('\n')) if (line.startsWith('realtime')) console.error(line)
    })
    child.once('exit', code => reject(new Error(`the stack exited with code ${code} before it was ready`)))
  })
  return child
}

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'minnespor-bench-realtime-'))
  const env = { ...process.env, STACK_DATA_DIR: dataDir, STACK_API_PORT: String(await freePort()),
    STACK_MAILBOX_PORT: String(await freePort()), STACK_PG_PORT: String(await freePort()), DATABASE_URL: '' }
  const config = loadConfig(env)
  const stack = await startStackProcess(env)
  const clients: SupabaseClient[] = []
  try {
    const secrets = readSecrets(config)!
    const apiUrl = `http://${config.host}:${config.apiPort}`
    const db = new pg.Client({ connectionString: dbUrl(config, secrets) })
    await db.connect()
    await db.query(`create table public.bench_events (id bigint generated always as identity primary key,
        room text not null, body text not null);
      alter table public.bench_events enable row level security;
      create policy "Signed-in users can read the lounge" on public.bench_events for select to authenticated
        using (room = 'lounge' and auth.uid() is not null);
      alter publication supabase_realtime add table public.bench_events;`)

    const clientFor = async () => {
      const iat = Math.floor(Date.now() / 1000)
      const token = await signJwt(secrets.jwtSecret, { sub: randomUUID(), role: 'authenticated', iat, exp: iat + 3600 })
      const client = createClient(apiUrl, secrets.anonKey, {
        auth: { persistSession: false, autoRefreshToken: false },
        accessToken: async () => token,
        realtime: { transport: WebSocket as never },
      })
      clients.push(client)
      return client
    }

    // Latencies on a busy machine mean little; say how busy it was.
    const load = () => loadavg().map(l => l.toFixed(1)).join(' ')
    console.log(`Realtime on loopback, ${EVENTS_PER_TIER} INSERTs per tier at ${EVENTS_PER_SECOND}/s; `
      + `${cpus().length} CPUs, load average ${load()}\n`)
    for (const subscribers of TIERS) {
      const received = new Map<number, number[]>()
      const joined = []
      for (let i = 0; i < subscribers; i++) {
        const client = await clientFor()
        joined.push(new Promise<void>((resolve, reject) => {
          client.channel(`bench-${subscribers}-${i}`).on('postgres_changes' as never,
            { event: 'INSERT', schema: 'public', table: 'bench_events' } as never,
            ((change: { new: { id: number } }) => {
              const at = performance.now()
              const list = received.get(change.new.id) ?? []
              list.push(at)
              received.set(change.new.id, list)
            }) as never).subscribe((status) => {
            if (status === 'SUBSCRIBED') resolve()
            else if (status !== 'CLOSED') reject(new Error(`a subscriber could not join: ${status}`))
          })
        }))
      }
      await Promise.all(joined)

      const cpuBefore = treeCpuMs(stack.pid!)
      const committed = new Map<number, number>()
      const insertTimes: number[] = []
      for (let i = 0; i < EVENTS_PER_TIER; i++) {
        const due = performance.now() + 1000 / EVENTS_PER_SECOND
        const started = performance.now()
        const { rows } = await db.query(`insert into public.bench_events (room, body) values ('lounge', $1) returning id`,
          [`event ${i}`])
        const done = performance.now()
        insertTimes.push(done - started)
        committed.set(Number(rows[0].id), done)
        await sleep(Math.max(0, due - performance.now()))
      }
      const expected = EVENTS_PER_TIER * subscribers
      const deadline = Date.now() + 30_000
      const count = () => [...received.values()].reduce((n, l) => n + l.length, 0)
      while (count() < expected && Date.now() < deadline) await sleep(20)

      const cpuPerEvent = (treeCpuMs(stack.pid!) - cpuBefore) / EVENTS_PER_TIER
      const latencies: number[] = []
      for (const [id, times] of received) for (const t of times) latencies.push(t - committed.get(id)!)
      console.log(format(`bare INSERT (${subscribers} subscribers)`, percentiles(insertTimes)))
      console.log(format(`commit → delivery, ${subscribers} subscriber(s)`, percentiles(latencies)))
      console.log(`  stack + Postgres CPU per event: ${cpuPerEvent.toFixed(2)} ms`)
      if (count() !== expected) console.log(`  ! delivered ${count()} of ${expected}`)
      console.log('')
      await Promise.all(clients.splice(0).map(async (c) => {
        await c.removeAllChannels()
        c.realtime.disconnect()
      }))
    }

    const client = await clientFor()
    const echoes = new Map<number, () => void>()
    const channel = client.channel('bench-echo', { config: { broadcast: { self: true } } })
      .on('broadcast', { event: 'echo' }, ({ payload }) => echoes.get(payload.n)?.())
    await new Promise<void>(resolve => channel.subscribe(s => s === 'SUBSCRIBED' && resolve()))
    const roundTrips: number[] = []
    for (let n = 0; n < 500; n++) {
      const started = performance.now()
      await new Promise<void>((resolve) => {
        echoes.set(n, resolve)
        void channel.send({ type: 'broadcast', event: 'echo', payload: { n } })
      })
      roundTrips.push(performance.now() - started)
    }
    console.log(format('broadcast round trip (self)', percentiles(roundTrips)))
    console.log(`\nload average at the end: ${load()}`)
    await db.end()
  }
  finally {
    await Promise.all(clients.map(async (c) => {
      await c.removeAllChannels()
      c.realtime.disconnect()
    }))
    stack.kill('SIGTERM')
    await new Promise(resolve => stack.once('exit', resolve))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(`bench:realtime failed: ${(error as Error).message}`)
  process.exit(1)
})
