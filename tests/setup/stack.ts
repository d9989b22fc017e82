import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { loadConfig } from '../../local-stack/src/config.ts'
import { startStack } from '../../local-stack/src/stack.ts'
import { freePort } from '../../local-stack/src/ports.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      apiUrl: string
      mailboxUrl: string
      dbUrl: string
      anonKey: string
      serviceRoleKey: string
      publishableKey: string
      secretKey: string
      jwtSecret: string
      dataDir: string
    }
  }
}

/** Starts one local stack for the whole test run, on test ports, in a throwaway data folder. */
export default async function setup(project: TestProject) {
  const dataDir = mkdtempSync(join(tmpdir(), 'minnespor-test-'))
  const config = {
    ...loadConfig({
      ...process.env,
      STACK_DATA_DIR: dataDir,
      STACK_API_PORT: String(await freePort()),
      STACK_MAILBOX_PORT: String(await freePort()),
      STACK_PG_PORT: String(await freePort()),
      DATABASE_URL: '',
    }),
    logRequests: false,
  }
  process.env.STACK_QUIET = '1'
  const stack = await startStack(config)
  project.provide('stack', {
    apiUrl: stack.apiUrl,
    mailboxUrl: stack.mailboxUrl,
    dbUrl: stack.dbUrl,
    anonKey: stack.secrets.anonKey,
    serviceRoleKey: stack.secrets.serviceRoleKey,
    publishableKey: stack.secrets.publishableKey,
    secretKey: stack.secrets.secretKey,
    jwtSecret: stack.secrets.jwtSecret,
    dataDir,
  })
  return async () => {
    await stack.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}
