import { spawn, type ChildProcess } from 'node:child_process'
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { freePort } from '../src/ports.ts'

const cli = resolve(import.meta.dirname, '..', 'cli.ts')
const tsx = resolve(import.meta.dirname, '..', '..', 'node_modules', '.bin', 'tsx')
const folders: string[] = []

afterAll(() => folders.forEach(f => rmSync(f, { recursive: true, force: true })))

function folder() {
  const dir = mkdtempSync(join(tmpdir(), 'minnespor-cli-'))
  // As root, Postgres runs as the postgres system user, which must reach the data folder.
  chmodSync(dir, 0o755)
  folders.push(dir)
  return dir
}

/** A project folder with the given migrations, and env for a stack on free ports. */
async function project(migrations: Record<string, string> = {}) {
  const dir = folder()
  mkdirSync(join(dir, 'supabase', 'migrations'), { recursive: true })
  for (const [name, sql] of Object.entries(migrations)) writeFileSync(join(dir, 'supabase', 'migrations', name), sql)
  return {
    dir,
    env: {
      ...process.env,
      STACK_PROJECT_DIR: dir,
      STACK_DATA_DIR: join(dir, '.data'),
      STACK_API_PORT: String(await freePort()),
      STACK_MAILBOX_PORT: String(await freePort()),
      STACK_SMTP_PORT: String(await freePort()),
      STACK_PG_PORT: String(await freePort()),
      STACK_QUIET: '',
      DATABASE_URL: '',
    },
  }
}

interface Run { code: number | null, stdout: string, stderr: string }

function run(command: string, env: NodeJS.ProcessEnv, until?: RegExp): { child: ChildProcess, done: Promise<Run>, ready: Promise<void> } {
  const child = spawn(tsx, [cli, command], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  let markReady: () => void
  const ready = new Promise<void>(r => (markReady = r))
  child.stdout!.on('data', (d) => {
    stdout += d
    if (until?.test(stdout)) markReady()
  })
  child.stderr!.on('data', d => (stderr += d))
  const done = new Promise<Run>(r => child.on('exit', code => r({ code, stdout, stderr })))
  return { child, done, ready }
}

describe('npm run stack', () => {
  it('keeps data between runs and stops cleanly on Ctrl-C', async () => {
    const { env } = await project({ '20260101000000_notes.sql': 'create table public.notes (body text);' })
    const first = run('start', env, /API on/)
    await first.ready
    const status = await run('status', env).done
    const dbUrl = status.stdout.match(/^DB_URL="(.+)"$/m)![1]
    const client = new pg.Client({ connectionString: dbUrl })
    await client.connect()
    await client.query(`insert into public.notes values ('kept')`)
    await client.end()
    first.child.kill('SIGINT')
    expect((await first.done).code).toBe(0)

    const second = run('start', env, /API on/)
    await second.ready
    const again = new pg.Client({ connectionString: dbUrl })
    await again.connect()
    const { rows } = await again.query('select body from public.notes')
    await again.end()
    second.child.kill('SIGINT')
    await second.done
    expect(rows).toEqual([{ body: 'kept' }])
  }, 60_000)

  it('stops on a failed migration with the file name and the Postgres error in one line', async () => {
    const { env } = await project({
      '20260101000000_good.sql': 'create table public.ok (id int);',
      '20260102000000_broken.sql': 'create tabel public.nope (id int);',
    })
    const result = await run('start', env).done
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1)
    expect(result.stderr).toContain('20260102000000_broken.sql')
    expect(result.stderr).toContain('syntax error at or near "tabel"')
    expect(result.stderr).not.toMatch(/\n\s+at /)
  }, 60_000)

  it('says which port is in use instead of crashing', async () => {
    const { env } = await project()
    const blocker = createServer().listen(Number(env.STACK_API_PORT), '127.0.0.1')
    try {
      const result = await run('start', env).done
      expect(result.code).toBe(1)
      expect(result.stderr.trim()).toBe(`local stack: Port ${env.STACK_API_PORT} on 127.0.0.1 is in use: `
        + 'is another stack or Supabase running? Stop it, or set STACK_API_PORT to another port.')
    }
    finally {
      blocker.close()
    }
  })

  it('refuses a data folder that is not a Postgres cluster, saying what to do', async () => {
    const { env } = await project()
    mkdirSync(join(env.STACK_DATA_DIR!, 'postgres'), { recursive: true })
    writeFileSync(join(env.STACK_DATA_DIR!, 'postgres', 'junk.txt'), 'not a database')
    const result = await run('start', env).done
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/is not a Postgres cluster\. Move it away or run `npm run db:reset`/)
  })
})

describe('npm run stack:status', () => {
  it('prints the CLI-shaped env lines with a JWT secret of its own per data folder', async () => {
    const a = await project()
    const b = await project()
    for (const p of [a, b]) {
      const s = run('start', p.env, /API on/)
      await s.ready
      s.child.kill('SIGINT')
      await s.done
    }
    const outA = (await run('status', a.env).done).stdout
    const outB = (await run('status', b.env).done).stdout
    for (const name of ['API_URL', 'DB_URL', 'ANON_KEY', 'SERVICE_ROLE_KEY', 'JWT_SECRET', 'MAILBOX_URL']) {
      expect(outA).toMatch(new RegExp(`^${name}=".+"$`, 'm'))
    }
    const secret = (out: string) => out.match(/^JWT_SECRET="(.+)"$/m)![1]
    expect(secret(outA)).not.toBe(secret(outB))
    expect(secret(outA)).not.toBe('super-secret-jwt-token-with-at-least-32-characters-long')
    expect(outA).toContain(`API_URL="http://127.0.0.1:${a.env.STACK_API_PORT}"`)
  }, 60_000)
})

describe('start-up failures say what to do in one line', () => {
  it('refuses a second stack on a data folder that is in use', async () => {
    const { env } = await project()
    const first = run('start', env, /API on/)
    await first.ready
    try {
      const second = await run('start', { ...env, STACK_API_PORT: String(await freePort()),
        STACK_MAILBOX_PORT: String(await freePort()), STACK_SMTP_PORT: String(await freePort()),
        STACK_PG_PORT: String(await freePort()) }).done
      expect(second.code).toBe(1)
      // The pid is the stack's node process, which tsx starts under the child we spawned.
      expect(second.stderr.trim()).toMatch(new RegExp(`^local stack: A stack is already running from `
        + `${env.STACK_DATA_DIR} \\(pid \\d+\\)\\. Use that one, or stop it first\\.$`))
    }
    finally {
      first.child.kill('SIGINT')
      await first.done
    }
  }, 60_000)

  it.each([
    ['a port that is not a number', { STACK_API_PORT: 'abc' }, 'STACK_API_PORT must be a port number from 1 to 65535, not "abc".'],
    ['DATABASE_URL pointing at nothing', { DATABASE_URL: 'postgresql://x:y@127.0.0.1:9/postgres' }, 'Could not use DATABASE_URL (127.0.0.1:9)'],
  ])('%s', async (_, extra, message) => {
    const { env } = await project()
    const result = await run('start', { ...env, ...extra }).done
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toHaveLength(1)
    expect(result.stderr).toContain(message)
  })

  it('names a damaged secrets file', async () => {
    const { env } = await project()
    mkdirSync(env.STACK_DATA_DIR!, { recursive: true })
    writeFileSync(join(env.STACK_DATA_DIR!, 'secrets.json'), '{ not json')
    const result = await run('status', env).done
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('secrets.json is damaged')
  })
})
