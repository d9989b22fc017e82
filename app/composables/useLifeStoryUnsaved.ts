// Keeps unsaved edits from being lost by mistake: leaving the page (in the app or by
// closing the tab) asks first while a form has changes.
/** Asks before leaving while `dirty` is true. */
export function useLifeStoryUnsaved(dirty: MaybeRefOrGetter<boolean>) {
  const { t } = useI18n()
  onBeforeRouteLeave(() => {
    if (!toValue(dirty)) return true
    return window.confirm(t('lifeStory.unsaved'))
  })
  const warn = (event: BeforeUnloadEvent) => {
    if (toValue(dirty)) event.preventDefault()
  }
  onMounted(() => window.addEventListener('beforeunload', warn))
  onBeforeUnmount(() => window.removeEventListener('beforeunload', warn))
}

/** The words the health check flags in these texts; empty when there are none. */
export function useLifeStoryHealthCheck() {
  const terms = ref<string[]>([])
  function check(texts: unknown[]) {
    const text = texts.filter(value => typeof value === 'string').join('\n')
    const result = checkHealthText(text)
    terms.value = result.flagged ? [...new Set(result.matches.map(m => m.text))] : []
    return result.flagged
  }
  return { terms, check }
}
