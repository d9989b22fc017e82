import { createServer, type Server } from 'node:net'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { apiUrl, ensureSecrets, loadConfig, mailboxUrl, smtpUrl, type StackConfig, type StackSecrets } from './config.ts'
import type { StackContext } from './context.ts'
import { StackError } from './errors.ts'
import { log } from './log.ts'
import { Mailbox } from './mailbox/mailbox.ts'
import { createMailboxServer } from './mailbox/server.ts'
import { createSmtpServer } from './mailbox/smtp.ts'
import { freePort } from './ports.ts'
import { migrate, seed, startDatabase } from './postgres.ts'
import { createGateway, type Service, type ServiceFactory } from './server.ts'
import { services as serviceFactories } from './services.ts'

export interface RunningStack {
  config: StackConfig
  secrets: StackSecrets
  apiUrl: string
  mailboxUrl: string
  /** Where an app sends its own e-mail into the mailbox (SMTP_URL). */
  smtpUrl: string
  dbUrl: string
  stop(): Promise<void>
}

/** The pid of a live stack process that uses this data folder, if any. */
export function runningPid(config: StackConfig): number | undefined {
  const file = join(config.dataDir, 'running.json')
  if (!existsSync(file)) return undefined
  try {
    const { pid } = JSON.parse(readFileSync(file, 'utf8'))
    if (pid === process.pid) return undefined
    process.kill(pid, 0)
    return pid
  }
  catch {
    return undefined
  }
}

async function assertPortFree(host: string, port: number, variable: string) {
  await new Promise<void>((resolve, reject) => {
    const probe: Server = createServer()
    probe.once('error', () => reject(new StackError(
      `Port ${port} on ${host} is in use: is another stack or Supabase running? Stop it, or set ${variable} to another port.`)))
    probe.listen(port, host, () => probe.close(() => resolve()))
  })
}

function listen(server: Server, host: string, port: number) {
  return new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve())
  })
}

/** Starts Postgres, applies bootstrap, migrations and seed, then serves the APIs and the mailbox. */
export async function startStack(config: StackConfig = loadConfig(), factories: ServiceFactory[] = serviceFactories): Promise<RunningStack> {
  const other = runningPid(config)
  if (other) {
    throw new StackError(`A stack is already running from ${config.dataDir} (pid ${other}). `
      + 'Use that one, or stop it first.')
  }
  await assertPortFree(config.host, config.apiPort, 'STACK_API_PORT')
  await assertPortFree(config.host, config.mailboxPort, 'STACK_MAILBOX_PORT')
  await assertPortFree(config.host, config.smtpPort, 'STACK_SMTP_PORT')
  if (!config.databaseUrl) await assertPortFree(config.host, config.pgPort, 'STACK_PG_PORT')

  const secrets = await ensureSecrets(config)
  const db = await startDatabase(config, secrets)
  const ctx: StackContext = { config, secrets, db, mailbox: new Mailbox(db.admin), apiUrl: apiUrl(config) }
  let services: Service[] = []
  try {
    await migrate(db.url, config.projectDir)
    await seed(db.admin, db.url, config.projectDir)
    services = await Promise.all(factories.map(make => make(ctx)))
  }
  catch (error) {
    await Promise.allSettled(services.map(s => s.close?.()))
    await db.stop()
    throw error
  }

  const gateway = createGateway(ctx, services)
  const mailboxServer = createMailboxServer(ctx.mailbox)
  const smtpServer = createSmtpServer(ctx.mailbox)
  const sockets = new Set<import('node:net').Socket>()
  smtpServer.on('connection', (socket) => {
    sockets.add(socket)
    socket.once('close', () => sockets.delete(socket))
  })
  await listen(gateway, config.host, config.apiPort)
  await listen(mailboxServer, config.host, config.mailboxPort)
  await listen(smtpServer, config.host, config.smtpPort)

  const stateFile = join(config.dataDir, 'running.json')
  writeFileSync(stateFile, JSON.stringify({ pid: process.pid, apiPort: config.apiPort, mailboxPort: config.mailboxPort }))
  log('stack', `API on ${ctx.apiUrl}, mailbox on ${mailboxUrl(config)}, database ${db.url.replace(/:[^:@]*@/, ':***@')}`)

  let stopping: Promise<void> | undefined
  return {
    config,
    secrets,
    apiUrl: ctx.apiUrl,
    mailboxUrl: mailboxUrl(config),
    smtpUrl: smtpUrl(config),
    dbUrl: db.url,
    stop() {
      stopping ??= (async () => {
        gateway.closeAllConnections()
        mailboxServer.closeAllConnections()
        await Promise.allSettled([
          new Promise(r => gateway.close(r)),
          new Promise(r => mailboxServer.close(r)),
          new Promise((r) => {
            for (const socket of sockets) socket.destroy()
            smtpServer.close(r)
          }),
          ...services.map(s => s.close?.()),
        ])
        await db.stop()
        rmSync(stateFile, { force: true })
      })()
      return stopping
    },
  }
}

/**
 * The configuration of a stack that leaves nothing behind, for tests, benchmarks and
 * scripts: a fresh temporary data folder and free ports. `env` may set anything else
 * `loadConfig` reads (e.g. STACK_PROJECT_DIR). Start it (and restart it) with
 * `startStack(config)`; remove `config.dataDir` when done.
 */
export async function throwawayStackConfig(name: string, env: NodeJS.ProcessEnv = process.env): Promise<StackConfig> {
  process.env.STACK_QUIET = '1'
  return {
    ...loadConfig({
      ...env,
      STACK_DATA_DIR: mkdtempSync(join(tmpdir(), `minnespor-${name}-`)),
      STACK_API_PORT: String(await freePort()),
      STACK_MAILBOX_PORT: String(await freePort()),
      STACK_SMTP_PORT: String(await freePort()),
      STACK_PG_PORT: String(await freePort()),
      DATABASE_URL: '',
    }),
    logRequests: false,
  }
}

/** Starts a stack from `throwawayStackConfig`; its `stop()` also removes the data folder. */
export async function startThrowawayStack(name: string, env: NodeJS.ProcessEnv = process.env): Promise<RunningStack & { dataDir: string }> {
  const config = await throwawayStackConfig(name, env)
  const dataDir = config.dataDir
  let stack: RunningStack
  try {
    stack = await startStack(config)
  }
  catch (error) {
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
  return {
    ...stack,
    dataDir,
    async stop() {
      await stack.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
