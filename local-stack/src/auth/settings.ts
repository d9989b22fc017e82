/** How the GoTrue stand-in behaves; each value can be set by an environment variable. */
export interface AuthSettings {
  /** Where links go when `redirect_to` is missing or not allowed (GoTrue's SITE_URL). */
  siteUrl: string
  /** Access-token lifetime in seconds (GOTRUE_JWT_EXP). */
  jwtExpiry: number
  /** Sign-ups get a session at once, like the Supabase CLI's default. */
  autoconfirm: boolean
  /** An e-mail change must be confirmed from the old and the new address. */
  secureEmailChange: boolean
  minPasswordLength: number
  /** Seconds a revoked refresh token may still be exchanged (client retries). */
  refreshReuseInterval: number
  emailOtpExpiry: number
  smsOtpExpiry: number
  /** Minimum seconds between two mails or texts of one kind to one user. */
  sendFrequency: number
  /** Wrong passwords allowed per account, then per client address, within the window. */
  maxFailuresPerAccount: number
  maxFailuresPerAddress: number
  /** Wrong one-time codes allowed per e-mail or phone within the window. */
  maxCodeFailures: number
  failureWindow: number
}

function numberFrom(value: string | undefined, fallback: number) {
  const parsed = Number(value)
  return value !== undefined && value !== '' && Number.isFinite(parsed) ? parsed : fallback
}

/** Reads the auth settings from STACK_* variables, with the Supabase CLI's defaults. */
export function loadAuthSettings(env: NodeJS.ProcessEnv = process.env): AuthSettings {
  return {
    siteUrl: env.STACK_SITE_URL || 'http://localhost:3000',
    jwtExpiry: numberFrom(env.STACK_AUTH_JWT_EXPIRY, 3600),
    autoconfirm: env.STACK_AUTH_AUTOCONFIRM !== 'false',
    secureEmailChange: env.STACK_AUTH_SECURE_EMAIL_CHANGE !== 'false',
    minPasswordLength: numberFrom(env.STACK_AUTH_MIN_PASSWORD_LENGTH, 6),
    refreshReuseInterval: numberFrom(env.STACK_AUTH_REFRESH_REUSE_INTERVAL, 10),
    emailOtpExpiry: numberFrom(env.STACK_AUTH_EMAIL_OTP_EXPIRY, 3600),
    smsOtpExpiry: numberFrom(env.STACK_AUTH_SMS_OTP_EXPIRY, 60),
    sendFrequency: numberFrom(env.STACK_AUTH_SEND_FREQUENCY, 1),
    maxFailuresPerAccount: numberFrom(env.STACK_AUTH_MAX_FAILURES_PER_ACCOUNT, 5),
    maxFailuresPerAddress: numberFrom(env.STACK_AUTH_MAX_FAILURES_PER_ADDRESS, 30),
    maxCodeFailures: numberFrom(env.STACK_AUTH_MAX_CODE_FAILURES, 10),
    failureWindow: numberFrom(env.STACK_AUTH_FAILURE_WINDOW, 300),
  }
}

const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]'])

/**
 * The redirect target GoTrue's allow list would accept: the site URL's origin
 * and any loopback http(s) address; anything else falls back to the site URL.
 */
export function allowedRedirect(settings: AuthSettings, requested: string | null | undefined) {
  if (!requested) return settings.siteUrl
  let url: URL
  try {
    url = new URL(requested)
  }
  catch {
    return settings.siteUrl
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return settings.siteUrl
  if (url.username || url.password) return settings.siteUrl
  if (loopbackHosts.has(url.hostname)) return url.toString()
  return url.origin === new URL(settings.siteUrl).origin ? url.toString() : settings.siteUrl
}
