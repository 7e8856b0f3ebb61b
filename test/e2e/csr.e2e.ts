/** The CSR wizard end to end: real key in the real vault, lint from main, CSR saved and checked by OpenSSL. */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { openssl } from '../support/openssl.js';
import { expectAccessible, screenshot } from './a11y.js';
import { launchApp, type LaunchedApp } from './fixtures.js';
import { AppPage } from './pages/app-page.js';
import { CsrPage } from './pages/csr-page.js';
import { expectNoKeyMaterialCrossed } from './secrets.js';

let app: LaunchedApp;
test.beforeEach(async () => {
  app = await launchApp();
  await new AppPage(app.page).open('Generate key & CSR');
});
test.afterEach(async () => {
  await expectNoKeyMaterialCrossed(app);
  await app.close();
});

test('creates a new key and a CSR, saves it, and records the request as pending', async () => {
  const wizard = new CsrPage(app.page);
  const { page } = app;
  await expectAccessible(page, 'csr-key');
  await screenshot(page, 'csr-key');
  await wizard.chooseNewKey('ECDSA P-384');
  await wizard.next();

  // The subject step refuses to go on without a common name and with a bad country code.
  await wizard.fillSubject({ 'Country (C)': 'Germany' });
  await wizard.next();
  await expect(page.getByText('Enter the common name')).toBeVisible();
  await expect(page.getByText('Use the two-letter ISO 3166 code')).toBeVisible();
  await expectAccessible(page, 'csr-subject-errors');
  await wizard.fillSubject({ 'Common name (CN)': 'shop.example.com', 'Organization (O)': 'Example Shop Ltd', 'Country (C)': 'de' });
  await screenshot(page, 'csr-subject');
  await wizard.next();

  // A pasted list: newlines and commas, a duplicate, an invalid name that main refuses.
  await wizard.addSans('www.shop.example.com, api.shop.example.com\nWWW.shop.example.com\nbad..name\n192.0.2.10');
  await expect(wizard.sanChips).toHaveCount(4);
  await expect(page.getByText('1 name is not valid')).toBeVisible();
  await expect(page.getByText(/bad\.\.name.*empty label/)).toBeVisible();
  await wizard.next();
  await expect(page.getByText('Remove or correct the invalid name.')).toBeVisible();
  await expectAccessible(page, 'csr-names');
  await screenshot(page, 'csr-names');
  await page.getByRole('button', { name: 'Remove bad..name' }).click();
  await expect(wizard.sanChips).toHaveCount(3);
  await wizard.next();

  // Review: main's preview puts the CN first, and lint finds nothing wrong.
  await expect(page.getByText('No problems found: a CA should accept this request.')).toBeVisible();
  await expect(page.getByText('CN=shop.example.com, O=Example Shop Ltd, C=DE').or(page.getByText(/C=DE.*CN=shop\.example\.com|CN=shop\.example\.com.*C=DE/))).toBeVisible();
  await expectAccessible(page, 'csr-review');
  await screenshot(page, 'csr-review');
  await page.getByRole('button', { name: 'Create key and CSR' }).click();

  await expect(page.getByText('Key and CSR created')).toBeVisible();
  const pem = await page.getByLabel('Certificate signing request (PEM)').inputValue();
  expect(pem).toMatch(/^-----BEGIN CERTIFICATE REQUEST-----/);
  await page.getByRole('button', { name: 'Copy CSR' }).click();
  await expect(page.getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pem);

  await page.getByRole('button', { name: 'Save CSR to file…' }).click();
  await expect(page.getByText('CSR saved')).toBeVisible();
  expect(app.saved).toHaveLength(1);
  const file = app.saved[0] ?? '';
  expect(file.endsWith('shop.example.com.csr')).toBe(true);
  expect(readFileSync(file, 'utf8')).toBe(pem);
  // OpenSSL verifies the self-signature (throws otherwise) and reads the names back.
  openssl(['req', '-verify', '-noout', '-in', file]);
  const text = openssl(['req', '-noout', '-text', '-in', file]).toString();
  expect(text).toContain('DNS:shop.example.com, DNS:www.shop.example.com, DNS:api.shop.example.com, IP Address:192.0.2.10');
  expect(text).toContain('ecdsa-with-SHA384');
  await expectAccessible(page, 'csr-result');
  await screenshot(page, 'csr-result');

  // The key is in the vault, the request pending, both shown on Keys.
  const [key] = await app.container.keys.list();
  expect(key?.keyType).toBe('ec-p384');
  const pending = await app.container.csr.pending();
  expect(pending).toHaveLength(1);
  expect(pending[0]?.keyId).toBe(key?.id);
  await new AppPage(page).open('Keys');
  await expect(page.getByRole('table', { name: 'Pending certificate requests' })).toContainText('shop.example.com');
});

test('a CSR for a key already in the vault', async () => {
  const existing = await app.container.keys.generate('rsa-2048', 'existing rsa');
  await app.page.reload();
  const wizard = new CsrPage(app.page);
  await app.page.getByRole('radio', { name: 'Use a key already in the vault' }).check();
  await expect(app.page.getByLabel('Vault key')).toHaveValue(existing.id);
  await wizard.next();
  await wizard.fillSubject({ 'Common name (CN)': 'internal service' });
  await wizard.next();
  await wizard.next();
  // No host name anywhere: lint warns, in plain words, but the request can still be made.
  await expect(app.page.getByText(/no subjectAltName/)).toBeVisible();
  await app.page.getByRole('button', { name: 'Create CSR' }).click();
  await expect(app.page.getByText('Key and CSR created')).toBeVisible();
  expect((await app.container.keys.list()).map((k) => k.id)).toEqual([existing.id]);
});
