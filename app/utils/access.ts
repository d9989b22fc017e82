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
