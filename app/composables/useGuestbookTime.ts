// "akkurat nå", "i dag kl. 09.30", "i går kl. 14.05": when a post was written, in
// words, in Oslo time whatever the device's zone, updated as the minutes pass.
type Translate = (key: string, values?: Record<string, unknown>, plural?: number) => string

const zone = 'Europe/Oslo'
const day = (value: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(value)
// The calendar day before, not 24 hours before: the day the clocks change has 23 or 25 hours.
const dayBefore = (isoDay: string) => {
  const [year, month, date] = isoDay.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(year, month - 1, date - 1)).toISOString().slice(0, 10)
}

/** The friendly time of `value` as seen at `now`. */
export function friendlyTime(value: string, now: Date, t: Translate, locale: string) {
  const date = new Date(value)
  const minutes = Math.floor((now.getTime() - date.getTime()) / 60_000)
  if (minutes < 1) return t('guestbook.time.justNow')
  if (minutes < 60) return t('guestbook.time.minutesAgo', { count: minutes }, minutes)
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-GB', {
    timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(date)
    .map(part => [part.type, part.value]))
  // Norwegian writes 14.05, English 14:05.
  const time = `${parts.hour}${locale === 'en' ? ':' : '.'}${parts.minute}`
  if (day(date) === day(now)) return t('guestbook.time.today', { time })
  if (day(date) === dayBefore(day(now))) return t('guestbook.time.yesterday', { time })
  const sameYear = day(date).slice(0, 4) === day(now).slice(0, 4)
  const when = new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'nb-NO', {
    timeZone: zone, day: 'numeric', month: 'long', ...(sameYear ? {} : { year: 'numeric' }) }).format(date)
  return t('guestbook.time.date', { date: when, time })
}

/** A `format(value)` that renders friendly times as of the feed's clock (see useGuestbookClock). */
export function useGuestbookTime() {
  const { t, locale } = useI18n()
  const now = useState('guestbook-now', () => new Date())
  return (value: string) => friendlyTime(value, now.value, t as Translate, locale.value)
}

/** Moves the friendly times on every minute; one clock per page, not one timer per post. */
export function useGuestbookClock() {
  const now = useState('guestbook-now', () => new Date())
  useIntervalFn(() => {
    now.value = new Date()
  }, 60_000)
}
