// The queries behind the access store; every row they return passed RLS.
import type { SupabaseClient } from '@supabase/supabase-js'

export interface UnitAccess { id: string, name: string, role: string }
export interface ResidentAccess { id: string, name: string, role: string, unitId: string }
export interface OrganisationAccess { id: string, name: string }
export interface LegalDocument { id: string, kind: string, version: number, title: string, body: string }

export interface Access {
  units: UnitAccess[]
  residents: ResidentAccess[]
  organisations: OrganisationAccess[]
  pendingTerms: LegalDocument[]
}

interface UnitRow { role: string, unit: { id: string, name: string } | null }
interface ResidentRow { role: string, resident: { id: string, display_name: string, unit_id: string } | null }
interface OrganisationRow { organisation: OrganisationAccess | null }
interface LegalRow {
  id: string
  kind: string
  version: number
  accepted: boolean
  title_nb: string
  title_en: string
  body_nb: string
  body_en: string
}

function check<T>(result: { data: unknown, error: unknown }): T {
  if (result.error) throw result.error
  return result.data as T
}

/** Reads the person's memberships and the legal documents they have not accepted yet. */
export async function fetchAccess(supabase: SupabaseClient, userId: string): Promise<Access> {
  const [units, residents, organisations, pendingTerms] = await Promise.all([
    supabase.from('unit_members').select('role, unit:units(id, name)').eq('user_id', userId)
      .then(result => check<UnitRow[]>(result)),
    supabase.from('resident_members').select('role, resident:residents(id, display_name, unit_id)')
      .eq('user_id', userId).then(result => check<ResidentRow[]>(result)),
    supabase.from('organisation_admins').select('organisation:organisations(id, name)')
      .eq('user_id', userId).then(result => check<OrganisationRow[]>(result)),
    fetchPendingTerms(supabase, 'nb'),
  ])

  return {
    units: units.flatMap(row => row.unit ? [{ id: row.unit.id, name: row.unit.name, role: row.role }] : []),
    residents: residents.flatMap(row => row.resident
      ? [{ id: row.resident.id, name: row.resident.display_name, role: row.role, unitId: row.resident.unit_id }]
      : []),
    organisations: organisations.flatMap(row => row.organisation ? [row.organisation] : []),
    pendingTerms,
  }
}

/** The current version of each legal document the person has not accepted, in their language. */
export async function fetchPendingTerms(supabase: SupabaseClient, locale: string): Promise<LegalDocument[]> {
  const rows = check<LegalRow[]>(await supabase.from('current_legal_documents')
    .select('id, kind, version, accepted, title_nb, title_en, body_nb, body_en').order('kind'))
  const english = locale === 'en'
  return rows.filter(row => !row.accepted).map(row => ({
    id: row.id, kind: row.kind, version: row.version,
    title: english ? row.title_en : row.title_nb,
    body: english ? row.body_en : row.body_nb,
  }))
}

/** Every unit the person may see (RLS decides), by name. */
export async function fetchVisibleUnits(supabase: SupabaseClient) {
  return check<{ id: string, name: string }[]>(await supabase.from('units').select('id, name').order('name'))
}

/** Display names for the given people, keyed by id (for authors of posts). */
export async function fetchPeopleNames(supabase: SupabaseClient, ids: (string | null)[]) {
  const wanted = [...new Set(ids.filter((id): id is string => Boolean(id)))]
  if (!wanted.length) return new Map<string, string>()
  const rows = check<{ id: string, display_name: string }[]>(
    await supabase.from('people').select('id, display_name').in('id', wanted))
  return new Map(rows.map(row => [row.id, row.display_name]))
}

/** A person's effective role on a resident's profile, as `private.resident_role` names it. */
export type ResidentRole = 'org_admin' | 'leader' | 'superuser' | 'staff' | 'primary_contact' | 'relative'
  | 'viewer' | 'resident'

/**
 * The strongest role the person has on a resident in the unit `unitId`, ranked as the
 * database ranks them. Only ask for a resident the database let the person read: an
 * org admin without a membership is then taken to administer its organisation.
 */
export function residentRole(access: Access, residentId: string, unitId: string | null): ResidentRole | null {
  const unitRole = access.units.find(unit => unit.id === unitId)?.role as ResidentRole | undefined
  const memberRole = access.residents.find(resident => resident.id === residentId)?.role as ResidentRole | undefined
  if (access.organisations.length && !unitRole && !memberRole) return 'org_admin'
  return unitRole ?? memberRole ?? null
}

// The same table as `private.role_has` in the migrations, for showing or hiding controls.
// The database refuses anything else anyway; this only spares people a dead button.
const capabilities = {
  invite: ['org_admin', 'leader', 'superuser', 'staff', 'primary_contact'],
  contribute: ['org_admin', 'leader', 'superuser', 'staff', 'primary_contact', 'relative', 'resident'],
} satisfies Record<string, ResidentRole[]>

/** Whether a role on a profile carries a capability. */
export function roleCan(role: ResidentRole | null, capability: keyof typeof capabilities) {
  return role !== null && (capabilities[capability] as ResidentRole[]).includes(role)
}

/** The roles a person with `role` may give on a profile (see `create_invitation`). */
export function profileRolesFor(role: ResidentRole | null): string[] {
  if (role === 'primary_contact') return ['relative', 'viewer']
  return roleCan(role, 'invite') ? ['relative', 'viewer', 'primary_contact', 'resident'] : []
}

/**
 * The roles a person may give in a unit of `organisationId`: org admins and leaders all
 * three, superusers all but leader, anyone else none.
 */
export function unitRolesFor(access: Access, unitId: string, organisationId: string | null): string[] {
  if (access.organisations.some(organisation => organisation.id === organisationId)) return ['staff', 'superuser', 'leader']
  const role = access.units.find(unit => unit.id === unitId)?.role
  if (role === 'leader') return ['staff', 'superuser', 'leader']
  if (role === 'superuser') return ['staff', 'superuser']
  return []
}
