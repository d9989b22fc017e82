import type { AsyncDataRequestStatus } from '#app'

/**
 * Sends the person to the access-denied page when a page's data has loaded and what it
 * needs is not there: row-level security hides what someone may not see, so "not found"
 * and "not yours" look the same from here, and the page says so in words.
 */
export function useDeniedWhenMissing(status: Ref<AsyncDataRequestStatus>, found: () => unknown) {
  watchEffect(() => {
    if (status.value === 'success' && !found()) navigateTo('/access-denied', { replace: true })
  })
}
