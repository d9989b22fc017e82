// A long section (200 timeline events) is drawn a batch at a time, one batch per frame, so
// the first items can be read and used at once instead of after the whole list has rendered.

/** How many items to draw now: `batch` at first, growing each frame until all are drawn. */
export function useLifeStoryBatches(total: MaybeRefOrGetter<number>, batch = 30) {
  const shown = ref(batch)
  let frame = 0
  const more = () => {
    if (shown.value >= toValue(total)) return
    shown.value += batch
    frame = requestAnimationFrame(more)
  }
  watch(() => toValue(total), () => {
    if (import.meta.server) return
    cancelAnimationFrame(frame)
    frame = requestAnimationFrame(more)
  })
  onBeforeUnmount(() => cancelAnimationFrame(frame))
  return shown
}
