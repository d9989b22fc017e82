import { randomUUID } from 'node:crypto'
import { createClient, type SupabaseClient } from '@supabase/supabase-js'
import pg from 'pg'
import { afterAll } from 'vitest'
import WebSocket from 'ws'
import { stack, userToken } from '../../local-stack/tests/support.ts'

/** Everyone the access rules of issue 4 talk about, plus the outsiders they must keep out. */
export const actors = [
  'orgAdmin', 'leader', 'superuser', 'staff', 'primaryContact', 'relative', 'viewer', 'resident',
  'anonymous', 'otherUnitStaff', 'otherRelative', 'termsNotAccepted', 'formerStaff',
] as const
export type Actor = typeof actors[number]

/** Actors grouped by what issue 4's table grants them on "their" resident. */
export const can = {
  read: ['orgAdmin', 'leader', 'superuser', 'staff', 'primaryContact', 'relative', 'viewer', 'resident'],
  contribute: ['orgAdmin', 'leader', 'superuser', 'staff', 'primaryContact', 'relative', 'resident'],
  moderate: ['orgAdmin', 'leader', 'superuser', 'staff', 'primaryContact'],
  manageUnit: ['orgAdmin', 'leader', 'superuser'],
  orgAdmin: ['orgAdmin'],
  nobody: [],
} satisfies Record<string, Actor[]>

// Node 20 has no global WebSocket; supabase-js needs `ws` as its realtime transport.
const clientOptions = {
  auth: { persistSession: false, autoRefreshToken: false, detectSessionInUrl: false },
  realtime: { transport: WebSocket as never },
}

/** A supabase-js client acting as the user (by a signed token), or as anonymous without one. */
export async function clientFor(userId?: string): Promise<SupabaseClient> {
  if (!userId) return createClient(stack.apiUrl, stack.anonKey, clientOptions)
  const token = await userToken(userId)
  return createClient(stack.apiUrl, stack.anonKey, {
    ...clientOptions,
    global: { headers: { Authorization: `Bearer ${token}` } },
  })
}

/** A supabase-js client with the service-role key, as the Nuxt server has. */
export function serverClient(): SupabaseClient {
  return createClient(stack.apiUrl, stack.serviceRoleKey, clientOptions)
}

const pool = new pg.Pool({ connectionString: stack.dbUrl, max: 4 })
afterAll(() => pool.end())

/** Runs SQL as `postgres` (bypasses RLS) on a shared pool, for setting up and checking. */
export async function db<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []) {
  return pool.query<T>(text, params)
}

/** The first row of a query, or undefined. */
export async function one<T extends pg.QueryResultRow = pg.QueryResultRow>(text: string, params: unknown[] = []) {
  return (await db<T>(text, params)).rows[0]
}

/** An auth user (and so a people row) with a unique e-mail and phone. */
// Phone numbers come from a run of numbers starting at a random point per test process: eight
// random digits each collided now and then across the thousands of users a full run makes.
let phoneCounter = Math.floor(Math.random() * 100_000_000)

export async function createUser(name: string, options: { email?: string, phone?: string } = {}) {
  const id = randomUUID()
  const email = options.email ?? `${name.toLowerCase().replace(/\W+/g, '.')}.${id.slice(0, 8)}@test.minnespor.no`
  const phone = options.phone ?? `47${String(phoneCounter++ % 100_000_000).padStart(8, '0')}`
  await db(`insert into auth.users (id, aud, role, email, phone, raw_user_meta_data, created_at, updated_at,
      email_confirmed_at) values ($1, 'authenticated', 'authenticated', $2, $3, $4, now(), now(), now())`,
  [id, email, phone, { display_name: name }])
  return { id, email, phone }
}

/** Makes sure a current version of each legal document exists (the seed normally has them). */
async function ensureLegalDocuments() {
  await db(`insert into public.legal_documents (kind, version, title_nb, title_en, body_nb, body_en, published_at)
    select kind, 1, 'Vilkår', 'Terms', 'Tekst', 'Text', now() - interval '1 day'
    from unnest(enum_range(null::public.legal_document_kind)) as kind
    on conflict (kind, version) do nothing`)
}

/** Records that the user accepted every current legal document. */
export async function acceptTerms(userId: string) {
  await db(`insert into public.legal_acceptances (user_id, document_id)
    select $1, id from public.current_legal_documents on conflict do nothing`, [userId])
}

export interface World {
  organisationId: string
  unitId: string
  otherUnitId: string
  /** The resident every actor is measured against. */
  residentId: string
  /** A resident in the same unit whom only `otherRelative` (and the unit's staff) know. */
  otherResidentId: string
  /** A relative of the resident who authored the shared content rows ("someone else"). */
  authorId: string
  users: Record<Exclude<Actor, 'anonymous'>, string>
  client(actor: Actor): Promise<SupabaseClient>
  /** A client for any user id, e.g. the author. */
  clientOf(userId: string): Promise<SupabaseClient>
}

/** A fresh organisation with two units, two residents and one user per actor. */
export async function createWorld(label = 'Test'): Promise<World> {
  await ensureLegalDocuments()
  const organisationId = randomUUID()
  const unitId = randomUUID()
  const otherUnitId = randomUUID()
  const residentId = randomUUID()
  const otherResidentId = randomUUID()
  await db(`insert into public.organisations (id, name) values ($1, $2)`, [organisationId, `${label} kommune`])
  await db(`insert into public.units (id, organisation_id, name) values ($1, $3, 'Solsiden'), ($2, $3, 'Fjordtunet')`,
    [unitId, otherUnitId, organisationId])
  await db(`insert into public.residents (id, unit_id, display_name, created_by) values
    ($1, $3, 'Ingrid Bakken', null), ($2, $3, 'Olav Lunde', null)`, [residentId, otherResidentId, unitId])

  const names = actors.filter((a): a is Exclude<Actor, 'anonymous'> => a !== 'anonymous')
  const created = await Promise.all(names.map(async a => [a, (await createUser(a)).id]))
  const users = Object.fromEntries(created) as World['users']
  const author = await createUser('author')

  await db(`insert into public.organisation_admins (organisation_id, user_id) values ($1, $2)`,
    [organisationId, users.orgAdmin])
  await db(`insert into public.unit_members (unit_id, user_id, role) values
    ($1, $2, 'leader'), ($1, $3, 'superuser'), ($1, $4, 'staff'), ($5, $6, 'staff'), ($1, $7, 'staff')`,
  [unitId, users.leader, users.superuser, users.staff, otherUnitId, users.otherUnitStaff, users.formerStaff])
  await db(`insert into public.resident_members (resident_id, user_id, role, relationship) values
    ($1, $2, 'primary_contact', 'datter'), ($1, $3, 'relative', 'sønn'), ($1, $4, 'viewer', 'barnebarn'),
    ($1, $5, 'resident', null), ($1, $6, 'relative', 'svigerdatter'), ($1, $7, 'relative', 'nevø'),
    ($8, $9, 'relative', 'datter')`,
  [residentId, users.primaryContact, users.relative, users.viewer, users.resident, users.termsNotAccepted,
    author.id, otherResidentId, users.otherRelative])
  // A former staff member: was in the unit, then left.
  await db(`delete from public.unit_members where unit_id = $1 and user_id = $2`, [unitId, users.formerStaff])

  for (const [actor, id] of Object.entries(users)) {
    if (actor !== 'termsNotAccepted') await acceptTerms(id)
  }
  await acceptTerms(author.id)

  const clients = new Map<Actor, Promise<SupabaseClient>>()
  return {
    organisationId, unitId, otherUnitId, residentId, otherResidentId, authorId: author.id, users,
    client(actor) {
      if (!clients.has(actor)) {
        clients.set(actor, clientFor(actor === 'anonymous' ? undefined : users[actor]))
      }
      return clients.get(actor)!
    },
    clientOf: clientFor,
  }
}

/** Whether a row matching all the given columns exists (checked as `postgres`, past RLS). */
export async function rowExists(table: string, match: Record<string, unknown>) {
  const keys = Object.keys(match)
  const where = keys.map((k, i) => `${pg.escapeIdentifier(k)} = $${i + 1}`).join(' and ')
  const row = await one(`select 1 from public.${pg.escapeIdentifier(table)} where ${where}`, keys.map(k => match[k]))
  return row !== undefined
}
