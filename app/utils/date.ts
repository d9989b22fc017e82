// Dates and times are shown as in Norway (Europe/Oslo), whatever the device's zone.
const timeZone = 'Europe/Oslo'

function language(locale: string) {
  return locale === 'en' ? 'en-GB' : 'nb-NO'
}

/** "4. desember 2026 kl. 17:08" in Oslo time. */
export function formatDateTime(value: string | Date, locale = 'nb') {
  return new Intl.DateTimeFormat(language(locale), {
    timeZone, dateStyle: 'long', timeStyle: 'short',
  }).format(new Date(value))
}

/** "4. desember 2026" in Oslo time. */
export function formatDate(value: string | Date, locale = 'nb') {
  return new Intl.DateTimeFormat(language(locale), { timeZone, dateStyle: 'long' }).format(new Date(value))
}
