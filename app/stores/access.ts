// What the signed-in person may reach: their units, residents and organisations,
// and which current legal documents they still have to accept. The database decides
// (RLS); this store only remembers the answer for the session's navigation.
import { defineStore } from 'pinia'
import { fetchAccess, fetchPendingTerms, residentRole, roleCan, type Access } from '~/utils/access'

// How often a long browser session asks again whether new terms were published.
const termsRecheckMs = 60_000

const empty = (): Access => ({ units: [], residents: [], organisations: [], pendingTerms: [] })

export const useAccessStore = defineStore('access', () => {
  const access = ref<Access>(empty())
  const loadedFor = ref<string | null>(null)
  const termsCheckedAt = ref(0)

  /** Loads the person's access once per user; `force` reloads after a change. */
  async function load(force = false) {
    const user = useSupabaseUser()
    const userId = user.value?.sub ?? null
    if (!userId) return $reset()
    if (!force && loadedFor.value === userId) return
    access.value = await fetchAccess(useSupabaseClient(), userId)
    loadedFor.value = userId
    termsCheckedAt.value = Date.now()
  }

  /** Asks again for unaccepted terms when the last answer is over a minute old. */
  async function recheckTerms() {
    if (!loadedFor.value || Date.now() - termsCheckedAt.value < termsRecheckMs) return
    access.value.pendingTerms = await fetchPendingTerms(useSupabaseClient(), 'nb')
    termsCheckedAt.value = Date.now()
  }

  function $reset() {
    access.value = empty()
    loadedFor.value = null
    termsCheckedAt.value = 0
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

  /** Whether the person may invite to this resident (in unit `unitId`), as the database decides. */
  function canInviteTo(residentId: string, unitId: string | null) {
    // Explore mode shows no invite control, whatever the role.
    if (useExploreMode().value) return false
    return roleCan(residentRole(access.value, residentId, unitId), 'invite')
  }

  return { access, loadedFor, termsCheckedAt, load, recheckTerms, $reset, homePath, termsPending, canInviteTo }
})
