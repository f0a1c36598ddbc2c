import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'main',
          environment: 'node',
          // Two at a time on two cores (Vitest's default is one fewer than the cores).
          maxWorkers: 2,
          include: ['tests/main/**/*.test.ts'],
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'renderer',
          environment: 'happy-dom',
          maxWorkers: 2,
          include: ['tests/renderer/**/*.test.{ts,tsx}'],
          setupFiles: ['tests/renderer/setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          // Two files at a time: most of an integration file's time is waiting (a JVM, a timeout
          // bound, a spawned script), and every file has its own table, pool or port.
          maxWorkers: 2,
          // Projects with another maxWorkers run as a group of their own: after main and renderer.
          sequence: { groupOrder: 1 },
          include: ['tests/integration/**/*.test.ts'],
          globalSetup: ['tests/support/local-cloud-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          // Two files at a time: each has its own page, backend and people of the seeded cloud, and
          // much of its time is waiting (the poller, Pattern E, a focus timer).
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
          include: ['tests/e2e/**/*.test.ts'],
          globalSetup: ['tests/e2e/support/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
