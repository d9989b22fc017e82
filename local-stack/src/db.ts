import type pg from 'pg'
import type { JwtClaims } from './jwt.ts'

export const apiRoles = new Set(['anon', 'authenticated', 'service_role'])

/**
 * Runs `fn` in one transaction as the caller's role with their JWT claims set,
 * the way PostgREST and storage-api do, so that Postgres RLS decides.
 * Everything set here is transaction-local and gone at commit or rollback.
 */
export async function withRole<T>(
  pool: pg.Pool,
  claims: JwtClaims,
  fn: (client: pg.PoolClient) => Promise<T>,
  options: { readOnly?: boolean, settings?: Record<string, string> } = {},
): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query(options.readOnly ? 'begin read only' : 'begin')
    const settings: Record<string, string> = {
      'role': String(claims.role),
      'request.jwt.claims': JSON.stringify(claims),
      'request.jwt.claim.sub': typeof claims.sub === 'string' ? claims.sub : '',
      'request.jwt.claim.role': String(claims.role),
      ...options.settings,
    }
    const names = Object.keys(settings)
    await client.query(
      `select ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      names.flatMap(name => [name, settings[name]]),
    )
    const result = await fn(client)
    await client.query('commit')
    return result
  }
  catch (error) {
    await client.query('rollback').catch(() => {})
    throw error
  }
  finally {
    client.release()
  }
}
