import { defineConfig } from 'vitest/config'

// Three projects, run one at a time by `npm test`:
// - unit: pure logic, in-process (renderer view logic opts into happy-dom per file)
// - integration: the forked engine host, real SQLite files, real ONNX Runtime sessions
// - e2e: Debian chromium driven by playwright-core against the bridge
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['tests/unit/**/*.test.{ts,tsx}'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['tests/integration/**/*.test.ts'],
          environment: 'node',
          testTimeout: 240_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
