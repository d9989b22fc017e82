// Saves a story's collaborative text within seconds of a change, and when the page goes.
// What is sent is only what changed since the last save (a Yjs update from the state vector
// then), so it stays small enough for `fetch(..., { keepalive: true })`, which lets a save
// finish after the tab is closed (browsers cap keepalive bodies at 64 KB). The server merges
// it into the stored state, so a save never overwrites what others saved meanwhile.
import * as Y from 'yjs'
import { toBase64 } from '#shared/schemas/story'

/**
 * saved: all changes are stored; pending: waiting or sending; failed: will try again;
 * refused: this person may no longer change the story (403/404), nothing more is tried;
 * tooLong: the story is over the size limit (413), tried again only after the next change.
 */
export type StorySaveState = 'saved' | 'pending' | 'failed' | 'refused' | 'tooLong'

/** Answers that no retry can turn into a save. */
const refusedStatuses = new Set([403, 404])

export interface StorySaverOptions {
  storyId: string
  doc: Y.Doc
  /** Whether a change came from someone else (through the provider), not from this person. */
  isRemote: (origin: unknown) => boolean
  /** State vector of what is already stored; null when nothing of this document is stored yet. */
  storedVector: Uint8Array | null
  /** Whether the person confirmed the health-information warning for the current text. */
  healthConfirmed?: () => boolean
}

const ownDelay = 800
const othersDelay = 8_000
const retryDelay = 3_000
const keepaliveLimit = 60_000

/** Saves the document's changes through POST /api/stories/:id/document. */
export function createStorySaver(options: StorySaverOptions) {
  const state = ref<StorySaveState>('saved')
  let savedVector = options.storedVector
  let authored = false
  let dirty = false
  let running: Promise<void> | null = null
  let timer: ReturnType<typeof setTimeout> | undefined

  function schedule(delay: number) {
    clearTimeout(timer)
    timer = setTimeout(() => void save(), delay)
  }

  // Own changes go out quickly. Changes that only came from others are saved by their
  // authors; this browser stores them too, later, in case their author's save never comes.
  function onUpdate(_update: Uint8Array, origin: unknown) {
    const remote = options.isRemote(origin)
    dirty = true
    if (!remote) authored = true
    // Refused for good: the words stay on screen to be copied, but nothing is sent any more.
    if (state.value === 'refused') return
    if (state.value !== 'failed' && state.value !== 'tooLong') state.value = 'pending'
    schedule(remote && !authored ? othersDelay : ownDelay)
  }
  options.doc.on('update', onUpdate)

  function body() {
    const vector = Y.encodeStateVector(options.doc)
    const update = Y.encodeStateAsUpdate(options.doc, savedVector ?? undefined)
    const healthConfirmed = options.healthConfirmed?.() ?? false
    return { vector, json: JSON.stringify({ update: toBase64(update), authored, healthConfirmed }) }
  }

  async function send() {
    const { vector, json } = body()
    const wasAuthored = authored
    dirty = false
    authored = false
    try {
      const response = await fetch(`/api/stories/${options.storyId}/document`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: json,
      })
      if (refusedStatuses.has(response.status) || response.status === 413) {
        refuse(response.status === 413 ? 'tooLong' : 'refused', wasAuthored)
        return
      }
      if (!response.ok) throw new Error(`save answered ${response.status}`)
      savedVector = vector
      state.value = dirty ? 'pending' : 'saved'
    }
    catch {
      // Shown as "not saved yet, trying again": nothing is lost while the page is open.
      dirty = true
      authored ||= wasAuthored
      state.value = 'failed'
      schedule(retryDelay)
    }
  }

  /** A save that trying again cannot make succeed: say so and wait (tooLong: for a change). */
  function refuse(reason: 'refused' | 'tooLong', wasAuthored: boolean) {
    dirty = true
    authored ||= wasAuthored
    clearTimeout(timer)
    state.value = reason
  }

  /** Saves now (waits for a save already under way, then saves what came after it). */
  async function save() {
    clearTimeout(timer)
    while (running) await running
    if (!dirty) return
    running = send().finally(() => {
      running = null
    })
    await running
  }

  /** The page is going away: hand the last changes to the browser to deliver. */
  function saveOnLeave() {
    if (!dirty || state.value === 'refused') return true
    const { json } = body()
    if (json.length > keepaliveLimit) return false
    void fetch(`/api/stories/${options.storyId}/document`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: json, keepalive: true,
    })
    return true
  }

  function stop() {
    clearTimeout(timer)
    options.doc.off('update', onUpdate)
  }

  /** Marks the document as changed by this person (e.g. seeded from an older story), to save soon. */
  function markChanged() {
    dirty = true
    if (state.value === 'refused') return
    state.value = 'pending'
    schedule(ownDelay)
  }

  return { state, save, saveOnLeave, stop, markChanged, hasChanges: () => dirty }
}
