// Everything the privacy page shows about one profile, read as the signed-in
// person: which actions their role allows (privacy_rights), the retention
// dates, removal requests, recorded consents and pending choices about
// departed authors. RLS decides what each list holds.
import type { SupabaseClient } from '@supabase/supabase-js'

export interface PrivacyRights {
  role: string | null
  export: boolean
  archive: boolean
  extend: boolean
  delete: boolean
  moderate: boolean
  decide_departed: boolean
}

export interface RemovalRequest {
  id: string
  media_item_id: string | null
  requested_by: string
  reason: string | null
  status: 'pending' | 'photo_removed' | 'tag_removed' | 'declined'
  created_at: string
  decided_at: string | null
  requester: { display_name: string } | null
  photo: { caption: string | null, variants: Record<string, string> | null, storage_path: string } | null
  url?: string
}

export interface Consent { kind: 'relation' | 'photo', id: string, label: string | null, by: string | null, at: string }

export interface DepartedChoice { id: string, author_name: string, item_count: number, due_at: string }

export interface Retention {
  status: 'active' | 'archived'
  archived_at: string | null
  delete_after: string | null
  retention_reminded_at: string | null
}

function check<T>(result: { data: unknown, error: unknown }): T {
  if (result.error) throw result.error
  return result.data as T
}

async function loadConsents(supabase: SupabaseClient, residentId: string): Promise<Consent[]> {
  const [relations, photos] = await Promise.all([
    supabase.from('relations').select('id, name, consent_confirmed_at, confirmer:people!relations_consent_confirmed_by_fkey(display_name)')
      .eq('resident_id', residentId).not('consent_confirmed_at', 'is', null).then(check<Record<string, unknown>[]>),
    supabase.from('media_items').select('id, caption, consent_confirmed_at, confirmer:people!media_items_consent_confirmed_by_fkey(display_name)')
      .eq('resident_id', residentId).not('consent_confirmed_at', 'is', null).then(check<Record<string, unknown>[]>),
  ])
  const by = (row: Record<string, unknown>) => (row.confirmer as { display_name: string } | null)?.display_name ?? null
  return [
    ...relations.map(row => ({ kind: 'relation' as const, id: String(row.id), label: String(row.name), by: by(row), at: String(row.consent_confirmed_at) })),
    ...photos.map(row => ({ kind: 'photo' as const, id: String(row.id), label: row.caption as string | null, by: by(row), at: String(row.consent_confirmed_at) })),
  ].sort((a, b) => b.at.localeCompare(a.at))
}

async function loadRequests(supabase: SupabaseClient, residentId: string): Promise<RemovalRequest[]> {
  const rows = await supabase.from('media_removal_requests')
    .select('id, media_item_id, requested_by, reason, status, created_at, decided_at, '
      + 'requester:people!media_removal_requests_requested_by_fkey(display_name), '
      + 'photo:media_items(caption, variants, storage_path)')
    .eq('resident_id', residentId).order('created_at', { ascending: false }).limit(100)
    .then(check<RemovalRequest[]>)
  const paths = rows.map(r => r.photo?.variants?.thumbnail ?? r.photo?.storage_path)
  const urls = await signedPhotoUrls(supabase, paths, 600).catch(() => ({} as Record<string, string>))
  return rows.map(r => ({ ...r, url: urls[r.photo?.variants?.thumbnail ?? r.photo?.storage_path ?? ''] }))
}

/** Loads the privacy page's data for a resident; `rights.role` is null when the person has no access. */
export function usePrivacyProfile(residentId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`privacy-${toValue(residentId)}`, async () => {
    const id = toValue(residentId)
    const rights = await supabase.rpc('privacy_rights', { resident_id: id }).then(check<PrivacyRights>)
    if (!rights.role) return { rights, name: '', retention: null, requests: [], consents: [], departed: [] }
    const [resident, retention, requests, consents, departed] = await Promise.all([
      supabase.from('residents').select('display_name').eq('id', id).single().then(check<{ display_name: string }>),
      supabase.from('resident_retention').select('status, archived_at, delete_after, retention_reminded_at')
        .eq('resident_id', id).maybeSingle().then(check<Retention | null>),
      rights.moderate ? loadRequests(supabase, id) : [],
      rights.moderate ? loadConsents(supabase, id) : [],
      rights.decide_departed
        ? supabase.from('departed_author_decisions').select('id, author_name, item_count, due_at').eq('resident_id', id)
            .order('created_at').then(check<DepartedChoice[]>)
        : [],
    ])
    return { rights, name: resident.display_name, retention, requests, consents, departed }
  }, { server: false })
}
