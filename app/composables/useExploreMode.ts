// Whether edit controls may show: every "can edit" check in the app consults this,
// so explore mode hides them all at once. The database still decides what is allowed.
import { useExploreStore } from '~/stores/explore'

/** True while the person explores: no edit, delete, upload or invite control is shown. */
export function useExploreMode() {
  const explore = useExploreStore()
  return computed(() => explore.active)
}

// Pages that exist only to change things; in explore mode they lead to the page
// for leaving explore mode instead. Matched against the route's path.
const editPages = [
  /^\/account(\/|$)/,
  /^\/admin(\/|$)/,
  /^\/audit(\/|$)/,
  /\/invitations(\/|$)/,
  /\/stories\/new$/,
  /^\/residents\/[^/]+\/privacy(\/|$)/,
  /^\/residents\/[^/]+\/conversation\/calm-set$/,
]

/** Whether a path is one of the pages made for changing things. */
export function isEditPage(path: string) {
  return editPages.some(pattern => pattern.test(path))
}

/**
 * Registers public/sw.js, which makes the app installable and keeps the calm set's
 * page for offline use. Called from the header and the conversation pages; once is enough.
 */
export function registerServiceWorker() {
  if (import.meta.server || !('serviceWorker' in navigator)) return
  navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch(() => {
    // Without a worker the app still works online; only offline use is lost.
  })
}
