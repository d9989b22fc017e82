// A page that fails shows the error page; whoever looks for the cause should find it in a log:
// on the server in the server's log, in the browser in its console (a failed browser test
// prints that console). Errors made with createError are not logged otherwise, an error the
// router meets while the server renders (showError) calls no hook at all, and in the browser
// a failing component or plugin on the first load turns into the error page silently.
export default defineNuxtPlugin((nuxtApp) => {
  const where = () => import.meta.server ? `server ${nuxtApp.ssrContext?.url ?? ''}` : `browser ${window.location.pathname}`
  const logged = new WeakSet<object>()
  function log(kind: string, error: unknown, info?: string) {
    if (!error) return
    const status = (error as { statusCode?: number }).statusCode ?? 500
    if (status < 500 || (typeof error === 'object' && logged.has(error))) return
    if (typeof error === 'object') logged.add(error)
    const cause = (error as { cause?: unknown }).cause
    const stack = error instanceof Error ? error.stack : String(error)
    const causeStack = cause instanceof Error ? `\ncaused by: ${cause.stack}` : cause ? `\ncaused by: ${JSON.stringify(cause)}` : ''
    console.error(`[page error] ${kind} ${status} ${where()}${info ? ` (${info})` : ''}: ${stack}${causeStack}`)
  }
  nuxtApp.hook('app:error', error => log('app', error))
  nuxtApp.hook('vue:error', (error, _instance, info) => log('vue', error, info))
  if (import.meta.server) nuxtApp.hook('app:rendered', () => log('rendered', nuxtApp.payload.error))
})
