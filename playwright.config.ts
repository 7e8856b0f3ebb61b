import { defineConfig } from '@playwright/test';

// End-to-end tests drive the real renderer in Debian's Chromium (no Playwright browser download),
// with window.certdesk bridged to main's real handler table. See test/e2e/fixtures.ts.
export default defineConfig({
  testDir: 'test',
  testMatch: ['e2e/**/*.e2e.ts', 'electron/**/*.e2e.ts'],
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 60_000,
  workers: 1,
  reporter: [['list']],
  outputDir: 'test-results/e2e',
  use: { trace: 'retain-on-failure' },
});
