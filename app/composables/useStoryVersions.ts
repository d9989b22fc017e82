// A story's earlier versions (one per ten-minute save window, newest first) with the names
// of those whose changes were saved in each, and what each changed compared with the one before.
import type { StoryNode } from '#shared/schemas/story'

/** One version: the text at the end of its window and who wrote in it. */
export interface StoryVersion {
  id: string
  body: StoryNode
  bodyText: string
  authors: string[]
  savedAt: string
  /** Words added and removed compared with the version before. */
  added: string[]
  removed: string[]
}

interface VersionRow { id: string, body: StoryNode, body_text: string, authors: string[], saved_at: string }

/** Words of `after` not in `before`, and the other way round (counted, so repeats matter). */
export function wordChanges(before: string, after: string) {
  const count = (text: string) => {
    const words = new Map<string, number>()
    for (const word of text.split(/\s+/).filter(Boolean)) words.set(word, (words.get(word) ?? 0) + 1)
    return words
  }
  const minus = (a: Map<string, number>, b: Map<string, number>) =>
    [...a].flatMap(([word, n]) => Array<string>(Math.max(0, n - (b.get(word) ?? 0))).fill(word))
  const old = count(before)
  const now = count(after)
  return { added: minus(now, old), removed: minus(old, now) }
}

/** Loads the versions of a story on demand. */
export function useStoryVersions(storyId: string) {
  const supabase = useSupabaseClient()
  const versions = ref<StoryVersion[]>([])
  const status = ref<'idle' | 'loading' | 'done' | 'error'>('idle')

  async function load() {
    status.value = 'loading'
    try {
      const { data, error } = await supabase.from('story_versions').select('id, body, body_text, authors, saved_at')
        .eq('story_id', storyId).order('saved_at', { ascending: false }).limit(50)
      if (error) throw error
      const rows = (data ?? []) as VersionRow[]
      const ids = [...new Set(rows.flatMap(row => row.authors))]
      const { data: people, error: peopleError } = ids.length
        ? await supabase.from('people').select('id, display_name').in('id', ids)
        : { data: [], error: null }
      if (peopleError) throw peopleError
      const names = new Map((people ?? []).map(p => [p.id as string, p.display_name as string]))
      versions.value = rows.map((row, i) => ({
        id: row.id, body: row.body, bodyText: row.body_text, savedAt: row.saved_at,
        authors: row.authors.map(id => names.get(id) ?? ''),
        ...wordChanges(rows[i + 1]?.body_text ?? '', row.body_text),
      }))
      status.value = 'done'
    }
    catch {
      status.value = 'error'
    }
  }

  return { versions, status, load }
}
