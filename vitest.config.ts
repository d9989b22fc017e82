import { defineConfig } from 'vitest/config'

// All tests run against one real local stack that the global setup starts on
// its own ports with a fresh data folder, so a running `npm run dev` is untouched.
// The second setup builds the app once and serves it for the browser tests.
export default defineConfig({
  test: {
    globalSetup: ['tests/setup/stack.ts', 'tests/setup/nuxt.ts'],
    include: ['local-stack/tests/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 180_000,
    fileParallelism: true,
    maxWorkers: 2,
    reporters: ['default', './tests/setup/summary-reporter.ts'],
  },
})
