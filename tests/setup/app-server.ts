// Builds the Nuxt app once (skipped when nothing it is built from has changed) and
// serves the production server on a free port against a given stack. Used by the
// browser tests' global setup and by `npm run bench:pages`.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { freePort } from '../../local-stack/src/ports.ts'

export { freePort }

/** The parts of a running stack the app needs. */
export interface StackAddress { apiUrl: string, anonKey: string, serviceRoleKey: string }

const root = resolve(import.meta.dirname, '../..')
// MINNESPOR_TEST_BUILD_DIR gives a run its own build folder, so two people testing
// different changes in one checkout do not rebuild under each other's server.
const testBuild = process.env.MINNESPOR_TEST_BUILD_DIR ? resolve(process.env.MINNESPOR_TEST_BUILD_DIR) : join(root, '.data', 'test-build')
const sources = ['app', 'server', 'i18n', 'public', 'nuxt.config.ts', 'package-lock.json']

function fingerprint() {
  const hash = createHash('sha256')
  const walk = (path: string) => {
    if (!existsSync(path)) return
    const stat = statSync(path)
    if (stat.isDirectory()) return readdirSync(path).sort().forEach(name => walk(join(path, name)))
    hash.update(`${path}:${stat.size}:${stat.mtimeMs}\n`)
  }
  sources.forEach(source => walk(join(root, source)))
  return hash.digest('hex')
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv) {
  return new Promise<void>((done, fail) => {
    const child = spawn(command, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let errors = ''
    const collect = (chunk: Buffer) => {
      errors += chunk
    }
    child.stdout.on('data', collect)
    child.stderr.on('data', collect)
    child.once('exit', code => code === 0 ? done() : fail(new Error(`nuxt build failed (${code}):\n${errors.slice(-4000)}`)))
  })
}

/** True when the process that took a lock is gone (a run killed mid-build). */
function lockIsStale(lock: string) {
  const pidFile = join(lock, 'pid')
  if (!existsSync(pidFile)) return existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 10_000
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 0)
    return false
  }
  catch {
    return true
  }
}

// Two test runs at once (several people in one checkout) must not build into one folder.
async function withBuildLock(buildRoot: string, build: () => Promise<void>) {
  const lock = `${buildRoot}.lock`
  mkdirSync(join(root, '.data'), { recursive: true })
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock)
      writeFileSync(join(lock, 'pid'), String(process.pid))
      break
    }
    catch {
      if (lockIsStale(lock)) rmSync(lock, { recursive: true, force: true })
      if (waited > 900_000) throw new Error(`Waited 15 minutes for another test run's app build (${lock}); remove that folder if no build runs.`)
      await new Promise(r => setTimeout(r, 500))
    }
  }
  try {
    await build()
  }
  finally {
    rmSync(lock, { recursive: true, force: true })
  }
}

async function waitUntilUp(url: string, server: ChildProcess) {
  for (let attempt = 0; attempt < 150; attempt++) {
    if (server.exitCode !== null) throw new Error(`The Nuxt server exited with code ${server.exitCode}.`)
    try {
      await fetch(`${url}/favicon.svg`)
      return
    }
    catch {
      await new Promise(r => setTimeout(r, 200))
    }
  }
  throw new Error(`The Nuxt server did not answer on ${url} within 30 s.`)
}

/** Builds the production server (into .data/test-build by default) unless it is up to date. */
export async function buildApp(stack: StackAddress, buildRoot = testBuild) {
  const env = { ...process.env, MINNESPOR_BUILD_DIR: buildRoot, SUPABASE_URL: stack.apiUrl, SUPABASE_KEY: stack.anonKey }
  delete env.NODE_OPTIONS
  const stamp = join(buildRoot, 'fingerprint')
  const current = fingerprint()
  await withBuildLock(buildRoot, async () => {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return
    await run(join(root, 'node_modules/.bin/nuxt'), ['build'], env)
    writeFileSync(stamp, current)
  })
}

/** Starts the built server on a free port against the stack; `stop()` ends it. */
export async function serveApp(stack: StackAddress, buildRoot = testBuild) {
  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const server = spawn(process.execPath, [join(buildRoot, '.output/server/index.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      HOST: '127.0.0.1',
      PORT: String(port),
      NUXT_PUBLIC_SUPABASE_URL: stack.apiUrl,
      NUXT_PUBLIC_SUPABASE_KEY: stack.anonKey,
      NUXT_SUPABASE_SECRET_KEY: stack.serviceRoleKey,
    },
  })
  await waitUntilUp(url, server)
  return {
    url,
    async stop() {
      server.kill('SIGTERM')
      await new Promise(r => server.exitCode === null ? server.once('exit', r) : r(null))
    },
  }
}
