// Describes a failure of a privacy action in the reader's language: the
// database's hint or the server route's reason when we have words for it,
// otherwise the app's general error sentences.
interface PrivacyErrorLike {
  hint?: string
  data?: { data?: { reason?: string, hint?: string } }
}

/** A function that turns a privacy action's error into a sentence. */
export function usePrivacyError() {
  const { t, te } = useI18n()
  const general = useErrorMessage()
  return (error: unknown) => {
    const e = (error ?? {}) as PrivacyErrorLike
    const code = e.hint ?? e.data?.data?.hint ?? e.data?.data?.reason
    return code && te(`privacy.hints.${code}`) ? t(`privacy.hints.${code}`) : general(error)
  }
}
