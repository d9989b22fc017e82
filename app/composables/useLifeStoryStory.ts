// One story: loading it and saving title, life period and body (JSON and plain text).
import { storySchema, type StoryInput, type StoryNode } from '#shared/schemas/story'

/** A story as the story page shows it. */
export interface LifeStoryStory {
  id: string
  title: string
  life_period: string | null
  body: StoryNode
  body_text: string
  created_by: string | null
  created_at: string
}

/** Loads a story of the resident (`null` when missing or not visible) and saves changes. */
export function useLifeStoryStory(residentId: MaybeRefOrGetter<string>, storyId: MaybeRefOrGetter<string>) {
  const supabase = useSupabaseClient()
  const state = useAsyncData(`story-${toValue(storyId)}`, async () => {
    if (toValue(storyId) === 'new') return null
    const { data, error } = await supabase.from('stories')
      .select('id, title, life_period, body, body_text, created_by, created_at')
      .eq('id', toValue(storyId)).eq('resident_id', toValue(residentId)).maybeSingle()
    if (error) throw error
    return data as LifeStoryStory | null
  }, { watch: [() => toValue(storyId)] })

  /** Saves the story (new or existing) and returns its id; throws zod or database errors. */
  async function save(input: StoryInput, healthConfirmed: boolean): Promise<string> {
    const values = storySchema.parse(input)
    const existing = toValue(storyId)
    const id = existing === 'new' ? crypto.randomUUID() : existing
    let query = existing === 'new'
      ? supabase.from('stories').insert({ ...values, id, resident_id: toValue(residentId) }).select('id')
      // An existing story's text is saved live (useStoryCollaboration); here only its details.
      : supabase.from('stories').update({ title: values.title, life_period: values.life_period }).eq('id', id).select('id')
    if (healthConfirmed) query = query.setHeader('x-health-confirmed', 'true')
    const { data, error } = await query
    if (error) throw error
    if (existing !== 'new' && !data?.length) throw Object.assign(new Error('Not allowed'), { code: '42501' })
    return id
  }
  return { ...state, save }
}
