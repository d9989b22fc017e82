// The local stack's command line: `start` (foreground), `status` (like
// `supabase status -o env`) and `reset` (rebuild the database from scratch).
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { apiUrl, dbUrl, loadConfig, mailboxUrl, readSecrets, smtpUrl } from './src/config.ts'
import { StackError } from './src/errors.ts'
import { log } from './src/log.ts'
import { runningPid, startStack } from './src/stack.ts'

const config = (() => {
  try {
    return loadConfig()
  }
  catch (error) {
    return fail(error)
  }
})()

function fail(error: unknown): never {
  if (error instanceof StackError) console.error(`local stack: ${error.message}`)
  else if (process.env.STACK_DEBUG) console.error('local stack: unexpected failure:', error)
  else console.error(`local stack: unexpected failure: ${(error as Error).message.split('\n')[0]} (STACK_DEBUG=1 shows more)`)
  process.exit(1)
}

async function start() {
  const stack = await startStack(config)
  const shutdown = async () => {
    log('stack', 'stopping…')
    await stack.stop()
    process.exit(0)
  }
  process.once('SIGINT', shutdown)
  process.once('SIGTERM', shutdown)
}

function running() {
  return runningPid(config) !== undefined
}

function status() {
  const secrets = readSecrets(config)
  if (!secrets) throw new StackError('No stack has been started with this data folder yet: run `npm run stack` first.')
  const lines = {
    API_URL: apiUrl(config),
    DB_URL: dbUrl(config, secrets),
    ANON_KEY: secrets.anonKey,
    SERVICE_ROLE_KEY: secrets.serviceRoleKey,
    PUBLISHABLE_KEY: secrets.publishableKey,
    SECRET_KEY: secrets.secretKey,
    JWT_SECRET: secrets.jwtSecret,
    MAILBOX_URL: mailboxUrl(config),
    SMTP_URL: smtpUrl(config),
  }
  for (const [name, value] of Object.entries(lines)) console.log(`${name}="${value}"`)
  if (!running()) console.error('# the stack is not running now: start it with `npm run stack`')
}

function reset() {
  if (running()) throw new StackError('The stack is running: stop it (Ctrl-C) before `npm run db:reset`.')
  if (config.databaseUrl) throw new StackError('DATABASE_URL is set: reset that database yourself; this only resets the embedded one.')
  for (const part of ['postgres', 'storage']) rmSync(join(config.dataDir, part), { recursive: true, force: true })
  log('stack', `removed the database and stored files under ${config.dataDir}; keys are kept`)
  return start()
}

const command = process.argv[2] ?? 'start'
const commands: Record<string, () => unknown> = { start, status, reset }
if (!commands[command]) fail(new StackError(`Unknown command "${command}": use start, status or reset.`))
Promise.resolve().then(commands[command]).catch(fail)
