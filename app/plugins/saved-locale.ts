// Norwegian is the default whatever language the browser asks for; a language the person
// chose (switch or account page) is kept in a cookie and used on the server and client.
export default defineNuxtPlugin({
  name: 'saved-locale',
  dependsOn: ['i18n:plugin'],
  async setup(nuxtApp) {
    const saved = useCookie<string | null>('minnespor_locale', { maxAge: 60 * 60 * 24 * 365, sameSite: 'lax' })
    const i18n = nuxtApp.$i18n
    if (saved.value && saved.value !== i18n.locale.value && i18n.availableLocales.includes(saved.value)) {
      await i18n.setLocale(saved.value as typeof i18n.locale.value)
    }
    nuxtApp.hook('i18n:localeSwitched', ({ newLocale }) => {
      saved.value = newLocale
    })
  },
})
