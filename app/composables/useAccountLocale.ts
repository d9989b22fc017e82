/** Returns a function that switches to the language saved on the account, if any. */
export function useAccountLocale() {
  const { locale, setLocale, locales } = useI18n()
  const supabase = useSupabaseClient()

  return async () => {
    const { data } = await supabase.auth.getUser()
    const saved = data.user?.user_metadata?.locale
    const known = locales.value.some(option => option.code === saved)
    if (known && saved !== locale.value) await setLocale(saved)
  }
}
