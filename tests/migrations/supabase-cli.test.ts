import { execFile } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { listMigrations } from '../../local-stack/src/postgres.ts'
import { startThrowawayStack, type RunningStack } from '../../local-stack/src/stack.ts'
import { stack } from '../../local-stack/tests/support.ts'

const run = promisify(execFile)
const root = resolve(import.meta.dirname, '..', '..')
const supabase = join(root, 'node_modules', '.bin', 'supabase')
// The CLI treats any port but 54322 as a remote database and insists on TLS unless told not to.
const plain = (url: string) => `${url}?sslmode=disable`

describe('the Supabase CLI and the local stack agree on migrations', () => {
  it('sees every migration the stack applied as applied', async () => {
    const up = await run(supabase, ['migration', 'up', '--db-url', plain(stack.dbUrl), '--workdir', root])
    expect(`${up.stdout}${up.stderr}`).toContain('database is up to date')
    const listed = (await run(supabase, ['migration', 'list', '--db-url', plain(stack.dbUrl), '--workdir', root])).stdout
    for (const m of listMigrations(root)) expect(listed).toMatch(new RegExp(`${m.version}\\s*\`?\\s*\\|\\s*\`?${m.version}`))
  }, 60_000)
})

describe('the migrations apply unchanged through the Supabase CLI', () => {
  let bare: RunningStack
  let dir: string

  beforeAll(async () => {
    // A stack whose project has no migrations: only what Supabase itself provides.
    dir = mkdtempSync(join(tmpdir(), 'minnespor-cli-push-'))
    chmodSync(dir, 0o755)
    mkdirSync(join(dir, 'supabase', 'migrations'), { recursive: true })
    bare = await startThrowawayStack('cli-push', { STACK_PROJECT_DIR: dir })
  }, 60_000)

  afterAll(async () => {
    await bare?.stop()
    rmSync(dir, { recursive: true, force: true })
  })

  it('applies every migration with `supabase migration up --db-url` as the non-superuser postgres role', async () => {
    await run(supabase, ['migration', 'up', '--db-url', plain(bare.dbUrl), '--workdir', root], { timeout: 120_000 })
    const client = new pg.Client({ connectionString: bare.dbUrl })
    await client.connect()
    try {
      const applied = await client.query('select version from supabase_migrations.schema_migrations order by version')
      expect(applied.rows.map(r => r.version)).toEqual(listMigrations(root).map(m => m.version))
      const exposed = await client.query(`select count(*)::int as n from pg_tables
        where schemaname = 'public' and not rowsecurity`)
      expect(exposed.rows[0].n).toBe(0)
    }
    finally {
      await client.end()
    }
  }, 120_000)
})
