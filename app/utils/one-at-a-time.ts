/**
 * Wraps an async task so that it never runs twice at once. A call while it runs makes it run
 * once more afterwards (the news that caused the call may have come too late for the running
 * one), and resolves when that has run. Used for rejoining live channels whose topic can move:
 * two rejoins at once would both leave the old channel, and realtime-js would hand the second
 * the first one's new channel, which refuses listeners added after it joined.
 * No Nuxt auto-imports here: bench/collab.ts runs the story provider, which uses this, in Node.
 */
export function oneAtATime(task: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let again = false
  return () => {
    if (running) {
      again = true
      return running
    }
    running = (async () => {
      try {
        do {
          again = false
          await task()
        } while (again)
      }
      finally {
        running = null
      }
    })()
    return running
  }
}
