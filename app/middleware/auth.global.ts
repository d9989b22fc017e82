// Every page needs a signed-in person who has accepted the current terms, except
// pages marked `public` (sign-in, invitations) or `beforeTerms` (the terms page).
declare module '#app' {
  interface PageMeta {
    /** Reachable without signing in. */
    public?: boolean
    /** Reachable signed in before the terms are accepted. */
    beforeTerms?: boolean
  }
}

export default defineNuxtRouteMiddleware(async (to) => {
  // Unknown addresses get the 404 page, signed in or not.
  if (to.meta.public || to.matched.length === 0) return

  const user = useSupabaseUser()
  if (!user.value) {
    // A session cookie without a user means the session ran out (or was signed out elsewhere).
    const cookiePrefix = useRuntimeConfig().public.supabase.cookiePrefix as string
    const cookies = import.meta.server ? useRequestHeaders(['cookie']).cookie ?? '' : document.cookie
    const hadSession = cookies.includes(`${cookiePrefix}=`) || cookies.includes(`${cookiePrefix}.0=`)
    const query: Record<string, string> = { next: to.fullPath }
    if (hadSession) query.reason = 'expired'
    return navigateTo({ path: '/sign-in', query })
  }

  if (to.meta.beforeTerms) return
  // Both stores are taken before the first `await`: after it, on the server, Pinia no longer
  // knows which request it serves and hands out the store set of whichever request was rendered
  // last (so one person's explore mode leaked into another's page, or an edit page failed).
  const access = useAccessStore()
  const explore = useExploreStore()
  try {
    await access.load()
    // A terms version published while the app is open asks again at the next page.
    if (import.meta.client) await access.recheckTerms()
  }
  catch (error) {
    const key = errorKey(error)
    if (key === 'errors.sessionExpired') return navigateTo({ path: '/sign-in', query: { next: to.fullPath, reason: 'expired' } })
    throw createError({ statusCode: 503, statusMessage: key, fatal: false })
  }
  if (access.termsPending) return navigateTo({ path: '/terms', query: { next: to.fullPath } })
  // Explore mode: pages made for changing things lead to leaving explore mode instead.
  if (isEditPage(to.path) && explore.active) return navigateTo({ path: '/explore/leave', query: { from: to.fullPath } })
  // Residents, units and stories are named by uuid; any other id cannot exist, and the
  // database would refuse the query, which left a blank page instead of the 404.
  if (['id', 'storyId', 'albumId'].some(name => typeof to.params[name] === 'string' && !uuidPattern.test(to.params[name]))) {
    return abortNavigation(createError({ statusCode: 404, statusMessage: 'Page not found', fatal: true }))
  }
})

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
