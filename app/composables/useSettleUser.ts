// Right after a sign-in (password, e-mail link, SMS code, a session from a link), supabase-js
// tells @nuxtjs/supabase about the new session, and the module then asks for the user without
// waiting for the answer (getClaims: a request to Auth on a project with a shared JWT secret).
// A page that moved on at once found nobody signed in yet: the route guard sent the person
// back to sign-in as "session expired", and the invitation page failed on a missing user.
// Waiting for the user here, before moving on, closes that gap on a slow device or network.

/** Returns a function that reads the signed-in user now and sets useSupabaseUser() to it. */
export function useSettleUser() {
  const supabase = useSupabaseClient()
  const user = useSupabaseUser()
  return async () => {
    const { data, error } = await supabase.auth.getClaims()
    if (error) throw error
    user.value = data?.claims ?? null
    return user.value
  }
}
