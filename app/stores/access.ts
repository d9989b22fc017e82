// What the signed-in person may reach: their units, residents and organisations,
// and which current legal documents they still have to accept. The database decides
// (RLS); this store only remembers the answer for the session's navigation.
import { defineStore } from 'pinia'
import { fetchAccess, type Access } from '~/utils/access'

const empty = (): Access => ({ units: [], residents: [], organisations: [], pendingTerms: [] })

export const useAccessStore = defineStore('access', () => {
  const access = ref<Access>(empty())
  const loadedFor = ref<string | null>(null)

  /** Loads the person's access once per user; `force` reloads after a change. */
  async function load(force = false) {
    const user = useSupabaseUser()
    const userId = user.value?.sub ?? null
    if (!userId) return $reset()
    if (!force && loadedFor.value === userId) return
    access.value = await fetchAccess(useSupabaseClient(), userId)
    loadedFor.value = userId
  }

  function $reset() {
    access.value = empty()
    loadedFor.value = null
  }

  /** Where the person lands: org admins on their overview, staff on their unit, relatives on their resident. */
  const homePath = computed(() => {
    const { organisations, units, residents } = access.value
    if (organisations.length) return '/overview'
    if (units.length === 1) return `/units/${units[0]!.id}`
    if (units.length > 1) return '/overview'
    if (residents.length === 1) return `/residents/${residents[0]!.id}`
    if (residents.length > 1) return '/residents'
    return '/welcome'
  })

  const termsPending = computed(() => access.value.pendingTerms.length > 0)

  /** Whether the person may invite to this resident: staff on the unit, or a primary contact. */
  function canInviteTo(residentId: string, unitId: string | null) {
    const { units, residents } = access.value
    if (useExploreMode().value) return false
    return units.some(unit => unit.id === unitId)
      || residents.some(resident => resident.id === residentId && resident.role === 'primary_contact')
  }

  return { access, loadedFor, load, $reset, homePath, termsPending, canInviteTo }
})
