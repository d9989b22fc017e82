import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Server } from 'node:http'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import WebSocket from 'ws'
import { readSecrets, loadConfig } from '../src/config.ts'
import type { StackContext } from '../src/context.ts'
import { Mailbox } from '../src/mailbox/mailbox.ts'
import type { Database } from '../src/postgres.ts'
import { createGateway } from '../src/server.ts'
import { createAuthService } from '../src/auth/service.ts'
import { loadAuthSettings } from '../src/auth/settings.ts'
import { stack } from './support.ts'
import { lastMessage, mailTo, newEmail, password } from './auth-helpers.ts'
import { freePort } from '../src/ports.ts'

// Hosted Supabase asks new users to confirm their address; the local default does not.
// This file runs a second auth service on the test database with confirmations on.
let server: Server
let pool: pg.Pool
let client: () => SupabaseClient

beforeAll(async () => {
  const secrets = readSecrets(loadConfig({ STACK_DATA_DIR: stack.dataDir }))!
  const adminUrl = new URL(stack.dbUrl)
  adminUrl.username = 'supabase_admin'
  pool = new pg.Pool({ connectionString: adminUrl.toString(), max: 4 })
  const port = await freePort()
  const apiUrl = `http://127.0.0.1:${port}`
  const ctx = {
    secrets, apiUrl, config: { ...loadConfig({ STACK_DATA_DIR: stack.dataDir }), logRequests: false }, db: { admin: pool } as Database, mailbox: new Mailbox(pool),
  } as StackContext
  const settings = { ...loadAuthSettings({}), autoconfirm: false }
  server = createGateway(ctx, [createAuthService(ctx, settings)])
  await new Promise<void>(resolve => server.listen(port, '127.0.0.1', resolve))
  client = () => createClient(apiUrl, stack.anonKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: WebSocket as never },
  })
})

afterAll(async () => {
  await new Promise(resolve => server.close(resolve))
  await pool.end()
})

describe('sign-up with confirmations on', () => {
  it('answers with the user but no session, and mails a confirmation', async () => {
    const email = newEmail('confirming')
    const { data, error } = await client().auth.signUp({ email, password })
    expect(error).toBeNull()
    expect(data.session).toBeNull()
    expect(data.user).toMatchObject({ email })
    expect(data.user?.email_confirmed_at).toBeUndefined()
    expect((await lastMessage(email)).meta.type).toBe('signup')

    const early = await client().auth.signInWithPassword({ email, password })
    expect(early.error).toMatchObject({ status: 400, code: 'email_not_confirmed' })
  })

  it('signs the user in from the confirmation link', async () => {
    const email = newEmail('linked')
    await client().auth.signUp({ email, password })
    const res = await fetch((await lastMessage(email)).meta.link!, { redirect: 'manual' })
    const fragment = new URLSearchParams(new URL(res.headers.get('location')!).hash.slice(1))
    expect(fragment.get('type')).toBe('signup')
    expect(fragment.get('access_token')).toBeTruthy()
    expect((await client().auth.signInWithPassword({ email, password })).error).toBeNull()
  })

  it('answers a second sign-up like a first one, without revealing the account or mailing', async () => {
    const email = newEmail('twice')
    const first = await client().auth.signUp({ email, password })
    const second = await client().auth.signUp({ email, password: 'another password' })
    expect(second.error).toBeNull()
    expect(second.data.user?.id).not.toBe(first.data.user?.id)
    expect(second.data.user?.identities).toEqual([])
    expect(await mailTo(email)).toHaveLength(1)
  })
})
