// The public preview of an invitation: reading it never uses it up, so mail
// scanners that open links do no harm.
export interface InvitationPreview {
  status: 'valid' | 'expired' | 'revoked' | 'used'
  kind: 'resident' | 'unit'
  resident_name: string | null
  unit_name: string | null
  role: string
  relationship: string | null
  invited_by_name: string | null
  masked_address: string | null
}

/** Loads the preview of the invitation with this token. */
export function useInvitationPreview(token: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  return useAsyncData(`invitation-${toValue(token)}`, async () => {
    const { data, error } = await supabase.rpc('invitation_preview', { token: toValue(token) })
    // An unknown token is not a failure: the page says it cannot find the invitation.
    if (error?.hint === 'invitation_not_found') return null
    if (error) throw error
    const row = (Array.isArray(data) ? data[0] : data) as InvitationPreview | null
    return row ?? null
  })
}
