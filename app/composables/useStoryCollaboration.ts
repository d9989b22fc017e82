// One story's text as everyone edits it: the Yjs document loaded from the database, kept in
// step with the others by StoryProvider and saved by the story saver. Runs in the browser only.
import * as Y from 'yjs'
import { fromByteaHex, openingStoryState, storyBodyFromDoc, storyPlainText, type StoryNode } from '#shared/schemas/story'
import { StoryProvider, type StoryConnection } from './useStoryProvider'
import { createStorySaver, type StorySaveState } from './useStorySaver'

/** Someone with the story open, as their awareness state names them. */
export interface StoryPresent { clientId: number, name: string, color: string }

const caretColors = ['#b42318', '#175cd3', '#067647', '#6941c6', '#b54708', '#c11574', '#0e7090', '#4e5ba6']

/** A caret colour for a person, the same on every screen. */
export function storyCaretColor(userId: string) {
  let hash = 0
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0
  return caretColors[hash % caretColors.length]!
}

/** Loads the story's text and connects it; `canEdit` decides between editing and following. */
export function useStoryCollaboration(storyId: string, canEdit: boolean) {
  const supabase = useSupabaseClient()
  const user = useSupabaseUser()
  const status = ref<'loading' | 'ready' | 'error'>('loading')
  const connection = ref<StoryConnection>('connecting')
  const saver = shallowRef<ReturnType<typeof createStorySaver> | null>(null)
  const saveState = computed<StorySaveState>(() => saver.value?.state.value ?? 'saved')
  const present = ref<StoryPresent[]>([])
  const me = ref({ name: '', color: caretColors[0]! })
  const health = useLifeStoryHealthCheck()
  /** The words the person already confirmed are not health information. */
  const healthConfirmed = ref<string[]>([])
  const healthTerms = computed(() => health.terms.value.filter(term => !healthConfirmed.value.includes(term)))
  const doc = new Y.Doc()
  let provider: StoryProvider | null = null
  let catchUpTimer: ReturnType<typeof setTimeout> | undefined

  async function loadState() {
    const { data, error } = await supabase.from('stories').select('document_state, body').eq('id', storyId).maybeSingle()
    if (error || !data) throw error ?? new Error('story missing')
    return { stored: fromByteaHex(data.document_state as string | null), body: data.body as StoryNode }
  }

  // Someone who only follows cannot ask the editors for what they missed (they may not send);
  // when an update arrives whose earlier changes are missing, they read the saved state instead.
  function catchUpLater() {
    if (!provider?.missingChanges || catchUpTimer) return
    catchUpTimer = setTimeout(async () => {
      catchUpTimer = undefined
      const { stored } = await loadState().catch(() => ({ stored: null }))
      if (stored) Y.applyUpdate(doc, stored, 'database')
      catchUpLater()
    }, 2_000)
  }

  function listPresent() {
    present.value = [...provider!.awareness.getStates().entries()]
      .filter(([, state]) => state.user?.name)
      .map(([clientId, state]) => ({ clientId, name: String(state.user.name), color: String(state.user.color) }))
  }

  async function start() {
    const userId = user.value?.sub ?? ''
    // The editing topic moves when someone loses access (migration 20261205125300).
    // Null means no access any more; a failed call throws, so the provider can tell the two apart.
    const storyTopic = async () => {
      const { data, error } = await supabase.rpc('story_live_topic', { story: storyId })
      if (error) throw error
      return data as string | null
    }
    const [{ stored, body }, { data: person }, firstTopic] = await Promise.all([
      loadState(), supabase.from('people').select('display_name').eq('id', userId).maybeSingle(),
      storyTopic().catch(() => null),
    ])
    me.value = { name: (person?.display_name as string | undefined) ?? '', color: storyCaretColor(userId) }
    Y.applyUpdate(doc, openingStoryState(stored, body), 'database')
    provider = new StoryProvider({
      client: supabase, storyId, doc, canEdit, firstTopic, topic: storyTopic,
      onConnection: (state) => {
        connection.value = state
      },
      onRemoteUpdate: catchUpLater,
    })
    provider.awareness.on('change', listPresent)
    if (canEdit) {
      saver.value = createStorySaver({
        storyId, doc, storedVector: stored ? Y.encodeStateVector(doc) : null,
        isRemote: origin => origin === provider || origin === 'database',
        healthConfirmed: () => health.terms.value.length > 0 && !healthTerms.value.length,
      })
      // Saving cannot wait for a warning when everyone writes at once: the warning shows
      // beside the text within a second, and the database records the flag either way.
      doc.on('update', useDebounceFn(() => health.check([storyPlainText(storyBodyFromDoc(doc))]), 700))
      // A story written before collaborative editing is stored as a Yjs document once.
      if (!stored && body.content?.length) saver.value.markChanged()
    }
    status.value = 'ready'
  }

  const goOffline = () => provider?.pause()
  const goOnline = () => void provider?.rejoin()
  const leave = (event: Event) => {
    if (saver.value && !saver.value.saveOnLeave() && event.type === 'beforeunload') event.preventDefault()
  }

  onMounted(() => {
    start().catch(() => {
      status.value = 'error'
    })
    window.addEventListener('offline', goOffline)
    window.addEventListener('online', goOnline)
    window.addEventListener('pagehide', leave)
  })
  onBeforeUnmount(() => {
    window.removeEventListener('offline', goOffline)
    window.removeEventListener('online', goOnline)
    window.removeEventListener('pagehide', leave)
    clearTimeout(catchUpTimer)
    // Leaving the page inside the app: the page stays, so an ordinary save can finish.
    if (saver.value?.hasChanges()) void saver.value.save()
    saver.value?.stop()
    void provider?.destroy()
  })

  /** The person says the flagged words are not health information; the next save says so. */
  function confirmHealth() {
    healthConfirmed.value = [...health.terms.value]
    saver.value?.markChanged()
  }

  return {
    status, connection, saveState, present, me, doc, healthTerms, confirmHealth,
    provider: () => provider, save: () => saver.value?.save(),
  }
}
