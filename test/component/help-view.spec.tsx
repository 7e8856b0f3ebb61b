// @vitest-environment jsdom
// The Help screen: its headings, the menu shortcuts rendered from the data the menu is built from
// (as the platform main reports writes them), the window's own keys, and the user's threshold.
import { cleanup, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { formatAccelerator, MENU_SHORTCUTS } from '../../shared/menu-commands.js';
import { HelpView } from '../../renderer/features/help/HelpView.js';
import { renderWithApi } from './render.js';

function renderHelp(platform: string): void {
  renderWithApi(<HelpView />, {
    'app:info': { name: 'Certdesk', version: 'test', platform },
    'settings:get': { theme: 'light', expiryThresholdDays: 21 },
  });
}

/** The rows of a table as [first cell, second cell] texts. */
function rows(table: HTMLElement): [string, string][] {
  return within(table)
    .getAllByRole('row')
    .slice(1)
    .map((row) => {
      const cells = within(row).getAllByRole('cell');
      return [cells[0]?.textContent ?? '', cells[1]?.textContent ?? ''];
    });
}

afterEach(cleanup);

describe('HelpView', () => {
  it('has one h1 and a section heading for each topic', async () => {
    renderHelp('linux');
    expect(screen.getByRole('heading', { level: 1, name: 'Help' })).toBeTruthy();
    expect(screen.getAllByRole('heading', { level: 2 }).map((h) => h.textContent)).toEqual([
      'Renew a certificate',
      'Deploy, promote, roll back',
      'Undeploy and delete',
      'Expiry alerts',
      'Where your keys are',
      'The Sandbox account',
      'Keyboard shortcuts',
      'Command line',
    ]);
    for (const name of ['Renew a certificate', 'Keyboard shortcuts', 'Command line']) {
      expect(screen.getByRole('region', { name }).querySelector('h2')?.textContent).toBe(name);
    }
    expect(await screen.findByText(/The threshold is 21 days now/)).toBeTruthy();
    expect(screen.getByText('certdesk --help')).toBeTruthy();
  });

  it('lists every menu shortcut from the shared data, as Linux writes them', async () => {
    renderHelp('linux');
    const table = screen.getByRole('table', { name: 'From the menu' });
    expect(await within(table).findByText('Ctrl+O')).toBeTruthy();
    expect(rows(table)).toEqual(MENU_SHORTCUTS.map((s) => [formatAccelerator(s.accelerator, 'linux'), `${s.menu} › ${s.label}`]));
    expect(rows(table)).toContainEqual(['F1', 'Help › Certdesk help']);
    expect(rows(table)).toContainEqual(['Ctrl+O', 'File › Import files…']);
    expect(rows(table).length).toBe(MENU_SHORTCUTS.length);
  });

  it('writes the shortcuts the macOS way on macOS', async () => {
    renderHelp('darwin');
    const table = screen.getByRole('table', { name: 'From the menu' });
    expect(await within(table).findByText('⌘O')).toBeTruthy();
    expect(rows(table)).toContainEqual(['⌘4', 'View › Keys']);
    expect(within(table).queryByText(/Ctrl/)).toBeNull();
  });

  it('lists the keys the window handles itself', () => {
    renderHelp('linux');
    const table = screen.getByRole('table', { name: 'In the window' });
    expect(rows(table).map(([keys]) => keys)).toEqual(['Tab', '↑↓HomeEnd', 'Enter', 'Esc']);
  });
});
