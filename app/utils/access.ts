// The queries behind the access store; every row they return passed RLS.
import type { SupabaseClient } from '@supabase/supabase-js'

export interface UnitAccess { id: string, name: string, role: string }
export interface ResidentAccess { id: string, name: string, role: string, unitId: string | null }
export interface OrganisationAccess { id: string, name: string }
export interface LegalDocument { id: string, kind: string, version: number, title: string, body: string }

export interface Access {
  units: UnitAccess[]
  residents: ResidentAccess[]
  organisations: OrganisationAccess[]
  pendingTerms: LegalDocument[]
}

function check<T>(result: { data: T | null, error: unknown }): T {
  if (result.error) throw result.error
  return result.data as T
}

/** Reads the person's memberships and the legal documents they have not accepted yet. */
export async function fetchAccess(supabase: SupabaseClient, userId: string): Promise<Access> {
  const [unitRows, residentRows, organisationRows, pendingTerms] = await Promise.all([
    supabase.from('unit_members').select('role, unit:units(id, name)').eq('user_id', userId),
    supabase.from('resident_members').select('role, resident:residents(id, display_name, unit_id)')
      .eq('user_id', userId),
    supabase.from('organisation_members').select('organisation:organisations(id, name)')
      .eq('user_id', userId).eq('role', 'admin'),
    fetchPendingTerms(supabase, 'nb'),
  ]).then(([units, residents, organisations, terms]) =>
    [check(units), check(residents), check(organisations), terms] as const)

  return {
    units: (unitRows as unknown as { role: string, unit: { id: string, name: string } }[])
      .map(row => ({ id: row.unit.id, name: row.unit.name, role: row.role })),
    residents: (residentRows as unknown as ResidentRow[])
      .map(row => ({ id: row.resident.id, name: row.resident.display_name, role: row.role, unitId: row.resident.unit_id })),
    organisations: (organisationRows as unknown as { organisation: OrganisationAccess }[])
      .map(row => row.organisation),
    pendingTerms,
  }
}

interface ResidentRow { role: string, resident: { id: string, display_name: string, unit_id: string | null } }

/** The current version of each legal document the person has not accepted, in their language. */
export async function fetchPendingTerms(supabase: SupabaseClient, locale: string): Promise<LegalDocument[]> {
  return check(await supabase.rpc('pending_legal_documents', { locale })) as LegalDocument[]
}
