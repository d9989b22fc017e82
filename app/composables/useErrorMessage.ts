// Turns a failure from Supabase (auth, REST, RPC) or the network into a sentence in
// the reader's language. RPC refusals carry a `hint` code that names the reason.
interface ErrorLike {
  name?: string
  message?: string
  status?: number
  statusCode?: number
  code?: string
  hint?: string
  // $fetch errors from our server routes carry the RPC's hint in `data.data`.
  data?: { hint?: string, code?: string, statusCode?: number, data?: { hint?: string, code?: string } }
}

/** The translation key that explains an error. */
export function errorKey(error: unknown): string {
  const e = (error ?? {}) as ErrorLike
  const hint = e.hint ?? e.data?.hint ?? e.data?.data?.hint
  if (hint) return `hints.${hint}`
  const status = e.status ?? e.statusCode
  const code = e.code ?? e.data?.code ?? e.data?.data?.code
  if (code && /^over_(email_|sms_)?send_rate_limit$/.test(code)) return 'errors.tooManyMessages'
  if (e.name === 'AuthRetryableFetchError' || e.message === 'Failed to fetch' || status === 0) return 'errors.network'
  if (e.name === 'TypeError' && /fetch|network/i.test(e.message ?? '')) return 'errors.network'
  // PostgREST and Storage clients wrap the browser's failure: "TypeError: Failed to fetch".
  if (/^(TypeError|FetchError|StorageUnknownError)?:?\s*(Failed to fetch|NetworkError|Load failed)/i.test(e.message ?? '')) return 'errors.network'
  if (status === 429 || code === 'over_request_rate_limit') return 'errors.lockedOut'
  if (code === 'invalid_credentials') return 'errors.wrongCredentials'
  if (code === 'weak_password') return 'errors.weakPassword'
  if (code === 'same_password') return 'errors.samePassword'
  if (code === 'session_not_found' || code === 'session_expired' || code === 'bad_jwt'
    || code === 'refresh_token_not_found' || code === 'PGRST301' || code === 'PGRST303') return 'errors.sessionExpired'
  if (status === 401 || e.name === 'AuthSessionMissingError') return 'errors.sessionExpired'
  if (status === 403 || code === '42501') return 'errors.accessDenied.body'
  if (status === 404) return 'errors.notFound.body'
  return 'errors.unexpected.body'
}

/** A function that describes any error in the current language. */
export function useErrorMessage() {
  const { t, te } = useI18n()
  return (error: unknown) => {
    const key = errorKey(error)
    return te(key) ? t(key) : t('errors.unexpected.body')
  }
}
