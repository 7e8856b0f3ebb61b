/**
 * The application menu's commands in the renderer: the built UI in Chromium over main's real
 * handlers (the e2e fixture), receiving `menuCommand` as main sends it when a menu item or its
 * shortcut is used. The packaged suite clicks the real menu items where Electron exists.
 */
import { test, expect } from '@playwright/test';
import type { MenuCommand } from '../../shared/api.js';
import { launchApp, type LaunchedApp } from '../e2e/fixtures.js';

let app: LaunchedApp;
test.beforeEach(async () => {
  app = await launchApp();
});
test.afterEach(async () => {
  await app.close();
});

test('File, View and Help commands open their screens', async () => {
  const { page } = app;
  const nav = page.getByRole('navigation', { name: 'Main' });
  const cases: [MenuCommand, string, RegExp][] = [
    ['show-keys', 'keys', /^Keys/],
    ['show-tasks', 'tasks', /^Tasks/],
    ['show-expiry', 'expiry', /^Expiry/],
    ['import-files', 'import', /^Import/],
    ['generate-csr', 'csr', /^Generate key & CSR/],
    ['show-help', 'help', /^Help/],
    ['show-certificates', 'certificates', /^Certificates/],
  ];
  for (const [command, hash, link] of cases) {
    await app.emit('menuCommand', { command });
    await expect(page).toHaveURL(new RegExp(`#/${hash}$`));
    await expect(nav.getByRole('link', { name: link })).toHaveAttribute('aria-current', 'page');
  }
});

test('Toggle dark mode flips the shown theme and saves it in main', async () => {
  const { page } = app;
  await page.emulateMedia({ colorScheme: 'light' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await app.emit('menuCommand', { command: 'toggle-dark-mode' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await app.container.settings.get()).theme).toBe('dark');
  await app.emit('menuCommand', { command: 'toggle-dark-mode' });
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  await expect.poll(async () => (await app.container.settings.get()).theme).toBe('light');
});
