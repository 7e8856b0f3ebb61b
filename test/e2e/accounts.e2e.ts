/** Accounts & settings (provider accounts, secrets only in the keychain) and Keys (custody, encrypted export). */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openssl } from '../support/openssl.js';
import { accountSecretEntry } from '../../main/services/account-service.js';
import { createOsKeychain } from '../../main/vault/keychain.js';
import { expectAccessible, screenshot } from './a11y.js';
import { E2E_KEYCHAIN_SERVICE, launchApp, type LaunchedApp } from './fixtures.js';
import { AppPage } from './pages/app-page.js';
import { expectNoKeyMaterialCrossed } from './secrets.js';
import { makeMaterial, seedCertificate, seedDeployment, type Material } from './support.js';

let app: LaunchedApp;
let pki: Material;
test.beforeEach(async () => {
  pki = makeMaterial('Accounts');
  app = await launchApp();
});
test.afterEach(async () => {
  await expectNoKeyMaterialCrossed(app);
  await app.close();
  pki.cleanup();
});

test('lists the labelled Sandbox account, tests it, adds an account whose secret goes only to the keychain, and removes it', async () => {
  const { page } = app;
  await new AppPage(page).open('Accounts & settings');
  const accounts = page.getByRole('table', { name: 'Provider accounts' });
  const sandboxRow = accounts.getByRole('row').filter({ hasText: 'Sandbox' });
  await expect(sandboxRow.getByText('Local sandbox')).toBeVisible();
  await sandboxRow.getByRole('button', { name: 'Test connection of Sandbox' }).click();
  await expect(sandboxRow.getByRole('status')).toContainText('Connected to CDN Pro as sandbox');

  await page.getByRole('button', { name: 'Add account' }).click();
  const form = page.getByRole('form', { name: 'Add a provider account' });
  await form.getByLabel('Provider').selectOption('cdnpro');
  await form.getByLabel('Account name').fill('Partner CDN');
  await form.getByLabel('API endpoint').fill(app.sandbox.url);
  await form.getByLabel('API user').fill(app.sandbox.otherCustomer.user);
  const secret = form.getByLabel('API key');
  await expect(secret).toHaveAttribute('type', 'password');
  await secret.fill(app.sandbox.otherCustomer.apiKey);
  await expectAccessible(page, 'account-add');
  await form.getByRole('button', { name: 'Add account' }).click();
  const partner = accounts.getByRole('row').filter({ hasText: 'Partner CDN' });
  await expect(partner).toBeVisible();
  await partner.getByRole('button', { name: 'Test connection of Partner CDN' }).click();
  await expect(partner.getByRole('status')).toContainText('Connected');
  await screenshot(page, 'accounts');

  const record = app.container.store.get('accounts').find((a) => a.name === 'Partner CDN');
  expect(await createOsKeychain().get(E2E_KEYCHAIN_SERVICE, accountSecretEntry(record?.id ?? ''))).toBe(app.sandbox.otherCustomer.apiKey);
  expect(readFileSync(`${app.dataDir}/config.json`, 'utf8')).not.toContain(app.sandbox.otherCustomer.apiKey);
  expect(JSON.stringify(app.calls.filter((c) => c.channel !== 'accounts:add'))).not.toContain(app.sandbox.otherCustomer.apiKey);
  expect(JSON.stringify(app.calls.map((c) => c.envelope))).not.toContain(app.sandbox.otherCustomer.apiKey);

  // Its certificates join the list: the shared one, seen by its owner, is not read-only there.
  await new AppPage(page).open('Certificates');
  await expect(page.getByRole('table', { name: 'Certificates' }).getByText('Partner CDN · CDN Pro')).toBeVisible();

  await new AppPage(page).open('Accounts & settings');
  await partner.getByRole('button', { name: 'Remove account Partner CDN' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove account' }).click();
  await expect(partner).toHaveCount(0);
  expect(await createOsKeychain().get(E2E_KEYCHAIN_SERVICE, accountSecretEntry(record?.id ?? ''))).toBeNull();
});

test('an account the provider refuses says so when tested', async () => {
  const { page } = app;
  await new AppPage(page).open('Accounts & settings');
  await page.getByRole('button', { name: 'Add account' }).click();
  const form = page.getByRole('form', { name: 'Add a provider account' });
  await form.getByLabel('Account name').fill('Wrong key');
  await form.getByLabel('API endpoint').fill(app.sandbox.url);
  await form.getByLabel('API user').fill('sandbox');
  await form.getByLabel('API key').fill('not-the-key');
  await form.getByRole('button', { name: 'Add account' }).click();
  const row = page.getByRole('table', { name: 'Provider accounts' }).getByRole('row').filter({ hasText: 'Wrong key' });
  await row.getByRole('button', { name: 'Test connection of Wrong key' }).click();
  await expect(row.getByRole('alert')).toContainText(/401|AccessDenied|credentials/);
});

test('keys show where each was uploaded and export encrypted, through the save dialog', async () => {
  const { page } = app;
  const leaf = pki.leaf('vault', ['vault.example.com'], 90);
  await seedCertificate(app, 'vault', [leaf], pki.ca.chainPem);
  await seedDeployment(app, 'vault', 'production', 1);
  await new AppPage(page).open('Keys');
  const row = page.getByRole('table', { name: 'Keys in the vault' }).getByRole('row').filter({ hasText: 'vault.key' });
  await expect(row.getByRole('list', { name: /Where .* has been uploaded/ })).toContainText('Sandbox / vault v1');

  await row.getByRole('button', { name: /Export key/ }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Password', { exact: true }).fill('Exp0rt-pw');
  await dialog.getByLabel('Password again').fill('Exp0rt-pw');
  await expectAccessible(page, 'key-export');
  await dialog.getByRole('button', { name: 'Export…' }).click();
  await expect(dialog.getByText(/Saved to .*vault\.key\.p12/)).toBeVisible();
  await screenshot(page, 'key-export', { fullPage: false });
  const file = app.saved.find((p) => p.endsWith('.p12')) ?? '';
  const dump = openssl(['pkcs12', '-in', file, '-passin', 'pass:Exp0rt-pw', '-nokeys']).toString();
  expect(dump).toContain('subject=CN = vault.example.com');
  expect(dump).toContain('subject=CN = Accounts Intermediate');
  expect(() => openssl(['pkcs12', '-in', file, '-passin', 'pass:wrong', '-nokeys'])).toThrow();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expectAccessible(page, 'keys-custody');
  await screenshot(page, 'keys-custody');
});
