// One lint preset for the whole repository: Nuxt's, with its stylistic rules
// (2 spaces, single quotes, no semicolons).
import { createConfigForNuxt } from '@nuxt/eslint-config/flat'

export default createConfigForNuxt({
  // 'tooling' (unicorn and friends) is off: its current release needs Node 22.
  features: { stylistic: true },
}).append({
  ignores: ['.data/**', '.nuxt/**', '.output/**', 'test-artifacts/**', 'types/database.ts'],
}).append({
  rules: {
    '@typescript-eslint/no-explicit-any': 'off',
  },
})
