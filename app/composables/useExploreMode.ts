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
