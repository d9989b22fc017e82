// Sign-in takes an e-mail address or a phone number in one field.
export type Contact = { email: string } | { phone: string }

/** Reads an e-mail address or a phone number (8 Norwegian digits get +47). */
export function parseContact(raw: string): Contact | null {
  const value = raw.trim()
  if (value.includes('@')) return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value) ? { email: value.toLowerCase() } : null
  const digits = value.replace(/[\s().-]/g, '')
  if (/^\d{8}$/.test(digits)) return { phone: `+47${digits}` }
  // People copy the number as the SMS shows it: country code without the plus.
  if (/^47\d{8}$/.test(digits)) return { phone: `+${digits}` }
  if (/^(\+|00)\d{8,15}$/.test(digits)) return { phone: `+${digits.replace(/^(\+|00)/, '')}` }
  return null
}

/** A path inside the app to continue to, never an address elsewhere. */
export function safeNext(next: unknown, fallback = '/') {
  return typeof next === 'string' && next.startsWith('/') && !next.startsWith('//') ? next : fallback
}
