import { readdirSync } from 'node:fs'

// The Minnespor web app. Everything it needs at run time is served from here
// or from Supabase: no fonts, icons or scripts from third parties.
const supabaseUrl = process.env.SUPABASE_URL
const supabaseKey = process.env.SUPABASE_KEY
const supabaseSecretKey = process.env.SUPABASE_SECRET_KEY ?? process.env.SUPABASE_SERVICE_KEY
// Browser tests build into their own folder so a running `nuxt dev` keeps its `.nuxt`.
const buildRoot = process.env.MINNESPOR_BUILD_DIR

// Each locale is i18n/locales/<code>.json plus one file per area in i18n/locales/<code>/,
// merged in that order, so that work on different areas never edits the same file.
function localeFiles(code: string) {
  const areas = readdirSync(new URL(`./i18n/locales/${code}`, import.meta.url)).filter(name => name.endsWith('.json')).sort()
  return [`${code}.json`, ...areas.map(name => `${code}/${name}`)]
}

export default defineNuxtConfig({
  modules: ['@nuxt/ui', '@nuxtjs/supabase', '@pinia/nuxt', '@vueuse/nuxt', '@nuxtjs/i18n', '@nuxt/eslint'],

  devtools: { enabled: false },

  // MINNESPOR_SOURCEMAP=1 adds client source maps, to see what the JavaScript is made of.
  sourcemap: { client: process.env.MINNESPOR_SOURCEMAP === '1' ? 'hidden' : false },

  nitro: {
    // The Node server sends pre-compressed scripts and styles (brotli or gzip) by itself,
    // so a deployment without a compressing proxy still sends a phone little.
    compressPublicAssets: { gzip: true, brotli: true },
    ...buildRoot && { output: { dir: `${buildRoot}/.output` } },
  },

  ...buildRoot && { buildDir: `${buildRoot}/.nuxt` },

  app: {
    head: {
      htmlAttrs: { lang: 'nb' },
      meta: [{ name: 'theme-color', content: '#fbf7f2' }],
      link: [{ rel: 'icon', type: 'image/svg+xml', href: '/favicon.svg' },
        // Explore mode as an installable app: public/manifest.webmanifest, public/sw.js.
        { rel: 'manifest', href: '/manifest.webmanifest' }, { rel: 'apple-touch-icon', href: '/icons/icon-192.png' }],
    },
  },

  css: ['@fontsource-variable/inter', '~/assets/css/main.css'],

  // Nuxt UI's light theme only: a calm, warm, high-contrast palette we control.
  colorMode: { preference: 'light', fallback: 'light' },

  ui: {
    fonts: false,
    // Only the colours we use: every colour adds variants to each component's styles.
    theme: { colors: ['primary', 'success', 'info', 'warning', 'error', 'neutral'] },
  },

  runtimeConfig: {
    // Server only: sends invitations through the Auth admin API.
    supabase: { secretKey: supabaseSecretKey ?? '', serviceKey: '' },
    public: { appName: 'Minnespor' },
  },

  compatibilityDate: '2026-01-01',

  eslint: { config: { stylistic: true } },

  i18n: {
    defaultLocale: 'nb',
    strategy: 'no_prefix',
    locales: [
      { code: 'nb', language: 'nb-NO', name: 'Norsk (bokmål)', files: localeFiles('nb') },
      { code: 'en', language: 'en-GB', name: 'English', files: localeFiles('en') },
    ],
    // The browser's language is not used: see app/plugins/saved-locale.ts.
    detectBrowserLanguage: false,
    // Messages are compiled at build time, so the browser needs no message compiler.
    bundle: { runtimeOnly: true },
  },

  // Icons are bundled with the app: the server bundle holds the Lucide set and the
  // client only the icons it uses, so nothing is asked of the Iconify API.
  icon: {
    provider: 'server',
    serverBundle: { collections: ['lucide'] },
    clientBundle: { scan: true, includeCustomCollections: true },
    fallbackToApi: false,
  },

  supabase: {
    url: supabaseUrl,
    key: supabaseKey,
    // Our own route middleware decides where people go (sign-in, terms, invitation).
    redirect: false,
    cookieOptions: { maxAge: 60 * 60 * 24 * 7, sameSite: 'lax', secure: true },
    types: false,
  },
})
