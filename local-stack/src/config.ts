import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { StackError } from './errors.ts'

/** Settings of one local stack; every field can be overridden by an environment variable. */
export interface StackConfig {
  /** Folder that holds Postgres data, stored files and the stack's secrets. */
  dataDir: string
  /** Project root: `supabase/migrations` and `supabase/seed.sql` are read from here. */
  projectDir: string
  host: string
  apiPort: number
  mailboxPort: number
  /** The mailbox's SMTP port, for an app's own e-mail (SMTP_URL). */
  smtpPort: number
  pgPort: number
  /** An existing Postgres server to use instead of the embedded one. */
  databaseUrl?: string
  /** Print one line per HTTP request. */
  logRequests: boolean
}

export interface StackSecrets {
  jwtSecret: string
  anonKey: string
  serviceRoleKey: string
  publishableKey: string
  secretKey: string
  pgPassword: string
}

const here = dirname(fileURLToPath(import.meta.url))
export const stackDir = resolve(here, '..')

function port(env: NodeJS.ProcessEnv, name: string, fallback: number) {
  const value = env[name] ? Number(env[name]) : fallback
  if (!Number.isInteger(value) || value < 1 || value > 65535) {
    throw new StackError(`${name} must be a port number from 1 to 65535, not "${env[name]}".`)
  }
  return value
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): StackConfig {
  const projectDir = resolve(env.STACK_PROJECT_DIR ?? join(stackDir, '..'))
  const mailboxPort = port(env, 'STACK_MAILBOX_PORT', 54324)
  return {
    dataDir: resolve(env.STACK_DATA_DIR ?? join(projectDir, '.data', 'local-stack')),
    projectDir,
    host: '127.0.0.1',
    apiPort: port(env, 'STACK_API_PORT', 54321),
    mailboxPort,
    // Beside the mailbox unless set, so a stack moved to other ports moves it too.
    smtpPort: port(env, 'STACK_SMTP_PORT', mailboxPort + 1),
    pgPort: port(env, 'STACK_PG_PORT', 54322),
    databaseUrl: env.DATABASE_URL || undefined,
    logRequests: env.STACK_LOG_REQUESTS !== '0',
  }
}

export function apiUrl(config: StackConfig) {
  return `http://${config.host}:${config.apiPort}`
}

export function mailboxUrl(config: StackConfig) {
  return `http://${config.host}:${config.mailboxPort}`
}

export function smtpUrl(config: StackConfig) {
  return `smtp://${config.host}:${config.smtpPort}`
}

export function dbUrl(config: StackConfig, secrets: StackSecrets) {
  return config.databaseUrl
    ?? `postgresql://postgres:${secrets.pgPassword}@${config.host}:${config.pgPort}/postgres`
}

function secretsFile(config: StackConfig) {
  return join(config.dataDir, 'secrets.json')
}

export function readSecrets(config: StackConfig): StackSecrets | undefined {
  const file = secretsFile(config)
  if (!existsSync(file)) return undefined
  try {
    const secrets = JSON.parse(readFileSync(file, 'utf8')) as StackSecrets
    if (typeof secrets.jwtSecret === 'string' && typeof secrets.pgPassword === 'string') return secrets
  }
  catch {
    // Falls through to the message below.
  }
  throw new StackError(`${file} is damaged. Restore it, or remove the whole data folder to start afresh `
    + '(the database there cannot be opened without the password in it).')
}

/**
 * Secrets are made once per data folder and kept in it, so the keys stay valid
 * across restarts but no two data folders (and no published demo) share them.
 */
export async function ensureSecrets(config: StackConfig): Promise<StackSecrets> {
  const existing = readSecrets(config)
  if (existing) return existing

  const { signKey } = await import('./jwt.ts')
  const jwtSecret = randomBytes(32).toString('base64url')
  const secrets: StackSecrets = {
    jwtSecret,
    anonKey: await signKey(jwtSecret, 'anon'),
    serviceRoleKey: await signKey(jwtSecret, 'service_role'),
    publishableKey: `sb_publishable_${randomBytes(16).toString('base64url')}`,
    secretKey: `sb_secret_${randomBytes(16).toString('base64url')}`,
    pgPassword: randomBytes(12).toString('hex'),
  }
  try {
    mkdirSync(config.dataDir, { recursive: true })
  }
  catch (error) {
    throw new StackError(`Cannot make the data folder ${config.dataDir}: ${(error as Error).message}. `
      + 'Point STACK_DATA_DIR at a folder you can write.')
  }
  writeFileSync(secretsFile(config), JSON.stringify(secrets, null, 2), { mode: 0o600 })
  return secrets
}
