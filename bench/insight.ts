// `npm run bench:insight`: the organisation's insight for a year, on a synthetic
// organisation the size of bench:db's (50 units, 2,000 residents, 20,000 relatives,
// 500 staff) with a year of use: 500,000 guestbook posts, 100,000 comments,
// 200,000 photos, 4,000 stories, people and life events for most profiles, and
// 150,000 weekly visit stamps. It times public.organisation_insight as the org
// admin (through the access checks, as the app calls it) and one unit's insight
// as its leader. Aim: the organisation's year under 500 ms.
import pg from 'pg'
import { startThrowawayStack } from '../local-stack/src/stack.ts'

const size = { units: 50, residents: 2000, relativesPerResident: 10, staffPerUnit: 10, posts: 500_000,
  comments: 100_000, photos: 200_000, stories: 4000, visits: 150_000 }
const runs = 15

const uid = (kind: string, n: string) => `md5('${kind}' || ${n})::uuid`
const resident = (n: string) => uid('resident', `(${n}) % ${size.residents} + 1`)
/** A moment in the last year, spread evenly by n over max. */
const inYear = (n: string, max: number) => `now() - (${n})::float / ${max} * interval '365 days'`

async function fill(db: pg.Client) {
  const { units, residents, relativesPerResident: m, staffPerUnit: s } = size
  const relatives = residents * m
  const perUnit = residents / units
  const bulk = ['guestbook_posts', 'guestbook_comments', 'media_items', 'stories', 'relations', 'life_events',
    'residents', 'resident_members']
  for (const table of bulk) await db.query(`alter table public.${table} disable trigger user`)
  await db.query(`
    insert into auth.users (id, aud, role, email, raw_user_meta_data, created_at, updated_at)
    select ${uid('user', 'i')}, 'authenticated', 'authenticated', 'innsikt' || i || '@bench.minnespor.no',
      jsonb_build_object('display_name', 'Person ' || i), now(), now()
    from generate_series(1, ${relatives + units * s + 1}) i;
    insert into public.legal_acceptances (user_id, document_id)
    select ${uid('user', 'i')}, d.id from generate_series(1, ${relatives + units * s + 1}) i
    cross join public.current_legal_documents d;
    insert into public.organisations (id, name) values (${uid('org', '1')}, 'Innsiktvik kommune');
    insert into public.organisation_admins values (${uid('org', '1')}, ${uid('user', String(relatives + units * s + 1))});
    insert into public.units (id, organisation_id, name)
    select ${uid('unit', 'u')}, ${uid('org', '1')}, 'Avdeling ' || u from generate_series(1, ${units}) u;
    insert into public.unit_members (unit_id, user_id, role)
    select ${uid('unit', 'u')}, ${uid('user', `${relatives} + (u - 1) * ${s} + k`)},
      (case k when 1 then 'leader' when 2 then 'superuser' else 'staff' end)::public.unit_role
    from generate_series(1, ${units}) u, generate_series(1, ${s}) k;
    insert into public.residents (id, unit_id, display_name, introduction, arrived_on, created_at, created_by)
    select ${uid('resident', 'r')}, ${uid('unit', `(r - 1) / ${perUnit} + 1`)}, 'Beboer ' || r,
      case when r % 3 <> 0 then 'Jeg vokste opp ved sjøen.' end, current_date - (r % 700), ${inYear('r % 700', 700)}, null
    from generate_series(1, ${residents}) r;
    insert into public.resident_members (resident_id, user_id, role)
    select ${uid('resident', 'r')}, ${uid('user', `(r - 1) * ${m} + k`)},
      (case when k = 1 then 'primary_contact' when k <= 7 then 'relative' else 'viewer' end)::public.member_role
    from generate_series(1, ${residents}) r, generate_series(1, ${m}) k;
    insert into public.relations (resident_id, name, created_at)
    select ${uid('resident', 'r')}, 'Søster ' || r, ${inYear('r % 300', 365)}
    from generate_series(1, ${residents}) r where r % 4 <> 0;
    insert into public.life_events (resident_id, title, created_at)
    select ${uid('resident', 'r')}, 'Konfirmasjon', ${inYear('r % 200', 365)}
    from generate_series(1, ${residents}) r where r % 5 <> 0;
    insert into public.stories (resident_id, title, created_at)
    select ${resident('i')}, 'Fortelling ' || i, ${inYear('i', size.stories)}
    from generate_series(1, ${size.stories}) i;
    insert into public.media_items (resident_id, storage_path, kind, created_at)
    select ${resident('i')}, ${resident('i')}::text || '/innsikt/' || i || '.jpg', 'image', ${inYear('i', size.photos)}
    from generate_series(1, ${size.photos}) i;
    insert into public.guestbook_posts (id, resident_id, kind, body, created_by, created_at)
    select ${uid('post', 'i')}, ${resident('i')}, case when i % 3 = 0 then 'glimpse' else 'greeting' end, 'Hilsen ' || i,
      case when i % 3 = 0 then ${uid('user', `${relatives} + ((i % ${residents}) / ${perUnit}) * ${s} + (i % ${s}) + 1`)}
        else ${uid('user', `(i % ${residents}) * ${m} + (i % ${m}) + 1`)} end,
      ${inYear('i', size.posts)}
    from generate_series(1, ${size.posts}) i;
    insert into public.guestbook_comments (post_id, resident_id, body, created_by, created_at)
    select ${uid('post', 'i * 5')}, ${resident('i * 5')}, 'Så fint!', ${uid('user', `((i * 5) % ${residents}) * ${m} + (i % ${m}) + 1`)},
      ${inYear('i * 5', size.posts)}
    from generate_series(1, ${size.comments}) i;
    insert into private.resident_visits (resident_id, user_id, week_start, last_seen_at)
    select ${resident('i')}, ${uid('user', `(i % ${residents}) * ${m} + ((i / ${residents}) % ${m}) + 1`)},
      date_trunc('week', ${inYear('i', size.visits)})::date, ${inYear('i', size.visits)}
    from generate_series(1, ${size.visits}) i
    on conflict do nothing;
  `)
  for (const table of bulk) await db.query(`alter table public.${table} enable trigger user`)
  // The weekly insight counters are kept by triggers, which the bulk load turned off.
  await db.query('select private.rebuild_insight_counters()')
  await db.query('analyze')
}

async function timed(db: pg.Client, userId: string, sql: string, params: unknown[]) {
  await db.query('begin')
  await db.query(`select set_config('request.jwt.claims', $1, true), set_config('role', 'authenticated', true)`,
    [JSON.stringify({ sub: userId, role: 'authenticated' })])
  const started = performance.now()
  const { rows } = await db.query(sql, params)
  const elapsed = performance.now() - started
  await db.query('rollback')
  return { elapsed, result: rows[0] }
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!
}

async function measure(db: pg.Client, name: string, userId: string, sql: string, params: unknown[]) {
  const times: number[] = []
  let result: unknown
  for (let i = 0; i < runs; i++) {
    const run = await timed(db, userId, sql, params)
    if (i > 0) times.push(run.elapsed)
    result = run.result
  }
  console.log(`${name}: median ${percentile(times, 0.5).toFixed(0)} ms, p95 ${percentile(times, 0.95).toFixed(0)} ms`
    + ` (${runs - 1} runs after one warm-up)`)
  return result
}

async function main() {
  const stack = await startThrowawayStack('bench-insight')
  process.once('SIGINT', () => stack.stop().then(() => process.exit(130)))
  const db = new pg.Client({ connectionString: stack.dbUrl })
  await db.connect()
  try {
    const started = performance.now()
    await fill(db)
    console.log(`Filled ${JSON.stringify(size)} in ${((performance.now() - started) / 1000).toFixed(1)} s\n`)
    const ids = (await db.query(`select ${uid('org', '1')} as org, ${uid('unit', '1')} as unit,
      ${uid('user', String(size.residents * size.relativesPerResident + size.units * size.staffPerUnit + 1))} as admin,
      ${uid('user', String(size.residents * size.relativesPerResident + 1))} as leader`)).rows[0]
    const year = [new Date(Date.now() - 365 * 86_400_000).toISOString(), new Date().toISOString()]
    const org = await measure(db, 'organisation insight, one year (org admin)', ids.admin,
      'select public.organisation_insight($1, $2, $3) as figures', [ids.org, ...year]) as { figures: unknown }
    await measure(db, 'unit insight, one year (leader)', ids.leader,
      'select public.unit_insight($1, $2, $3) as figures', [ids.unit, ...year])
    const figures = org.figures as { residents: number, totals: Record<string, number>, weeks: unknown[] }
    console.log(`\nSanity: ${figures.residents} residents, ${figures.weeks.length} weeks, totals ${JSON.stringify(figures.totals)}`)
  }
  finally {
    await db.end()
    // BENCH_KEEP=1 leaves the filled stack running for EXPLAIN ANALYZE with psql.
    if (process.env.BENCH_KEEP) console.log(`Stack kept running: ${stack.dbUrl}`)
    else await stack.stop()
  }
}

await main()
