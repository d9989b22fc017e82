// Turns a refusal from the admin RPCs into a sentence: their hints have texts in
// the admin area (admin.hints.*); anything else falls back to the shared messages.
/** A function that describes an admin action's error in the current language. */
export function useAdminError() {
  const { t, te } = useI18n()
  const describe = useErrorMessage()
  return (error: unknown) => {
    const e = (error ?? {}) as { hint?: string, data?: { data?: { hint?: string } } }
    const hint = e.hint ?? e.data?.data?.hint
    if (hint && te(`admin.hints.${hint}`)) return t(`admin.hints.${hint}`)
    return describe(error)
  }
}
