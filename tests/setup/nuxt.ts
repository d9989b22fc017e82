// Builds the Nuxt app once (skipped when nothing it is built from has changed) and
// serves the production server on a free port against the test run's local stack.
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join, resolve } from 'node:path'
import type { TestProject } from 'vitest/node'

declare module 'vitest' {
  export interface ProvidedContext {
    app: { url: string }
  }
}

const root = resolve(import.meta.dirname, '../..')
const buildRoot = join(root, '.data', 'test-build')
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
    child.stdout.on('data', (chunk) => { errors += chunk })
    child.stderr.on('data', (chunk) => { errors += chunk })
    child.once('exit', code => code === 0 ? done() : fail(new Error(`nuxt build failed (${code}):\n${errors.slice(-4000)}`)))
  })
}

// Two test runs at once (several people in one checkout) must not build into one folder.
async function withBuildLock(build: () => Promise<void>) {
  const lock = join(root, '.data', 'test-build.lock')
  mkdirSync(join(root, '.data'), { recursive: true })
  for (let waited = 0; ; waited += 500) {
    try {
      mkdirSync(lock)
      break
    }
    catch {
      if (waited > 300_000) throw new Error(`Waited 5 minutes for another test run's app build (${lock}); remove that folder if no build runs.`)
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

function freePort() {
  return new Promise<number>((done, fail) => {
    const server = createServer()
    server.once('error', fail)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => done(port))
    })
  })
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

/** True when this run was given file filters and none of them can reach the browser tests. */
function browserTestsFilteredOut() {
  const filters = process.argv.slice(2).filter(arg => !arg.startsWith('-') && arg !== 'run')
  return filters.length > 0 && !filters.some(filter => 'tests/browser/'.startsWith(filter.replace(/^\.\//, '').replace(/\/?$/, '/')) || filter.includes('browser'))
}

/** Builds (when needed) and starts the app for browser tests. */
export default async function setup(project: TestProject) {
  if (browserTestsFilteredOut()) return project.provide('app', { url: '' })
  const stack = project.getProvidedContext().stack
  const env = { ...process.env, MINNESPOR_BUILD_DIR: buildRoot, SUPABASE_URL: stack.apiUrl, SUPABASE_KEY: stack.anonKey }
  delete env.NODE_OPTIONS

  const stamp = join(buildRoot, 'fingerprint')
  const current = fingerprint()
  await withBuildLock(async () => {
    if (existsSync(stamp) && readFileSync(stamp, 'utf8') === current) return
    await run(join(root, 'node_modules/.bin/nuxt'), ['build'], env)
    writeFileSync(stamp, current)
  })

  const port = await freePort()
  const url = `http://127.0.0.1:${port}`
  const server = spawn(process.execPath, [join(buildRoot, '.output/server/index.mjs')], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: {
      ...env,
      HOST: '127.0.0.1',
      PORT: String(port),
      NUXT_PUBLIC_SUPABASE_URL: stack.apiUrl,
      NUXT_PUBLIC_SUPABASE_KEY: stack.anonKey,
      NUXT_SUPABASE_SECRET_KEY: stack.serviceRoleKey,
    },
  })
  await waitUntilUp(url, server)
  project.provide('app', { url })

  return async () => {
    server.kill('SIGTERM')
    await new Promise(r => server.exitCode === null ? server.once('exit', r) : r(null))
  }
}
