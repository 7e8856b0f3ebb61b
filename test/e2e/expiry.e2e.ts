/** Expiry: the timeline (an SVG with a table of the same dates), the attention list, the threshold from settings. */
import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot } from './a11y.js';
import { launchApp, type LaunchedApp } from './fixtures.js';
import { AppPage } from './pages/app-page.js';
import { makeMaterial, seedCertificate, seedDeployment, type Material } from './support.js';

let app: LaunchedApp;
let pki: Material;
test.beforeEach(async () => {
  pki = makeMaterial('Expiry');
  app = await launchApp();
});
test.afterEach(async () => {
  await app.close();
  pki.cleanup();
});

test('shows when each certificate expires in each environment and what needs attention', async () => {
  const { page } = app;
  await seedCertificate(app, 'soon', [pki.leaf('soon', ['soon.example.com'], 9), pki.leaf('soon-2', ['soon.example.com'], 250)], pki.ca.chainPem);
  await seedDeployment(app, 'soon', 'production', 1);
  await seedCertificate(app, 'later', [pki.leaf('later', ['later.example.com'], 120), pki.leaf('later-2', ['later.example.com'], 200)], pki.ca.chainPem);
  await seedDeployment(app, 'later', 'production', 1);
  await seedDeployment(app, 'later', 'staging', 2);
  await seedCertificate(app, 'idle', [pki.leaf('idle', ['idle.example.com'], 45)], pki.ca.chainPem);

  await new AppPage(page).open('Expiry');
  const chart = page.getByRole('img', { name: 'Expiry timeline' });
  await expect(chart).toBeVisible();
  await expect(chart.locator('circle.pt-expiring')).toHaveCount(1);

  const table = page.getByRole('table', { name: 'Expiry dates' });
  const rows = table.locator('tbody tr');
  await expect(rows.first()).toContainText('soon');
  await expect(rows.first()).toContainText('production');
  await expect(rows.first()).toContainText('in 8 days');
  await expect(table).toContainText('Not deployed');

  const attention = page.getByRole('list', { name: 'Certificates that need attention' });
  const first = attention.getByRole('listitem').first();
  await expect(first).toContainText('soon');
  await expect(first).toContainText('Expiring');
  await expect(first).toContainText('Renewed, not deployed');
  await expect(attention).toContainText('Staging ≠ production');
  await expect(page.getByText('The warning window is 30 days')).toBeVisible();
  await expectAccessible(page, 'expiry');
  await screenshot(page, 'expiry');

  // A narrower window from the settings takes "idle" (45 days) in and out of the attention list.
  await app.container.settings.set({ expiryThresholdDays: 60 });
  await page.reload();
  await expect(attention.getByRole('link', { name: 'idle' })).toBeVisible();
  await expect(page.getByText('The warning window is 60 days')).toBeVisible();
  await attention.getByRole('link', { name: 'soon' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'soon' })).toBeVisible();
});

test('with nothing to watch, says where dates come from', async () => {
  // A sandbox without its seeded certificate, read again.
  app.sandbox.state.data.certificates.splice(0);
  await app.container.inventory.list({ refresh: true });
  await new AppPage(app.page).open('Expiry');
  await expect(app.page.getByText('Nothing to watch yet')).toBeVisible();
  await expectAccessible(app.page, 'expiry-empty');
});
