// Invite and sign-in links from Auth land here with the session in the URL fragment
// (`#access_token=…&refresh_token=…`). The browser client is set up for PKCE and ignores
// such fragments, so we hand the tokens to it ourselves and clear them from the address bar.

/** Adopts a session carried in the URL fragment, if any; `failed` when the link was used up. */
export function useLinkSession() {
  const supabase = useSupabaseClient()
  const settleUser = useSettleUser()
  const state = ref<'none' | 'adopting' | 'adopted' | 'failed'>('none')

  async function adopt() {
    const fragment = new URLSearchParams(window.location.hash.replace(/^#/, ''))
    const accessToken = fragment.get('access_token')
    const refreshToken = fragment.get('refresh_token')
    if (fragment.get('error') || fragment.get('error_code')) state.value = 'failed'
    if (window.location.hash) history.replaceState(null, '', window.location.pathname + window.location.search)
    if (!accessToken || !refreshToken) return
    state.value = 'adopting'
    const { error } = await supabase.auth.setSession({ access_token: accessToken, refresh_token: refreshToken })
    const settled = error ? null : await settleUser().catch(() => null)
    state.value = settled ? 'adopted' : 'failed'
  }

  return { state, adopt }
}
