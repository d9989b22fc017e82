// The resident's own fields, shared by the forms and any server code. Messages
// are translation keys under `lifeStory.errors`, so each reader sees their language.
import { z } from 'zod'

const optionalText = (max: number) => z.string().trim().max(max, { error: 'lifeStory.errors.tooLong' })
  .transform(value => value || null).nullable().optional()

const thisYear = () => new Date().getFullYear()

/** A birth year: not before 1880 and not in the future. */
export const birthYearSchema = z.coerce.number({ error: 'lifeStory.errors.year' }).int({ error: 'lifeStory.errors.year' })
  .min(1880, { error: 'lifeStory.errors.year' })
  .refine(year => year <= thisYear(), { error: 'lifeStory.errors.future' })

/** An ISO date (yyyy-mm-dd) that is not in the future. */
export const pastDateSchema = z.iso.date({ error: 'lifeStory.errors.date' })
  .refine(date => date <= new Date().toISOString().slice(0, 10), { error: 'lifeStory.errors.future' })

/** What a leader fills in to create a resident: name, what they like to be called, birth, where they grew up. */
export const newResidentSchema = z.object({
  display_name: z.string().trim().min(1, { error: 'lifeStory.errors.required' }).max(200, { error: 'lifeStory.errors.tooLong' }),
  preferred_name: optionalText(100),
  birth_year: z.union([z.literal('').transform(() => null), birthYearSchema]).nullable().optional(),
  birth_date: z.union([z.literal('').transform(() => null), pastDateSchema]).nullable().optional(),
  grew_up_in: optionalText(200),
}).transform(({ birth_year, birth_date, ...rest }) => ({
  ...rest,
  birth_date: birth_date ?? null,
  // A full date also gives the year; the table insists the two agree.
  birth_year: birth_date ? Number(birth_date.slice(0, 4)) : birth_year ?? null,
}))
export type NewResident = z.output<typeof newResidentSchema>

/** "Who I am": the parts of the profile family and staff edit together. */
export const whoIAmSchema = z.object({
  preferred_name: optionalText(100),
  grew_up_in: optionalText(200),
  introduction: optionalText(4000),
  photo_path: z.string().trim().max(500, { error: 'lifeStory.errors.tooLong' })
    .transform(value => value || null).nullable().optional(),
})
export type WhoIAm = z.output<typeof whoIAmSchema>

/** The first message key of a failed parse for each field, e.g. `{ display_name: 'lifeStory.errors.required' }`. */
export function fieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {}
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form')
    errors[field] ??= issue.message.startsWith('lifeStory.') ? issue.message : 'lifeStory.errors.invalid'
  }
  return errors
}
