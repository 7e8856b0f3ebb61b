/** Import / inspect: key + certificate + chain by file picker and by drop; PKCS#12 password prompt; import into the vault. */
import { test, expect } from '@playwright/test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeChainMaterial, type ChainMaterial } from '../support/pki-material.js';
import { expectAccessible, screenshot } from './a11y.js';
import { launchApp, type LaunchedApp } from './fixtures.js';
import { AppPage } from './pages/app-page.js';
import { ImportPage } from './pages/import-page.js';
import { expectNoKeyMaterialCrossed } from './secrets.js';

let material: ChainMaterial;
let app: LaunchedApp;
test.beforeAll(() => {
  material = makeChainMaterial(mkdtempSync(join(tmpdir(), 'certdesk-e2e-pki-')));
});
test.afterAll(() => rmSync(material.dir, { recursive: true, force: true }));
test.beforeEach(async () => {
  app = await launchApp();
  await new AppPage(app.page).open('Import / inspect');
});
test.afterEach(async () => {
  await expectNoKeyMaterialCrossed(app, [material.keyFile]);
  await app.close();
});

test('the empty screen says what to drop', async () => {
  await expect(app.page.getByText('Nothing to inspect yet')).toBeVisible();
  await expectAccessible(app.page, 'import-empty');
  await screenshot(app.page, 'import-empty');
});

test('key, certificate and chain by the file picker: roles sorted out, key paired, bundle cleaned', async () => {
  const screen = new ImportPage(app.page);
  await screen.chooseFiles([material.chainFile, material.keyFile, material.certFile]);
  await screen.waitForResults();
  await expect(screen.file('chain.pem')).toContainText('Intermediate CA certificate');
  await expect(screen.file('chain.pem')).toContainText('Root CA certificate');
  await expect(screen.file('www.example.test.crt')).toContainText('Leaf certificate');
  await expect(screen.file('www.example.test.crt')).toContainText('www.example.test, example.test');
  await expect(screen.file('www.example.test.key')).toContainText('Private key');
  await expect(screen.pairing).toContainText('Paired');
  await expect(screen.pairing).toContainText('Key found in www.example.test.key');
  await expect(screen.bundle.getByRole('list', { name: 'Bundle order' }).getByRole('listitem')).toHaveCount(2);
  await expect(screen.bundle).toContainText('is the root; clients already have it');
  await expect(screen.bundle).toContainText('Chain not trusted');
  await expectAccessible(app.page, 'import');
  await screenshot(app.page, 'import');

  // Import the key; the pairing then points at the vault.
  await screen.file('www.example.test.key').getByRole('button', { name: 'Import key into vault' }).click();
  await expect(app.page.getByText('The key from www.example.test.key is now in the vault')).toBeVisible();
  await expect(screen.pairing).toContainText('Key in the vault (www.example.test.key)');
  expect((await app.container.keys.list()).map((k) => k.label)).toEqual(['www.example.test.key']);
});

test('a synthetic drop of key + certificate + chain works like the picker', async () => {
  const screen = new ImportPage(app.page);
  await screen.dropFiles([material.keyFile, material.certFile, material.chainFile]);
  await screen.waitForResults();
  await expect(screen.file('www.example.test.crt')).toContainText('Leaf certificate');
  await expect(screen.pairing).toContainText('Key found in www.example.test.key');
  await expect(screen.bundle).toContainText('Certdesk Test Intermediate');
});

test('a PKCS#12: password prompt, a wrong password says so clearly, the retry works', async () => {
  const screen = new ImportPage(app.page);
  await screen.chooseFiles([material.pfxFile]);
  const card = screen.file('www.example.test.p12');
  await expect(card).toContainText('This file is protected by a password');
  await expectAccessible(app.page, 'import-password');
  await card.getByLabel('Password for www.example.test.p12').fill('wrong password');
  await card.getByRole('button', { name: 'Unlock' }).click();
  await expect(card).toContainText('Wrong password');
  await expect(card.getByRole('alert')).toContainText('www.example.test.p12');
  await screenshot(app.page, 'import-wrong-password');
  await card.getByLabel('Password for www.example.test.p12').fill(material.pfxPassword);
  await card.getByRole('button', { name: 'Try again' }).click();
  await expect(card).toContainText('Leaf certificate');
  await expect(card).toContainText('Private key');
  await expect(screen.pairing).toContainText('Key found in www.example.test.p12');
  await card.getByRole('button', { name: 'Import key into vault' }).click();
  await expect(screen.pairing).toContainText('Key in the vault');
});

test('pasted PEM text is inspected too', async () => {
  const { readFileSync } = await import('node:fs');
  await app.page.getByLabel('Or paste PEM text').fill(readFileSync(material.certFile, 'utf8'));
  await app.page.getByRole('button', { name: 'Inspect pasted text' }).click();
  const screen = new ImportPage(app.page);
  await expect(screen.file('Pasted text')).toContainText('Leaf certificate');
  await expect(screen.pairing).toContainText('No matching private key');
});
