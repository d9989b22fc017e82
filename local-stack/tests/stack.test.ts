import { describe, expect, it } from 'vitest'
import { sql, stack } from './support.ts'

describe('the database is shaped like Supabase', () => {
  it('has the API roles, with service_role bypassing RLS', async () => {
    const { rows } = await sql(`select rolname, rolbypassrls from pg_roles
      where rolname in ('anon', 'authenticated', 'service_role', 'authenticator') order by rolname`)
    expect(rows).toEqual([
      { rolname: 'anon', rolbypassrls: false },
      { rolname: 'authenticated', rolbypassrls: false },
      { rolname: 'authenticator', rolbypassrls: false },
      { rolname: 'service_role', rolbypassrls: true },
    ])
  })

  it('runs migrations as a postgres role that is not a superuser', async () => {
    const { rows } = await sql(`select rolsuper, rolbypassrls from pg_roles where rolname = current_user`)
    expect(rows[0]).toEqual({ rolsuper: false, rolbypassrls: true })
  })

  it('reads auth.uid() and auth.role() from the request claims', async () => {
    const { rows } = await sql(`select set_config('request.jwt.claims', '{"sub":"9b1d4a4e-0c1a-4d6c-9a57-1d2e3f4a5b6c","role":"authenticated"}', false),
      auth.uid()::text as uid, auth.role() as role`)
    expect(rows[0].uid).toBe('9b1d4a4e-0c1a-4d6c-9a57-1d2e3f4a5b6c')
    expect(rows[0].role).toBe('authenticated')
  })

  it('gives NULL, not an error, for auth.uid() without claims', async () => {
    const { rows } = await sql('select auth.uid() as uid')
    expect(rows[0].uid).toBeNull()
  })

  it('has the storage helpers', async () => {
    const { rows } = await sql(`select storage.foldername('a/b/c.jpg') as folders,
      storage.filename('a/b/c.jpg') as file, storage.extension('a/b/c.jpg') as ext`)
    expect(rows[0]).toEqual({ folders: ['a', 'b'], file: 'c.jpg', ext: 'jpg' })
  })

  it('has an empty supabase_realtime publication ready for tables', async () => {
    const { rows } = await sql(`select count(*)::int as n from pg_publication where pubname = 'supabase_realtime'`)
    expect(rows[0].n).toBe(1)
  })
})

describe('the gateway', () => {
  it('answers the auth health check', async () => {
    const res = await fetch(`${stack.apiUrl}/auth/v1/health`)
    expect(res.status).toBe(200)
  })

  it('answers CORS preflights by echoing the requested headers', async () => {
    const res = await fetch(`${stack.apiUrl}/rest/v1/anything`, {
      method: 'OPTIONS',
      headers: { 'origin': 'http://localhost:3000', 'access-control-request-method': 'POST',
        'access-control-request-headers': 'apikey, x-client-info, prefer' },
    })
    expect(res.status).toBe(204)
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    expect(res.headers.get('access-control-allow-headers')).toBe('apikey, x-client-info, prefer')
  })

  it('records applied migrations where the Supabase CLI looks', async () => {
    const { rows } = await sql(`select to_regclass('supabase_migrations.schema_migrations') is not null as ok`)
    expect(rows[0].ok).toBe(true)
  })
})

describe('the mailbox', () => {
  it('serves a JSON list of messages', async () => {
    const res = await fetch(`${stack.mailboxUrl}/api/messages`)
    expect(res.status).toBe(200)
    expect(Array.isArray(await res.json())).toBe(true)
  })
})
