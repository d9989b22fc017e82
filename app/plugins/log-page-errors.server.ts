// A page that fails while the server renders it shows the error page; whoever runs the
// server should see why in its log (errors made with createError are not logged otherwise).
export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.hook('app:error', (error) => {
    const status = (error as { statusCode?: number }).statusCode ?? 500
    if (status < 500) return
    console.error(`[page error] ${status} ${nuxtApp.ssrContext?.url ?? ''}`, error)
  })
})
