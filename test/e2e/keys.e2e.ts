/** Keys: empty state, generate into the real vault, delete with confirmation (and the CONFLICT path). */
import { test, expect } from '@playwright/test';
import { expectAccessible, screenshot } from './a11y.js';
import { launchApp, type LaunchedApp } from './fixtures.js';
import { AppPage } from './pages/app-page.js';
import { KeysPage } from './pages/keys-page.js';
import { expectNoKeyMaterialCrossed } from './secrets.js';

let app: LaunchedApp;
test.beforeEach(async () => {
  app = await launchApp();
  await new AppPage(app.page).open('Keys');
});
test.afterEach(async () => {
  await expectNoKeyMaterialCrossed(app);
  await app.close();
});

test('an empty vault says what to do', async () => {
  await expect(app.page.getByText('No keys in the vault yet')).toBeVisible();
  await expect(app.page.getByRole('link', { name: 'Generate key & CSR' }).last()).toBeVisible();
  await expectAccessible(app.page, 'keys-empty');
  await screenshot(app.page, 'keys-empty');
});

test('generates keys sealed in the real vault and lists them with fingerprints', async () => {
  const keys = new KeysPage(app.page);
  await keys.generate('ECDSA P-256', 'web 2026');
  await keys.generate('RSA 2048', 'legacy clients');
  await expect(keys.rows).toHaveCount(2);
  const records = await app.container.keys.list();
  expect(records.map((r) => [r.label, r.keyType])).toEqual([
    ['web 2026', 'ec-p256'],
    ['legacy clients', 'rsa-2048'],
  ]);
  const first = keys.rows.filter({ hasText: 'web 2026' });
  await expect(first.getByText('EC P-256')).toBeVisible();
  await expect(first.getByLabel(`SPKI SHA-256 of web 2026: ${records[0]?.spkiSha256}`)).toBeVisible();
  // The sealed key opens with the real keychain and matches its record.
  const key = await app.container.keys.getPrivateKey(records[0]?.id ?? '');
  expect(key.asymmetricKeyType).toBe('ec');
  await expectAccessible(app.page, 'keys');
  await screenshot(app.page, 'keys');
});

test('deletes a key after confirmation; a key with a pending CSR needs a second, explicit confirmation', async () => {
  const keys = new KeysPage(app.page);
  await keys.generate('ECDSA P-256', 'throwaway');
  await keys.delete('throwaway');
  await expect(app.page.getByText('No keys in the vault yet')).toBeVisible();
  expect(await app.container.keys.list()).toEqual([]);

  const created = await app.container.csr.create({ newKeyType: 'ec-p256', subject: { commonName: 'pending.example.com' }, sans: [] });
  await app.page.reload();
  await expect(keys.rows).toHaveCount(1);
  await expect(app.page.getByRole('table', { name: 'Pending certificate requests' })).toContainText('pending.example.com');
  await keys.delete('CSR for pending.example.com');
  const dialog = app.page.getByRole('dialog');
  await expect(dialog).toContainText('certificate request(s) still waiting');
  await expectAccessible(app.page, 'keys-delete-conflict');
  await dialog.getByRole('button', { name: 'Delete key and its requests' }).click();
  await expect(app.page.getByText('No keys in the vault yet')).toBeVisible();
  expect((await app.container.csr.pending()).map((p) => p.keyId)).not.toContain(created.keyId);
});
