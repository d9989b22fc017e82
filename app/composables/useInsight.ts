// Insight figures for a unit or the whole organisation over a period. The
// database returns counts only (public.unit_insight / organisation_insight).
export const insightSections = ['whoIAm', 'people', 'life', 'stories', 'interests', 'everyday', 'albums'] as const
export type InsightSection = typeof insightSections[number]

export interface InsightWeek {
  weekStart: string
  photosAdded: number
  storiesAdded: number
  postsByRelatives: number
  postsByStaff: number
  relativesActive: number
  staffActive: number
}

export interface Insight {
  residents: number
  sections: Record<InsightSection, number>
  usable: { now: number, becameUsable: number, medianDays: number | null }
  totals: {
    photosAdded: number
    storiesAdded: number
    postsByRelatives: number
    postsByStaff: number
    postsByResident: number
  }
  weeks: InsightWeek[]
}

export type InsightScope = { unitId: string } | { organisationId: string }

/** A period as two dates (yyyy-mm-dd, both included), read in Oslo time. */
export interface InsightPeriod { from: string, to: string }

/** The start of a day in Europe/Oslo as an ISO instant (the offset is +01:00 or +02:00). */
export function osloDayStart(day: string) {
  const noon = new Date(`${day}T12:00:00Z`)
  const osloHour = Number(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Oslo', hour: '2-digit', hourCycle: 'h23' })
    .format(noon))
  const offset = osloHour - 12
  return new Date(Date.parse(`${day}T00:00:00Z`) - offset * 3_600_000).toISOString()
}

/** The day after, as yyyy-mm-dd. */
export function nextDay(day: string) {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)
}

/** The last `days` days up to today (Oslo), as a period. */
export function recentPeriod(days: number, today = new Date()): InsightPeriod {
  const to = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(today)
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10)
  return { from, to }
}

/** Loads the figures for the scope; reloads when the period changes. */
export function useInsight(scope: InsightScope, period: Ref<InsightPeriod>) {
  const supabase = useSupabaseClient()
  const key = 'unitId' in scope ? `insight-unit-${scope.unitId}` : `insight-org-${scope.organisationId}`
  return useAsyncData(key, async () => {
    const bounds = { period_start: osloDayStart(period.value.from), period_end: osloDayStart(nextDay(period.value.to)) }
    const { data, error } = 'unitId' in scope
      ? await supabase.rpc('unit_insight', { unit: scope.unitId, ...bounds })
      : await supabase.rpc('organisation_insight', { organisation: scope.organisationId, ...bounds })
    if (error) throw error
    return data as unknown as Insight
  }, { watch: [period], server: false })
}
