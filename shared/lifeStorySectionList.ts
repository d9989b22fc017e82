// The sections of the life story without their form schemas: table, icon, fields,
// guided prompts and grouping. Pages that only show the story (the front page's
// overview, the completeness note) read this list, so they never load zod; the forms
// use useLifeStorySections, which adds each section's schema.

/** The life periods a timeline is grouped by. */
export const lifePeriods = ['childhood', 'youth', 'adult_life', 'later_life'] as const
/** Categories of interests, as the table allows. */
export const interestCategories = ['music', 'food', 'nature', 'crafts', 'sport', 'faith', 'places', 'reading', 'animals', 'other'] as const
/** Categories of everyday wishes, as the table allows. */
export const wishCategories = ['routine', 'food_and_drink', 'music', 'calming', 'dislikes', 'conversation', 'activity', 'other'] as const
/** A wish moves from wished to planned to done. */
export const wishStatuses = ['wished', 'planned', 'done'] as const

export type LifeStorySectionKey = 'people' | 'life' | 'interests' | 'everyday'
export type LifeStoryTable = 'relations' | 'life_events' | 'interests' | 'everyday_wishes' | 'stories'

/** One form field: its column (or `consent`), how it is entered, and the choices of a select. */
export interface LifeStoryField {
  name: string
  kind: 'text' | 'textarea' | 'number' | 'date' | 'checkbox' | 'select' | 'photo'
  options?: readonly string[]
  /** Translation prefix of the options, e.g. `lifeStory.periods`. */
  optionsKey?: string
  required?: boolean
}

/** A guided question; its answer becomes a new item with these values. */
export interface LifeStoryPrompt { key: string, values: Record<string, unknown> }

/** How a section is shown, before its schema is added. */
export interface LifeStorySectionOutline {
  key: LifeStorySectionKey
  table: LifeStoryTable
  icon: string
  titleField: 'name' | 'title'
  fields: LifeStoryField[]
  prompts: LifeStoryPrompt[]
  /** Items are grouped by this column (timeline by life period, interests by category). */
  groupBy?: { column: string, values: readonly string[], labelKey: string }
  reorderable?: boolean
}

const description: LifeStoryField = { name: 'description', kind: 'textarea' }
const photo: LifeStoryField = { name: 'photo_path', kind: 'photo' }

/** The four item sections, in the order the profile shows them. */
export const lifeStorySectionList: LifeStorySectionOutline[] = [
  {
    key: 'people', table: 'relations', icon: 'i-lucide-users', titleField: 'name', reorderable: true,
    fields: [
      { name: 'name', kind: 'text', required: true }, { name: 'relationship', kind: 'text' }, description, photo,
      { name: 'is_key', kind: 'checkbox' }, { name: 'is_living', kind: 'checkbox' }, { name: 'consent', kind: 'checkbox' },
    ],
    prompts: [{ key: 'family', values: { is_key: true } }, { key: 'spouse', values: { is_key: true } }],
  },
  {
    key: 'life', table: 'life_events', icon: 'i-lucide-milestone', titleField: 'title', reorderable: true,
    fields: [
      { name: 'title', kind: 'text', required: true }, { name: 'event_year', kind: 'number' },
      { name: 'event_date', kind: 'date' }, { name: 'place', kind: 'text' },
      { name: 'life_period', kind: 'select', options: lifePeriods, optionsKey: 'lifeStory.periods' }, description, photo,
    ],
    prompts: [{ key: 'work', values: { life_period: 'adult_life' } }, { key: 'childhood', values: { life_period: 'childhood' } }],
    groupBy: { column: 'life_period', values: lifePeriods, labelKey: 'lifeStory.periods' },
  },
  {
    key: 'interests', table: 'interests', icon: 'i-lucide-heart', titleField: 'title',
    fields: [
      { name: 'category', kind: 'select', options: interestCategories, optionsKey: 'lifeStory.interestCategories' },
      { name: 'title', kind: 'text', required: true }, description, { name: 'music_link', kind: 'text' }, photo,
    ],
    prompts: [{ key: 'hobby', values: { category: 'other' } }],
    groupBy: { column: 'category', values: interestCategories, labelKey: 'lifeStory.interestCategories' },
  },
  {
    key: 'everyday', table: 'everyday_wishes', icon: 'i-lucide-sun', titleField: 'title',
    fields: [
      { name: 'category', kind: 'select', options: wishCategories, optionsKey: 'lifeStory.wishCategories' },
      { name: 'title', kind: 'text', required: true }, description, { name: 'music_link', kind: 'text' },
      { name: 'status', kind: 'select', options: wishStatuses, optionsKey: 'lifeStory.statuses' }, photo,
    ],
    prompts: [
      { key: 'morningMusic', values: { category: 'music' } }, { key: 'calming', values: { category: 'calming' } },
      { key: 'avoid', values: { category: 'dislikes' } }, { key: 'topics', values: { category: 'conversation' } },
    ],
    groupBy: { column: 'category', values: wishCategories, labelKey: 'lifeStory.wishCategories' },
  },
]
