// Nuxt UI defaults for people who may be old, tired or in a hurry: large controls
// (at least 44 px high) and the warm clay colour as primary.
export default defineAppConfig({
  ui: {
    colors: {
      primary: 'clay',
      neutral: 'stone',
    },
    button: { defaultVariants: { size: 'lg' } },
    input: { defaultVariants: { size: 'xl' } },
    select: { defaultVariants: { size: 'xl' } },
    textarea: { defaultVariants: { size: 'xl' } },
    icons: {
      loading: 'i-lucide-loader-circle',
    },
  },
})
