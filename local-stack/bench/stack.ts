// `npm run bench:stack`: how much the local stack adds to a typical RLS-filtered read.
// Starts a stack as its own process on free ports in a temp data folder, then times the same
// 20-row select with one embedded to-one relation through supabase-js and straight through pg.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createClient } from '@supabase/supabase-js'
import pg from 'pg'
import WebSocket from 'ws'
import { signJwt } from '../src/jwt.ts'
import type { StackSecrets } from '../src/config.ts'
import { freePort } from '../src/ports.ts'

const rounds = Number(process.env.BENCH_ROUNDS ?? 3000)
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8)
const owner = '00000000-0000-4000-8000-0000000be9c4'

async function startStackProcess(dataDir: string) {
  const ports = { api: await freePort(), mailbox: await freePort(), pg: await freePort() }
  const child = spawn(process.execPath, ['--import', 'tsx', 'local-stack/cli.ts', 'start'], {
    env: {
      ...process.env, STACK_DATA_DIR: dataDir, STACK_API_PORT: String(ports.api), STACK_MAILBOX_PORT: String(ports.mailbox),
      STACK_PG_PORT: String(ports.pg), STACK_LOG_REQUESTS: '0', DATABASE_URL: '', STACK_QUIET: '0',
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    let output = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString()
      if (output.includes('API on')) resolve()
    })
    child.once('exit', code => reject(new Error(`the stack exited with code ${code} before it was ready:\n${output}`)))
  })
  const secrets = JSON.parse(readFileSync(join(dataDir, 'secrets.json'), 'utf8')) as StackSecrets
  return { child, ports, secrets }
}

function rssMb(pid: number) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  return Number(status.match(/VmRSS:\s+(\d+)/)![1]) / 1024
}

function percentile(sorted: number[], p: number) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]
}

async function measure(name: string, once: () => Promise<unknown>) {
  for (let i = 0; i < 300; i++) await once()
  const latencies: number[] = []
  for (let i = 0; i < rounds; i++) {
    const started = performance.now()
    await once()
    latencies.push(performance.now() - started)
  }
  latencies.sort((a, b) => a - b)
  let done = 0
  const started = performance.now()
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (done < rounds) {
      done++
      await once()
    }
  }))
  const perSecond = rounds / ((performance.now() - started) / 1000)
  return { name, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99), perSecond }
}

const setupSql = `
  create table rest_bench_units (id bigint primary key, name text not null);
  create table rest_bench_residents (
    id bigint primary key, unit_id bigint not null references rest_bench_units(id),
    owner uuid not null, name text not null, born date, story text);
  create index on rest_bench_residents (owner, id);
  create index on rest_bench_residents (unit_id);
  insert into rest_bench_units select n, 'Unit ' || n from generate_series(1, 50) n;
  insert into rest_bench_residents
    select n, 1 + n % 50, case when n % 100 = 0 then '${owner}'::uuid else gen_random_uuid() end,
      'Resident ' || n, date '1930-01-01' + n, repeat('A life story. ', 10)
    from generate_series(1, 2000) n;
  alter table rest_bench_residents enable row level security;
  alter table rest_bench_units enable row level security;
  create policy "Owners read their residents" on rest_bench_residents for select to authenticated using (owner = auth.uid());
  create policy "Signed-in people read units" on rest_bench_units for select to authenticated using (true);
  analyze;`

const directSql = `select r.id, r.name, r.born, r.story, json_build_object('name', u.name) as unit
  from rest_bench_residents r left join rest_bench_units u on u.id = r.unit_id
  order by r.id limit 20`

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'minnespor-bench-'))
  let child: ChildProcess | undefined
  try {
    const started = await startStackProcess(dataDir)
    child = started.child
    const { ports, secrets } = started
    const host = `127.0.0.1:${ports.pg}`
    const admin = new pg.Client({ connectionString: `postgresql://postgres:${secrets.pgPassword}@${host}/postgres` })
    await admin.connect()
    await admin.query(setupSql)
    await admin.end()
    await new Promise(resolve => setTimeout(resolve, 500))
    const restRss = rssMb(child.pid!)

    const iat = Math.floor(Date.now() / 1000)
    const claims = { sub: owner, role: 'authenticated', aud: 'authenticated', iat, exp: iat + 3600 }
    const token = await signJwt(secrets.jwtSecret, claims)
    // The token comes through `accessToken`, as with a third-party auth provider, so the
    // figures hold the REST round trip and not auth-js's session lock on every call.
    const supabase = createClient(`http://127.0.0.1:${ports.api}`, secrets.anonKey, {
      accessToken: async () => token,
      realtime: { transport: WebSocket as never },
    })
    const viaStack = () => supabase.from('rest_bench_residents')
      .select('id, name, born, story, unit:rest_bench_units(name)').order('id').limit(20)
      .then(({ data, error }) => {
        if (error || data?.length !== 20) throw new Error(`unexpected answer: ${JSON.stringify(error ?? data?.length)}`)
      })

    const url = `http://127.0.0.1:${ports.api}/rest/v1/rest_bench_residents`
      + '?select=id,name,born,story,unit:rest_bench_units(name)&order=id&limit=20'
    const headers = { apikey: secrets.anonKey, authorization: `Bearer ${token}` }
    const viaFetch = async () => {
      const response = await fetch(url, { headers })
      if (response.status !== 200) throw new Error(`unexpected status ${response.status}`)
      await response.text()
    }
    const httpFloor = async () => {
      await (await fetch(`http://127.0.0.1:${ports.api}/rest/v1/`, { headers })).text()
    }

    const direct = new pg.Pool({ connectionString: `postgresql://authenticator:${secrets.pgPassword}@${host}/postgres`, max: concurrency })
    const viaPg = async () => {
      const client = await direct.connect()
      try {
        await client.query('begin read only')
        await client.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`, [JSON.stringify(claims)])
        const { rows } = await client.query(directSql)
        await client.query('commit')
        if (rows.length !== 20) throw new Error(`expected 20 rows, got ${rows.length}`)
      }
      finally {
        client.release()
      }
    }

    const results = [
      await measure('pg as authenticated', viaPg),
      await measure('supabase-js → stack', viaStack),
      await measure('fetch → stack', viaFetch),
      await measure('fetch, no database', httpFloor),
    ]
    await direct.end()
    const [base, stack] = results
    const line = (r: typeof base) => `${r.name.padEnd(22)} p50 ${r.p50.toFixed(3)} ms  p99 ${r.p99.toFixed(3)} ms  ${r.perSecond.toFixed(0)} req/s (${concurrency} in flight)`
    console.log(`\n${rounds} sequential requests each, then ${rounds} with ${concurrency} in flight; 20 rows, RLS, one to-one embed`)
    for (const r of results) console.log(line(r))
    console.log(`stack adds             p50 +${(stack.p50 - base.p50).toFixed(3)} ms (×${(stack.p50 / base.p50).toFixed(2)})  p99 +${(stack.p99 - base.p99).toFixed(3)} ms  throughput ×${(stack.perSecond / base.perSecond).toFixed(2)}`)
    console.log('(fetch → stack is the same request without supabase-js; "no database" is the HTTP floor)')
    console.log(`stack process RSS      ${restRss.toFixed(0)} MB at rest after start, ${rssMb(child.pid!).toFixed(0)} MB after the run (Node only; Postgres runs in its own processes)`)
  }
  finally {
    if (child && child.exitCode === null) {
      const exited = new Promise(resolve => child!.once('exit', resolve))
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(`bench:stack failed: ${(error as Error).message}`)
  process.exitCode = 1
})
