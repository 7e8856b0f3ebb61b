/** The renderer starts in real Chromium and reaches main's handler table through the bridge. */
import { test, expect } from '@playwright/test';
import { launchApp, type LaunchedApp } from './fixtures.js';

let app: LaunchedApp;
test.beforeEach(async () => {
  app = await launchApp();
});
test.afterEach(async () => {
  await app.close();
});

test('shows the app shell with facts from main', async () => {
  await expect(app.page.getByRole('heading', { name: 'Certdesk' })).toBeVisible();
  await expect(app.page.getByTestId('app-ready')).toHaveText(/Certdesk e2e on linux/);
  await app.page.screenshot({ path: 'test-results/screenshots/shell.png' });
});

test('window.certdesk exposes only the typed contract, frozen', async () => {
  const shape = await app.page.evaluate(() => ({
    keys: Object.keys(window.certdesk),
    app: Object.keys(window.certdesk.app),
    frozen: Object.isFrozen(window.certdesk),
  }));
  expect(shape).toEqual({ keys: ['app'], app: ['info'], frozen: true });
});
