// Node-side tests: pure rule core, SDK size, and browser tests against a running worker.
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['test/node/**/*.test.ts', 'test/browser/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    fileParallelism: false,
  },
})
