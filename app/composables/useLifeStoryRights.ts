// What the signed-in person may do with a resident's life story, for showing or hiding
// controls. Only a hint: the database (RLS and its triggers) refuses anything else anyway.
export interface LifeStoryRights {
  userId: string | null
  /** May add items and edit their own. */
  contribute: boolean
  /** May edit and delete what others added (staff, admins, the primary contact). */
  moderate: boolean
  /** The resident: may hide anything from view. */
  hideAny: boolean
  /** May post everyday glimpses to the guestbook (staff). */
  glimpse: boolean
}

/** The person's rights on this resident's life story, from the access store. */
export function useLifeStoryRights(residentId: MaybeRefOrGetter<string>, unitId: MaybeRefOrGetter<string | null>) {
  const access = useAccessStore()
  const user = useSupabaseUser()
  const exploring = useExploreMode()
  return computed<LifeStoryRights>(() => {
    const { units, residents, organisations } = access.access
    const userId = user.value?.sub ?? null
    // Explore mode shows no edit control at all, whatever the role: everyone acts as a viewer.
    const role = exploring.value ? 'viewer' : residents.find(r => r.id === toValue(residentId))?.role
    const staff = !exploring.value && (units.some(u => u.id === toValue(unitId)) || (!role && organisations.length > 0))
    return {
      userId,
      contribute: staff || ['primary_contact', 'relative', 'resident'].includes(role ?? ''),
      moderate: staff || role === 'primary_contact',
      hideAny: staff || role === 'primary_contact' || role === 'resident',
      glimpse: staff,
    }
  })
}

/** Whether these rights allow editing or deleting an item added by `createdBy`. */
export function canChangeItem(rights: LifeStoryRights, createdBy: string | null) {
  return rights.moderate || (rights.contribute && createdBy !== null && createdBy === rights.userId)
}
