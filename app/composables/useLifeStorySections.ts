// What each section of the life story holds: its table, form fields, schema and the
// guided prompts a relative can answer in place. The forms read this; pages that only
// show the story read the schema-free list in #shared/lifeStorySectionList instead.
import type { ZodType } from 'zod'
import { everydayWishSchema, interestSchema, lifeEventSchema, relationSchema } from '#shared/schemas/lifeStory'
import { lifeStorySectionList, type LifeStorySectionKey, type LifeStorySectionOutline } from '#shared/lifeStorySectionList'

export type { LifeStoryField, LifeStoryPrompt, LifeStorySectionKey, LifeStoryTable } from '#shared/lifeStorySectionList'

type ItemSchema = (birthYear: number | null, birthDate?: string | null) => ZodType<Record<string, unknown>>

/** How a section is shown and saved. */
export interface LifeStorySection extends LifeStorySectionOutline {
  schema: ItemSchema
}

const schemas: Record<LifeStorySectionKey, ItemSchema> = {
  people: () => relationSchema as unknown as ZodType<Record<string, unknown>>,
  life: (birthYear, birthDate) => lifeEventSchema(birthYear, birthDate) as unknown as ZodType<Record<string, unknown>>,
  interests: () => interestSchema as unknown as ZodType<Record<string, unknown>>,
  everyday: () => everydayWishSchema as unknown as ZodType<Record<string, unknown>>,
}

/** The four item sections with their schemas, in the order the profile shows them. */
export const lifeStorySections: LifeStorySection[] = lifeStorySectionList.map(section => ({ ...section, schema: schemas[section.key] }))

/** The section with this key; throws for a key no page should use. */
export function lifeStorySection(key: LifeStorySectionKey): LifeStorySection {
  const section = lifeStorySections.find(s => s.key === key)
  if (!section) throw new Error(`There is no life-story section called "${key}".`)
  return section
}
