import { defineConfig } from 'vitest/config';

// Unit and integration tests run main's modules in plain Node. ELECTRON_OVERRIDE_DIST_PATH points
// at a dummy directory so nothing that resolves `electron` tries to download its binary.
export default defineConfig({
  test: {
    include: ['test/unit/**/*.spec.ts', 'test/integration/**/*.spec.ts', 'test/component/**/*.spec.tsx'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: 'forks',
    globalSetup: ['test/support/global-setup.ts'],
    env: {
      ELECTRON_OVERRIDE_DIST_PATH: process.env.ELECTRON_OVERRIDE_DIST_PATH ?? '/nonexistent-electron-dist',
    },
  },
});
