// Explore mode: the profile can be looked through and the guestbook written in, but
// no edit or delete control is shown, whatever the person's role. For a shared ward
// tablet or a grandchild's hands. The choice is a cookie, so the server renders the
// same page the browser shows; viewers are always in this mode.
import { defineStore } from 'pinia'

export const exploreCookie = 'minnespor-explore'

export const useExploreStore = defineStore('explore', () => {
  const chosen = useCookie<string | null>(exploreCookie, { sameSite: 'lax', maxAge: 60 * 60 * 24 * 365, default: () => null })
  const access = useAccessStore()

  /** Someone who can only view (no staff role, no other role on any resident) is always exploring. */
  const forced = computed(() => {
    const { units, residents, organisations } = access.access
    return !units.length && !organisations.length && residents.length > 0 && residents.every(r => r.role === 'viewer')
  })
  const active = computed(() => chosen.value === '1' || forced.value)

  function enter() {
    chosen.value = '1'
  }

  /** Leaving needs the person's password again: the tablet may be in someone else's hands. */
  async function leave(password: string) {
    const supabase = useSupabaseClient()
    const user = useSupabaseUser()
    const { data } = await supabase.auth.getUser()
    const email = data.user?.email || null
    const phone = data.user?.phone || null
    if (!email && !phone && !user.value) throw new Error('errors.sessionExpired')
    const { error } = email
      ? await supabase.auth.signInWithPassword({ email, password })
      : await supabase.auth.signInWithPassword({ phone: phone!, password })
    if (error) throw error
    chosen.value = null
  }

  return { chosen, forced, active, enter, leave }
})
