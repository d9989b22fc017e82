// The insight figures against the demo in supabase/seed.sql, counted by hand.
// The tables below copy the seed's guestbook rows (who wrote, how long before
// the seed ran); weeks are Oslo weeks, so the expected weekly figures are worked
// out from those offsets rather than written down for one particular day.
import { beforeAll, describe, expect, it } from 'vitest'
import { clientFor, one } from '../access/fixtures.ts'

const staff = ['kari', 'mona', 'tor', 'ali', 'siri']
const relatives = ['anne', 'per', 'emma', 'knut', 'lise', 'berit']
const hours = (days: number, h = 0) => (days * 24 + h) * 3_600_000

/** [unit, author, time before the seed] of every seeded guestbook post. */
const posts: [string, string, number][] = [
  ['solsiden', 'kari', hours(1, 2)], ['solsiden', 'anne', hours(2, 5)], ['solsiden', 'emma', hours(5, 3)],
  ['solsiden', 'mona', hours(8, 6)], ['solsiden', 'per', hours(12, 1)], ['solsiden', 'kari', hours(20, 4)],
  ['solsiden', 'anne', hours(31)],
  ['solsiden', 'tor', hours(1, 5)], ['solsiden', 'knut', hours(3, 2)], ['solsiden', 'johannes', hours(4, 1)],
  ['solsiden', 'lise', hours(9, 3)], ['solsiden', 'kari', hours(15, 2)],
  ['fjordtunet', 'ali', hours(2, 4)], ['fjordtunet', 'berit', hours(6, 2)], ['fjordtunet', 'siri', hours(18, 5)],
]
/** Comments and visits count as activity too. */
const comments: [string, string, number][] = [
  ['solsiden', 'anne', hours(1)], ['solsiden', 'per', hours(0, 20)], ['solsiden', 'knut', hours(1, 1)],
  ['fjordtunet', 'berit', hours(2)],
]
const visits: [string, string, number][] = [['solsiden', 'per', 0], ['solsiden', 'emma', 0], ['fjordtunet', 'ali', 0]]

const osloWeek = (at: Date) => {
  const day = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Oslo' }).format(at)
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() - ((date.getUTCDay() + 6) % 7))
  return date.toISOString().slice(0, 10)
}

/** Per week: distinct active relatives and staff, and posts by each, for the units given. */
function expectedWeeks(seedTime: number, units: string[]) {
  const weeks = new Map<string, { relatives: Set<string>, staff: Set<string>, byRelatives: number, byStaff: number }>()
  const week = (offset: number) => {
    const key = osloWeek(new Date(seedTime - offset))
    if (!weeks.has(key)) weeks.set(key, { relatives: new Set(), staff: new Set(), byRelatives: 0, byStaff: 0 })
    return weeks.get(key)!
  }
  for (const [unit, who, offset] of [...posts, ...comments, ...visits]) {
    if (!units.includes(unit)) continue
    if (relatives.includes(who)) week(offset).relatives.add(who)
    if (staff.includes(who)) week(offset).staff.add(who)
  }
  for (const [unit, who, offset] of posts) {
    if (!units.includes(unit)) continue
    if (relatives.includes(who)) week(offset).byRelatives += 1
    if (staff.includes(who)) week(offset).byStaff += 1
  }
  return weeks
}

interface FigureWeek {
  weekStart: string
  relativesActive: number
  staffActive: number
  postsByRelatives: number
  postsByStaff: number
}

interface Figures {
  residents: number
  sections: Record<string, number>
  usable: { now: number, becameUsable: number, medianDays: number }
  totals: Record<string, number>
  weeks: FigureWeek[]
}

let seedTime: number
let ids: Record<string, string>
let bounds: { period_start: string, period_end: string }

beforeAll(async () => {
  // Every story in the seed was written when the seed ran; later tests add their own.
  seedTime = Date.parse((await one<{ at: Date }>(`select min(s.created_at) as at from public.stories s
    join public.residents r on r.id = s.resident_id where r.display_name = 'Ingrid Marie Bakken'`))!.at.toISOString())
  const people = await one<Record<string, string>>(`select
    (select id from auth.users where email = 'hege.solberg@demo.minnespor.no') as hege,
    (select id from auth.users where email = 'tor.eriksen@demo.minnespor.no') as tor,
    (select id from public.units where name = 'Avdeling Solsiden') as solsiden,
    (select id from public.organisations where name = 'Fjordvik kommune') as fjordvik`)
  ids = people!
  bounds = { period_start: new Date(seedTime - hours(60)).toISOString(), period_end: new Date(seedTime + 1000).toISOString() }
})

function checkWeeks(figures: Figures, units: string[]) {
  const expected = expectedWeeks(seedTime, units)
  // Visits are kept per week, so the week the period ends in also counts whoever opened a
  // demo profile later that week: other test files sign in as demo staff and relatives.
  // That week's active people are at least the seeded ones; every other figure is exact.
  const lastWeek = osloWeek(new Date(bounds.period_end))
  for (const week of figures.weeks) {
    const want = expected.get(week.weekStart)
    const active = { relatives: want?.relatives.size ?? 0, staff: want?.staff.size ?? 0 }
    if (week.weekStart === lastWeek) {
      expect(week.relativesActive, week.weekStart).toBeGreaterThanOrEqual(active.relatives)
      expect(week.staffActive, week.weekStart).toBeGreaterThanOrEqual(active.staff)
      Object.assign(active, { relatives: week.relativesActive, staff: week.staffActive })
    }
    expect({ week: week.weekStart, relatives: week.relativesActive, staff: week.staffActive,
      byRelatives: week.postsByRelatives, byStaff: week.postsByStaff })
      .toEqual({ week: week.weekStart, ...active, byRelatives: want?.byRelatives ?? 0, byStaff: want?.byStaff ?? 0 })
  }
  const first = Date.parse(osloWeek(new Date(bounds.period_start)))
  const last = Date.parse(osloWeek(new Date(bounds.period_end)))
  expect(figures.weeks.length).toBe((last - first) / (7 * 86_400_000) + 1)
}

describe('insight on the demo', () => {
  it('Avdeling Solsiden, as its leader Tor', async () => {
    const { data, error } = await (await clientFor(ids.tor)).rpc('unit_insight', { unit: ids.solsiden, ...bounds })
    expect(error).toBeNull()
    const figures = data as Figures
    expect(figures.residents).toBe(2)
    expect(figures.sections).toEqual({ whoIAm: 2, people: 2, life: 2, stories: 2, interests: 2, everyday: 2, albums: 2 })
    // Photos: Ingrid's 5 and Johannes' 3 media rows, all images.
    expect(figures.totals).toEqual({ photosAdded: 8, storiesAdded: 4, postsByRelatives: 6, postsByStaff: 5,
      postsByResident: 1 })
    // Ingrid arrived 210 days before, Johannes 95: the lower middle of two is 95.
    expect(figures.usable).toEqual({ now: 2, becameUsable: 2, medianDays: 95 })
    checkWeeks(figures, ['solsiden'])
  })

  it('Fjordvik kommune, as its org admin Hege', async () => {
    const { data, error } = await (await clientFor(ids.hege))
      .rpc('organisation_insight', { organisation: ids.fjordvik, ...bounds })
    expect(error).toBeNull()
    const figures = data as Figures
    expect(figures.residents).toBe(3)
    expect(figures.totals).toEqual({ photosAdded: 10, storiesAdded: 5, postsByRelatives: 7, postsByStaff: 7,
      postsByResident: 1 })
    // 95, 210 and 400 days: the middle is 210.
    expect(figures.usable).toEqual({ now: 3, becameUsable: 3, medianDays: 210 })
    checkWeeks(figures, ['solsiden', 'fjordtunet'])
  })

  it('Solsiden\'s goals: nobody had My people and My life within 4 weeks, both got a glimpse this week', async () => {
    const { data, error } = await (await clientFor(ids.tor)).rpc('unit_goal_progress', { unit: ids.solsiden })
    expect(error).toBeNull()
    expect((data as { kind: string, met: number, not_due: number, total: number }[])
      .map(goal => [goal.kind, Number(goal.met), Number(goal.not_due), Number(goal.total)]).sort())
      .toEqual([['glimpse_every_week', 2, 0, 2], ['sections_within_weeks', 0, 0, 2]])
  })
})
