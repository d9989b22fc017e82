import { defineConfig } from 'vitest/config'

// All tests run against one real local stack that the global setup starts on
// its own ports with a fresh data folder, so a running `npm run dev` is untouched.
export default defineConfig({
  test: {
    globalSetup: ['tests/setup/stack.ts'],
    include: ['local-stack/tests/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    fileParallelism: true,
    maxWorkers: 2,
  },
})
