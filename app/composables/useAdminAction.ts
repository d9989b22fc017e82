// Runs an admin action and keeps one feedback message: the success text, or the
// refusal in words. Nothing is swallowed: every failure is shown to the person.
/** `run(action, successText)` and the `feedback` to show with AdminFeedback. */
export function useAdminAction() {
  const describe = useAdminError()
  const feedback = ref<{ kind: 'success' | 'error', text: string } | null>(null)
  const busy = ref(false)

  async function run(action: () => Promise<unknown>, success: string) {
    feedback.value = null
    busy.value = true
    try {
      await action()
      feedback.value = { kind: 'success', text: success }
      return true
    }
    catch (error) {
      feedback.value = { kind: 'error', text: describe(error) }
      return false
    }
    finally {
      busy.value = false
    }
  }

  return { feedback, busy, run }
}
