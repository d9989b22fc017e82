import type pg from 'pg'
import type { JwtClaims } from '../jwt.ts'
import type { Access } from './hub.ts'

/** What every member of a public channel may do. */
export const openAccess: Access = { broadcastRead: true, broadcastWrite: true, presenceRead: true, presenceWrite: true }

const extensions = ['broadcast', 'presence'] as const

/**
 * What the RLS policies on realtime.messages allow these claims on a private
 * channel, probed as Supabase does: in a transaction that is always rolled
 * back, with role, claims and `realtime.topic` set. Read = the role can select
 * a probe row the superuser inserted; write = the role can insert one itself.
 */
export async function authorizeChannel(admin: pg.Pool, name: string, claims: JwtClaims): Promise<Access> {
  const client = await admin.connect()
  try {
    await client.query('begin')
    const probes = await client.query<{ id: string, extension: string }>(
      `insert into realtime.messages (topic, extension, private, event, payload)
       select $1, e, true, 'access_probe', '{}' from unnest($2::text[]) as e
       returning id::text, extension`, [name, extensions])
    await client.query(`select set_config('role', $1, true), set_config('realtime.topic', $2, true),
      set_config('request.jwt.claims', $3, true), set_config('request.jwt.claim.sub', $4, true),
      set_config('request.jwt.claim.role', $1, true), set_config('request.headers', '{}', true)`,
    [claims.role, name, JSON.stringify(claims), typeof claims.sub === 'string' ? claims.sub : ''])

    const readable = new Set<string>()
    await client.query('savepoint probe')
    try {
      const { rows } = await client.query<{ extension: string }>(
        'select extension from realtime.messages where id = any($1::uuid[])', [probes.rows.map(r => r.id)])
      for (const row of rows) readable.add(row.extension)
    }
    catch {
      await client.query('rollback to savepoint probe')
    }

    const writable = new Set<string>()
    for (const extension of extensions) {
      await client.query('savepoint probe')
      try {
        await client.query(`insert into realtime.messages (topic, extension, private, event)
          values ($1, $2, true, 'access_probe')`, [name, extension])
        writable.add(extension)
      }
      catch {
        // A refused insert is the answer "may not write", not a failure.
      }
      await client.query('rollback to savepoint probe')
    }
    return {
      broadcastRead: readable.has('broadcast'),
      presenceRead: readable.has('presence'),
      broadcastWrite: writable.has('broadcast'),
      presenceWrite: writable.has('presence'),
    }
  }
  finally {
    await client.query('rollback').catch(() => {})
    client.release()
  }
}

/** The reason Supabase gives when a join is refused by RLS. */
export function unauthorizedReason(name: string) {
  return `Unauthorized: You do not have permissions to read from this Channel topic: ${name}`
}
