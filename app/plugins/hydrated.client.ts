// Marks the page once Vue has taken over (also on the error page), so browser tests
// never type into a form before its handlers are attached.
export default defineNuxtPlugin((nuxtApp) => {
  nuxtApp.hook('app:mounted', () => {
    document.documentElement.dataset.hydrated = 'true'
  })
})
