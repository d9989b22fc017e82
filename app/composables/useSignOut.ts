/** Signs out on this device (or everywhere) and returns to the sign-in page. */
export function useSignOut() {
  const supabase = useSupabaseClient()
  const access = useAccessStore()

  async function signOut(scope: 'local' | 'global' = 'local') {
    const { error } = await supabase.auth.signOut({ scope })
    // A failed global sign-out still ends this device's session: say so on the next page.
    access.$reset()
    // The calm set kept for offline use on a ward tablet goes with the session.
    await forgetCalmSets().catch(() => {})
    await navigateTo({ path: '/sign-in', query: error ? { reason: 'signOutFailed' } : { reason: 'signedOut' } })
  }

  return { signOut }
}
