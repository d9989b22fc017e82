// A page that fails shows the error page; whoever looks for the cause should find it in a log:
// on the server in the server's log, in the browser in its console (a failed browser test
// prints that console). Errors made with createError are not logged otherwise, and in the
// browser a failing component or plugin on the first load turns into the error page silently.
export default defineNuxtPlugin((nuxtApp) => {
  const where = () => import.meta.server ? `server ${nuxtApp.ssrContext?.url ?? ''}` : `browser ${window.location.pathname}`
  function log(kind: string, error: unknown, info?: string) {
    const status = (error as { statusCode?: number } | null)?.statusCode ?? 500
    if (status < 500) return
    const stack = error instanceof Error ? error.stack : String(error)
    console.error(`[page error] ${kind} ${status} ${where()}${info ? ` (${info})` : ''}: ${stack}`)
  }
  nuxtApp.hook('app:error', error => log('app', error))
  nuxtApp.hook('vue:error', (error, _instance, info) => log('vue', error, info))
})
