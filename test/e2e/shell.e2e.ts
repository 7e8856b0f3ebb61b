/** The shell: facts from main through the bridge, the exact contract, keyboard navigation (and Ctrl+O to the file chooser), the first screen, Help (F1), settings and theme. */
import { test, expect } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiMethods } from '../../shared/api.js';
import { expectAccessible, screenshot } from './a11y.js';
import { launchApp, type LaunchedApp } from './fixtures.js';
import { AppPage } from './pages/app-page.js';
import { expectNoKeyMaterialCrossed } from './secrets.js';

let app: LaunchedApp;
test.beforeEach(async () => {
  app = await launchApp();
});
test.afterEach(async () => {
  await expectNoKeyMaterialCrossed(app);
  await app.close();
});

test('starts on Certificates with facts from main and the Sandbox account’s certificates', async () => {
  await expect(app.page.getByTestId('app-ready')).toHaveText(/Certdesk e2e on linux/);
  await expect(app.page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await expect(app.page.getByRole('table', { name: 'Certificates' }).getByRole('link', { name: 'shared-by-another-customer' })).toBeVisible();
  await expectAccessible(app.page, 'certificates-start');
  await screenshot(app.page, 'certificates-start');
});

test('window.certdesk exposes exactly the typed contract, frozen', async () => {
  const shape = await app.page.evaluate(() => {
    const api = window.certdesk as unknown as Record<string, Record<string, unknown>>;
    return { namespaces: Object.fromEntries(Object.keys(api).map((ns) => [ns, Object.keys(api[ns] ?? {})])), frozen: Object.isFrozen(api) };
  });
  const expected: Record<string, string[]> = {};
  for (const [ns, name] of apiMethods()) (expected[ns] ??= []).push(name);
  expected.events = ['onTaskProgress', 'onTaskFinished', 'onExpiryAlert', 'onInventoryChanged', 'onMenuCommand'];
  expect(shape).toEqual({ namespaces: expected, frozen: true });
});

test('events reach subscribers until they unsubscribe', async () => {
  await app.page.evaluate(() => {
    const seen: unknown[] = [];
    (window as unknown as { seen: unknown[] }).seen = seen;
    const off = window.certdesk.events.onInventoryChanged((e) => {
      seen.push(e);
      off();
    });
  });
  await app.emit('inventoryChanged', { account: 'a_1' });
  await app.emit('inventoryChanged', { account: 'a_2' });
  expect(await app.page.evaluate(() => (window as unknown as { seen: unknown[] }).seen)).toEqual([{ account: 'a_1' }]);
});

test('the built preload is self-contained: it requires only electron', () => {
  const preload = readFileSync(join(import.meta.dirname, '..', '..', 'out', 'preload', 'index.cjs'), 'utf8');
  expect([...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1])).toEqual(['electron']);
});

test('keyboard: skip link, arrow keys in the sidebar, Enter opens a screen and focuses its heading', async () => {
  const { page } = app;
  const nav = new AppPage(page).nav;
  await page.keyboard.press('Tab');
  await expect(page.getByRole('link', { name: 'Skip to content' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(nav.getByRole('link', { name: /Certificates/ })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(nav.getByRole('link', { name: /Tasks/ })).toBeFocused();
  await page.keyboard.press('End');
  await expect(nav.getByRole('link', { name: 'Help' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(nav.getByRole('link', { name: 'Accounts & settings' })).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect(nav.getByRole('link', { name: 'Generate key & CSR' })).toBeFocused();
  // A visible focus ring on the focused link.
  expect(await nav.getByRole('link', { name: 'Generate key & CSR' }).evaluate((el) => getComputedStyle(el).outlineStyle)).toBe('solid');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1, name: 'Generate key & CSR' })).toBeFocused();
  await expect(nav.getByRole('link', { name: 'Generate key & CSR' })).toHaveAttribute('aria-current', 'page');
  // The wizard is usable from the keyboard alone: Tab reaches the key choices and Next.
  await page.keyboard.press('Tab');
  await expect(page.getByRole('radio', { name: 'Generate a new key' })).toBeFocused();
});

test('File › Import files… (Ctrl+O) lands on "Choose files…", so one keypress opens the chooser', async () => {
  const { page } = app;
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await app.emit('menuCommand', { command: 'import-files' });
  const choose = page.getByRole('button', { name: 'Choose files…' });
  await expect(choose).toBeFocused();
  await expect(page).toHaveURL(/#\/import$/);
  // Enter is the user's gesture, so Chromium opens the chooser (main's event alone could not).
  const chooser = page.waitForEvent('filechooser');
  await page.keyboard.press('Enter');
  expect((await chooser).isMultiple()).toBe(true);
  // Already on Import with focus elsewhere: the command brings focus back to the button.
  await page.getByLabel('Or paste PEM text').focus();
  await app.emit('menuCommand', { command: 'import-files' });
  await expect(choose).toBeFocused();
});

test('Help › Certdesk help (F1) opens Help with focus on its heading; it lists the menu’s shortcuts', async () => {
  const { page } = app;
  await expect(page.getByRole('heading', { level: 1, name: 'Certificates' })).toBeVisible();
  await app.emit('menuCommand', { command: 'show-help' });
  await expect(page).toHaveURL(/#\/help$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Help' })).toBeFocused();
  await expect(new AppPage(page).nav.getByRole('link', { name: 'Help' })).toHaveAttribute('aria-current', 'page');
  const shortcuts = page.getByRole('table', { name: 'From the menu' });
  await expect(shortcuts.getByRole('row', { name: 'F1 Help › Certdesk help' })).toBeVisible();
  await expect(shortcuts.getByRole('row', { name: 'Ctrl+O File › Import files…' })).toBeVisible();
  // The threshold comes from main's settings.
  await expect(page.getByText(`The threshold is ${(await app.container.settings.get()).expiryThresholdDays} days now`)).toBeVisible();
  await expectAccessible(page, 'help');
  await screenshot(page, 'help');
  // Its links lead to the screens they name.
  await page.getByRole('region', { name: 'Where your keys are' }).getByRole('link', { name: 'Keys' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Keys' })).toBeFocused();
});

test('Tasks and Expiry on a fresh start', async () => {
  const shell = new AppPage(app.page);
  await shell.open('Tasks');
  await expect(app.page.getByText('No deployments yet')).toBeVisible();
  await shell.open('Expiry');
  await expect(app.page.getByRole('img', { name: 'Expiry timeline' })).toBeVisible();
  for (const screen of ['Tasks', 'Expiry'] as const) {
    await shell.open(screen);
    await expectAccessible(app.page, `${screen.toLowerCase()}-start`);
    await screenshot(app.page, `${screen.toLowerCase()}-start`);
  }
});

test('settings: theme switches to dark and persists in main; the threshold is validated and saved', async () => {
  const shell = new AppPage(app.page);
  await shell.open('Accounts & settings');
  await expectAccessible(app.page, 'settings');
  await screenshot(app.page, 'settings');
  await app.page.getByRole('radio', { name: /^Dark/ }).check();
  await expect(app.page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await app.container.settings.get()).theme).toBe('dark');
  const days = app.page.getByLabel('Warn before expiry (days)');
  await days.fill('0');
  await expect(app.page.getByText('Enter a whole number of days from 1 to 365.')).toBeVisible();
  await expect(app.page.getByRole('button', { name: 'Save' })).toBeDisabled();
  await days.fill('21');
  await app.page.getByRole('button', { name: 'Save' }).click();
  await expect(app.page.getByText('Saved.')).toBeVisible();
  expect((await app.container.settings.get()).expiryThresholdDays).toBe(21);
  await expectAccessible(app.page, 'settings-dark');
  await screenshot(app.page, 'settings-dark');
  await app.page.reload();
  await expect(app.page.locator('html')).toHaveAttribute('data-theme', 'dark');
});
