// `npm run dev`: the local stack (unless SUPABASE_URL points elsewhere) and `nuxt dev`
// together; Ctrl-C stops both. A stack already running on the default port is reused.
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { apiUrl, loadConfig, mailboxUrl, readSecrets, smtpUrl } from '../local-stack/src/config.ts'
import { startStack, type RunningStack } from '../local-stack/src/stack.ts'

const root = resolve(import.meta.dirname, '..')

async function stackAnswers(url: string) {
  try {
    const response = await fetch(`${url}/auth/v1/health`)
    return response.ok
  }
  catch {
    return false
  }
}

/** Starts the local stack, or reuses the one already running on the same data folder. */
async function localSupabase() {
  const config = loadConfig()
  let stack: RunningStack | undefined
  if (await stackAnswers(apiUrl(config))) {
    console.log(`Using the local stack already running on ${apiUrl(config)}.`)
  }
  else {
    stack = await startStack(config)
    if (existsSync(join(root, 'scripts/seed-media.ts'))) await runToEnd('npx', ['tsx', 'scripts/seed-media.ts'])
  }
  const secrets = readSecrets(config)
  if (!secrets) throw new Error(`No keys found in ${config.dataDir}: start the stack with \`npm run stack\` once.`)
  const env = { SUPABASE_URL: apiUrl(config), SUPABASE_KEY: secrets.anonKey, SUPABASE_SECRET_KEY: secrets.serviceRoleKey,
    // The app's own e-mails (glimpse notices, reminders) go over SMTP into the local mailbox,
    // the same path as in production; a real SMTP_URL in the environment wins.
    SMTP_URL: process.env.SMTP_URL ?? smtpUrl(config) }
  return { env, mailbox: mailboxUrl(config), stop: () => stack?.stop() }
}

function runToEnd(command: string, args: string[]) {
  return new Promise<void>((done, fail) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit' })
    child.once('exit', code => code === 0 ? done() : fail(new Error(`${command} ${args.join(' ')} exited with ${code}`)))
  })
}

function printDemoLogins(mailbox?: string) {
  const file = join(root, 'supabase/demo-logins.md')
  console.log('\nMinnespor demo log-ins:')
  console.log(existsSync(file) ? readFileSync(file, 'utf8') : '(supabase/demo-logins.md is missing: no demo data yet)')
  if (mailbox) console.log(`E-mails and SMS the app sends land in the local mailbox: ${mailbox}\n`)
}

async function main() {
  const local = process.env.SUPABASE_URL ? undefined : await localSupabase()
  if (local) printDemoLogins(local.mailbox)

  const nuxt = spawn(join(root, 'node_modules/.bin/nuxt'), ['dev', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, ...local?.env },
  })
  let stopping = false
  const stop = async (code: number) => {
    if (stopping) return
    stopping = true
    if (nuxt.exitCode === null) nuxt.kill('SIGTERM')
    await local?.stop()
    process.exit(code)
  }
  process.once('SIGINT', () => stop(0))
  process.once('SIGTERM', () => stop(0))
  nuxt.once('exit', code => stop(code ?? 0))
}

main().catch((error) => {
  console.error(`npm run dev: ${error instanceof Error ? error.message : error}`)
  process.exit(1)
})
