// Nuxt UI defaults for people who may be old, tired or in a hurry: 18 px text in every
// control and label, and controls at least 44 px high (Nuxt UI's "xl" size).
export default defineAppConfig({
  ui: {
    colors: {
      primary: 'clay',
      neutral: 'stone',
    },
    button: {
      defaultVariants: { size: 'xl' },
      // Nuxt UI lightens solid buttons on hover; we darken them so the text keeps its contrast.
      compoundVariants: [
        { color: 'primary', variant: 'solid', class: 'hover:bg-primary-800 active:bg-primary-900 disabled:bg-primary aria-disabled:bg-primary' },
        { color: 'error', variant: 'solid', class: 'hover:bg-error-800 active:bg-error-900 disabled:bg-error aria-disabled:bg-error' },
      ],
    },
    input: { defaultVariants: { size: 'xl' } },
    select: { defaultVariants: { size: 'xl' } },
    textarea: { defaultVariants: { size: 'xl' } },
    checkbox: { defaultVariants: { size: 'xl' } },
    formField: { defaultVariants: { size: 'xl' } },
    alert: { slots: { title: 'text-base font-semibold', description: 'text-base opacity-100' } },
    icons: {
      loading: 'i-lucide-loader-circle',
    },
  },
})
