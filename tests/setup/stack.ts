import type { TestProject } from 'vitest/node'
import { startThrowawayStack } from '../../local-stack/src/stack.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    stack: {
      apiUrl: string
      mailboxUrl: string
      smtpUrl: string
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
  const stack = await startThrowawayStack('test')
  project.provide('stack', {
    apiUrl: stack.apiUrl,
    mailboxUrl: stack.mailboxUrl,
    smtpUrl: stack.smtpUrl,
    dbUrl: stack.dbUrl,
    anonKey: stack.secrets.anonKey,
    serviceRoleKey: stack.secrets.serviceRoleKey,
    publishableKey: stack.secrets.publishableKey,
    secretKey: stack.secrets.secretKey,
    jwtSecret: stack.secrets.jwtSecret,
    dataDir: stack.dataDir,
  })
  return () => stack.stop()
}
