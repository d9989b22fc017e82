// Items of the life story (my people, my life, interests, everyday wishes), shared
// by the forms and server code. Messages are translation keys under `lifeStory.errors`.
import { z } from 'zod'
import { pastDateSchema } from './resident'
import { interestCategories, lifePeriods, wishCategories, wishStatuses } from '../lifeStorySectionList'

const title = z.string().trim().min(1, { error: 'lifeStory.errors.required' }).max(200, { error: 'lifeStory.errors.tooLong' })
const optionalText = (max: number) => z.string().trim().max(max, { error: 'lifeStory.errors.tooLong' })
  .transform(value => value || null).nullable().optional()
const empty = z.literal('').transform(() => null)
/** An item's photo: a key in bucket "media", chosen from the albums or uploaded. */
export const photoPathSchema = z.string().trim().max(500, { error: 'lifeStory.errors.tooLong' })
  .transform(value => value || null).nullable().optional()

// The choices are kept in a zod-free file, so pages that only show them need not load zod.
export { interestCategories, lifePeriods, wishCategories, wishStatuses } from '../lifeStorySectionList'

/** My people: a relation. A living person's photo or description needs their consent. */
export const relationSchema = z.object({
  name: title,
  relationship: optionalText(100),
  description: optionalText(4000),
  photo_path: photoPathSchema,
  is_key: z.boolean().default(false),
  is_living: z.boolean().nullable().default(null),
  consent: z.boolean().default(false),
}).refine(r => !(r.is_living && (r.description || r.photo_path) && !r.consent),
  { error: 'lifeStory.errors.consent', path: ['consent'] })

/**
 * My life: an event with a year or an exact date, a place and a life period; not in the
 * future, and not before the resident's birth (the date when known, else the year).
 */
export function lifeEventSchema(birthYear: number | null = null, birthDate: string | null = null) {
  return z.object({
    title,
    description: optionalText(4000),
    event_year: z.union([empty, z.coerce.number({ error: 'lifeStory.errors.year' }).int({ error: 'lifeStory.errors.year' })
      .min(1880, { error: 'lifeStory.errors.year' })
      .refine(year => year <= new Date().getFullYear(), { error: 'lifeStory.errors.future' })],
    { error: 'lifeStory.errors.year' }).nullable().optional(),
    event_date: z.union([empty, pastDateSchema]).nullable().optional(),
    place: optionalText(200),
    photo_path: photoPathSchema,
    life_period: z.union([empty, z.enum(lifePeriods)]).nullable().optional(),
  }).transform(({ event_year, event_date, ...rest }) => ({
    ...rest,
    event_date: event_date ?? null,
    event_year: event_date ? Number(event_date.slice(0, 4)) : event_year ?? null,
    date_precision: event_date ? 'day' as const : 'year' as const,
  })).refine(e => !e.event_date || !birthDate || e.event_date >= birthDate,
    { error: 'lifeStory.errors.beforeBirth', path: ['event_date'] })
    .refine(e => e.event_date || birthYear === null || e.event_year === null || e.event_year >= birthYear,
      { error: 'lifeStory.errors.beforeBirth', path: ['event_year'] })
    .refine(e => !e.event_date || birthDate || birthYear === null || e.event_year! >= birthYear,
      { error: 'lifeStory.errors.beforeBirth', path: ['event_date'] })
}

/** For music: where to play it from (conversation mode shows it large); http(s) only, as the table checks. */
const musicLink = z.string().trim().max(500, { error: 'lifeStory.errors.tooLong' })
  .refine(link => link === '' || /^https?:\/\/\S+$/i.test(link), { error: 'conversation.errors.musicLink' })
  .transform(link => link || null).nullable().optional()

/** Interests: a category and what it is. */
export const interestSchema = z.object({
  category: z.enum(interestCategories).default('other'),
  title,
  description: optionalText(4000),
  music_link: musicLink,
  photo_path: photoPathSchema,
})

/** What matters to me every day: a wish by category, followed from wished to done. */
export const everydayWishSchema = z.object({
  category: z.enum(wishCategories).default('other'),
  title,
  description: optionalText(4000),
  music_link: musicLink,
  photo_path: photoPathSchema,
  status: z.enum(wishStatuses).default('wished'),
})
