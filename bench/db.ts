// `npm run bench:db`: fills a synthetic organisation (50 units, 2,000 residents,
// 20,000 members, 500,000 guestbook posts, 200,000 media items) in a throwaway
// local stack, then times the front-page queries as signed-in users through RLS
// next to the same queries as service_role (no RLS), and shows their plans.
// Aim: p95 under 10 ms, RLS costing less than twice the plain query.
import pg from 'pg'
import { startThrowawayStack } from '../local-stack/src/stack.ts'

const size = { units: 50, residents: 2000, membersPerResident: 10, staffPerUnit: 10, posts: 500_000, media: 200_000 }
const runs = 300

const id = (kind: string, n: string) => `md5('${kind}' || ${n})::uuid`
const bulkTables = ['guestbook_posts', 'guestbook_post_media', 'media_items', 'residents', 'resident_members']

/** Everything is generated in SQL (generate_series), so filling takes seconds, not minutes. */
async function fill(db: pg.Client) {
  const { units, residents, membersPerResident: m, staffPerUnit: s, posts, media } = size
  const relatives = residents * m
  const residentsPerUnit = residents / units
  for (const t of bulkTables) await db.query(`alter table public.${t} disable trigger user`)
  await db.query(`alter publication supabase_realtime drop table public.guestbook_posts`)
  await db.query(`
    insert into auth.users (id, aud, role, email, raw_user_meta_data, created_at, updated_at)
    select ${id('user', 'i')}, 'authenticated', 'authenticated', 'bench' || i || '@bench.minnespor.no',
      jsonb_build_object('display_name', 'Bruker ' || i), now(), now()
    from generate_series(1, ${relatives + units * s}) i;
    insert into public.legal_acceptances (user_id, document_id)
    select ${id('user', 'i')}, d.id from generate_series(1, ${relatives + units * s}) i
    cross join public.current_legal_documents d;
    insert into public.organisations (id, name) values (${id('org', '1')}, 'Benkvik kommune');
    insert into public.organisation_admins values (${id('org', '1')}, ${id('user', String(relatives + 1))});
    insert into public.units (id, organisation_id, name)
    select ${id('unit', 'u')}, ${id('org', '1')}, 'Avdeling ' || u from generate_series(1, ${units}) u;
    insert into public.unit_members (unit_id, user_id, role)
    select ${id('unit', 'u')}, ${id('user', `${relatives} + (u - 1) * ${s} + k`)},
      (case when k = 1 then 'leader' when k = 2 then 'superuser' else 'staff' end)::public.unit_role
    from generate_series(1, ${units}) u, generate_series(1, ${s}) k;
    insert into public.residents (id, unit_id, display_name, preferred_name, created_by)
    select ${id('resident', 'r')}, ${id('unit', `(r - 1) / ${residentsPerUnit} + 1`)}, 'Beboer ' || r, 'B' || r, null
    from generate_series(1, ${residents}) r;
    insert into public.resident_members (resident_id, user_id, role)
    select ${id('resident', 'r')}, ${id('user', `(r - 1) * ${m} + k`)},
      (case when k = 1 then 'primary_contact' when k <= 7 then 'relative' else 'viewer' end)::public.member_role
    from generate_series(1, ${residents}) r, generate_series(1, ${m}) k;
    insert into public.media_items (id, resident_id, storage_path, kind, created_by)
    select ${id('media', 'i')}, ${id('resident', `(i - 1) % ${residents} + 1`)},
      ${id('resident', `(i - 1) % ${residents} + 1`)}::text || '/bench/' || i || '.jpg', 'image', null
    from generate_series(1, ${media}) i;
    insert into public.guestbook_posts (id, resident_id, kind, body, created_by, created_at)
    select ${id('post', 'i')}, ${id('resident', `(i - 1) % ${residents} + 1`)}, 'greeting',
      'Hilsen nummer ' || i || ' med litt tekst om dagen i dag.',
      ${id('user', `((i - 1) % ${residents}) * ${m} + (i % ${m}) + 1`)}, now() - i * interval '7 seconds'
    from generate_series(1, ${posts}) i;
    insert into public.guestbook_post_media (post_id, media_item_id, resident_id)
    select ${id('post', 'i')}, ${id('media', `(i - 1) % ${media} + 1`)}, ${id('resident', `(i - 1) % ${residents} + 1`)}
    from generate_series(5, ${posts}, 5) i;
  `)
  for (const t of bulkTables) await db.query(`alter table public.${t} enable trigger user`)
  await db.query(`alter publication supabase_realtime add table public.guestbook_posts`)
  await db.query('analyze')
}

const queries = {
  'resident feed: latest 20 posts with authors and media': `
    select p.id, p.kind, p.body, p.created_at, a.display_name as author,
      (select coalesce(json_agg(m.storage_path order by pm.position), '[]') from public.guestbook_post_media pm
        join public.media_items m on m.id = pm.media_item_id where pm.post_id = p.id) as media
    from public.guestbook_posts p left join public.people a on a.id = p.created_by
    where p.resident_id = $1 order by p.created_at desc, p.id desc limit 20`,
  'unit page: the residents of a unit': `
    select r.id, r.display_name, r.preferred_name, r.photo_path from public.residents r
    where r.unit_id = $1 order by r.display_name`,
  'relative home: my residents with their latest post': `
    select r.id, r.display_name, (select p.body from public.guestbook_posts p where p.resident_id = r.id
      order by p.created_at desc limit 1) as latest
    from public.resident_members m join public.residents r on r.id = m.resident_id
    where m.user_id = $1`,
}

interface Case { resident: number, userId: string }

function pickCase(query: string): Case {
  const resident = 1 + Math.floor(Math.random() * size.residents)
  const unit = Math.floor((resident - 1) / (size.residents / size.units))
  // The feed and home are read by a relative; the unit page by one of the unit's staff.
  const user = query.startsWith('unit')
    ? size.residents * size.membersPerResident + unit * size.staffPerUnit + 3
    : (resident - 1) * size.membersPerResident + 2
  return { resident, userId: String(user) }
}

async function timeOne(db: pg.Client, sql: string, role: 'authenticated' | 'service_role', c: Case) {
  const ids = await db.query(`select md5('resident' || $1::int)::uuid as r,
    md5('unit' || ((($1::int - 1) / $3::int) + 1))::uuid as u, md5('user' || $2::int)::uuid as p`,
  [c.resident, c.userId, size.residents / size.units])
  const { r, u, p } = ids.rows[0]
  await db.query('begin')
  await db.query(`select set_config('role', $1, true), set_config('request.jwt.claims', $2, true)`,
    [role, JSON.stringify({ sub: p, role })])
  const started = performance.now()
  const params = sql.includes('r.unit_id = $1') ? [u] : sql.includes('m.user_id = $1') ? [p] : [r]
  const result = await db.query(sql, sql.includes('$1') ? params : [])
  const elapsed = performance.now() - started
  await db.query('commit')
  return { elapsed, rows: result.rowCount ?? 0, params, userId: p as string }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]
}

async function main() {
  const stack = await startThrowawayStack('bench-db')
  process.once('SIGINT', () => stack.stop().then(() => process.exit(130)))
  const db = new pg.Client({ connectionString: stack.dbUrl })
  await db.connect()
  try {
    const started = performance.now()
    await fill(db)
    console.log(`Filled ${JSON.stringify(size)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)

    for (const [name, sql] of Object.entries(queries)) {
      const times: Record<string, number[]> = { authenticated: [], service_role: [] }
      let rows = 0
      for (let i = 0; i < runs; i++) {
        const c = pickCase(name)
        for (const role of ['authenticated', 'service_role'] as const) {
          const { elapsed, rows: n } = await timeOne(db, sql, role, c)
          if (i >= 10) times[role].push(elapsed)
          if (role === 'authenticated') rows += n
        }
      }
      const [p50, p95] = [percentile(times.authenticated, 0.5), percentile(times.authenticated, 0.95)]
      const [s50, s95] = [percentile(times.service_role, 0.5), percentile(times.service_role, 0.95)]
      console.log(`${name}`)
      const perRun = (rows / runs).toFixed(1)
      console.log(`  through RLS:   p50 ${p50.toFixed(2)} ms  p95 ${p95.toFixed(2)} ms  (${perRun} rows)`)
      console.log(`  service_role:  p50 ${s50.toFixed(2)} ms  p95 ${s95.toFixed(2)} ms`)
      console.log(`  RLS cost:      ${(p50 / s50).toFixed(2)}x at p50, ${(p95 / s95).toFixed(2)}x at p95`)

      const c = pickCase(name)
      const { params, userId } = await timeOne(db, sql, 'authenticated', c)
      await db.query('begin')
      await db.query(`select set_config('role', 'authenticated', true), set_config('request.jwt.claims', $1, true)`,
        [JSON.stringify({ sub: userId, role: 'authenticated' })])
      const plan = await db.query(`explain (analyze, costs off, timing off, summary off) ${sql}`, params)
      await db.query('commit')
      const lines = plan.rows.map(row => row['QUERY PLAN'] as string)
      const indexScan = /(?:Index Scan|Index Only Scan|Index Scan Backward) using (\w+)|Bitmap Index Scan on (\w+)/
      const indexes = [...new Set(lines.flatMap((l) => {
        const m = l.match(indexScan)
        return m ? [m[1] ?? m[2]] : []
      }))]
      const seqScans = [...new Set(lines.flatMap(l => l.match(/Seq Scan on (\w+)/)?.[1] ?? []))]
      console.log(`  plan uses indexes: ${indexes.join(', ') || 'none'};`
        + ` sequential scans: ${seqScans.join(', ') || 'none'}`)
      if (process.env.BENCH_PLANS) console.log(lines.map(l => `    ${l}`).join('\n'))
      console.log('')
    }
  }
  finally {
    await db.end()
    // BENCH_KEEP=1 leaves the filled stack running for a closer look with psql.
    if (process.env.BENCH_KEEP) console.log(`Stack kept running: ${stack.dbUrl}`)
    else await stack.stop()
  }
}

await main()
