// The application menu template: the items and shortcuts the issue asks for, per platform, Reload
// only in development, Help opening the in-app Help screen (F1) with About outside macOS, every
// command one of the contract's menu commands, placed and labelled as shared/menu-commands.ts says.
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../../../../shared/api.js';
import { MENU_COMMAND_INFO } from '../../../../shared/menu-commands.js';
import { buildMenuTemplate, menuItems, type MenuItemSpec, type MenuSpec } from '../../../../main/adapters/menu-template.js';

const base = { appName: 'Certdesk' } as const;

function menu(template: readonly MenuSpec[], label: string): MenuSpec {
  const found = template.find((m) => m.label === label);
  if (!found) throw new Error(`no ${label} menu in ${template.map((m) => m.label).join(', ')}`);
  return found;
}

function commands(items: readonly MenuItemSpec[]): [string, string, string | undefined][] {
  return items.flatMap((i) => (i.type === 'command' ? [[i.label, i.command, i.accelerator] as [string, string, string | undefined]] : []));
}

function roles(items: readonly MenuItemSpec[]): string[] {
  return items.flatMap((i) => (i.type === 'role' ? [i.role] : []));
}

describe('buildMenuTemplate', () => {
  for (const platform of ['linux', 'win32', 'darwin'] as const) {
    it(`has File and View with the shortcuts (${platform})`, () => {
      const template = buildMenuTemplate({ ...base, platform, dev: false });
      expect(commands(menu(template, 'File').items)).toEqual([
        ['Import files…', 'import-files', 'CmdOrCtrl+O'],
        ['Generate key & CSR…', 'generate-csr', 'CmdOrCtrl+N'],
      ]);
      expect(commands(menu(template, 'View').items)).toEqual([
        ['Certificates', 'show-certificates', 'CmdOrCtrl+1'],
        ['Tasks', 'show-tasks', 'CmdOrCtrl+2'],
        ['Expiry', 'show-expiry', 'CmdOrCtrl+3'],
        ['Keys', 'show-keys', 'CmdOrCtrl+4'],
        ['Toggle dark mode', 'toggle-dark-mode', undefined],
      ]);
      expect(roles(menu(template, 'Edit').items)).toEqual(expect.arrayContaining(['copy', 'paste', 'cut', 'selectAll', 'undo', 'redo']));
    });
  }

  it('puts Quit in File on Linux and Windows, in the app menu on macOS', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const template = buildMenuTemplate({ ...base, platform, dev: false });
      expect(template[0]?.label).toBe('File');
      expect(menu(template, 'File').items.at(-1)).toEqual({ type: 'role', role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' });
      expect(template.some((m) => m.label === 'Window')).toBe(false);
    }
    const mac = buildMenuTemplate({ ...base, platform: 'darwin', dev: false });
    expect(mac[0]?.label).toBe('Certdesk');
    expect(roles(mac[0]?.items ?? [])).toContain('quit');
    expect(roles(menu(mac, 'File').items)).toEqual(['close']);
    expect(menu(mac, 'Window')).toEqual({ label: 'Window', role: 'windowMenu', items: [] });
  });

  it('offers Reload and the developer tools only in development', () => {
    const prod = roles(menuItems(buildMenuTemplate({ ...base, platform: 'linux', dev: false })));
    expect(prod).not.toContain('reload');
    expect(prod).not.toContain('forceReload');
    expect(prod).not.toContain('toggleDevTools');
    const devRoles = roles(menu(buildMenuTemplate({ ...base, platform: 'linux', dev: true }), 'View').items);
    expect(devRoles).toEqual(expect.arrayContaining(['reload', 'forceReload', 'toggleDevTools']));
  });

  it('opens the in-app Help screen from Help (F1), with About Certdesk there outside macOS', () => {
    for (const platform of ['linux', 'win32'] as const) {
      const help = menu(buildMenuTemplate({ ...base, platform, dev: false }), 'Help');
      expect(help.items).toEqual([
        { type: 'command', id: 'help.show', label: 'Certdesk help', command: 'show-help', accelerator: 'F1' },
        { type: 'separator' },
        { type: 'role', role: 'about', label: 'About Certdesk' },
      ]);
    }
    const mac = buildMenuTemplate({ ...base, platform: 'darwin', dev: false });
    expect(commands(menu(mac, 'Help').items)).toEqual([['Certdesk help', 'show-help', 'F1']]);
    expect(roles(menu(mac, 'Help').items)).toEqual([]);
    // macOS keeps About in the app menu, once.
    expect(roles(menuItems(mac)).filter((r) => r === 'about')).toHaveLength(1);
    expect(roles(mac[0]?.items ?? [])).toContain('about');
  });

  it('sends only the contract’s commands, every one of them, with unique ids and accelerators', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const items = menuItems(buildMenuTemplate({ ...base, platform, dev: true }));
      const cmds = items.flatMap((i) => (i.type === 'command' ? [i] : []));
      expect(new Set(cmds.map((c) => c.command))).toEqual(new Set(MENU_COMMANDS));
      const ids = cmds.map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
      const accels = items.flatMap((i) => (i.type !== 'separator' && i.accelerator !== undefined ? [i.accelerator] : []));
      expect(new Set(accels).size).toBe(accels.length);
    }
  });

  it('places and labels each command as the shared data the Help screen reads says', () => {
    for (const platform of ['linux', 'win32', 'darwin'] as const) {
      const template = buildMenuTemplate({ ...base, platform, dev: false });
      for (const m of template) {
        for (const item of m.items) {
          if (item.type !== 'command') continue;
          const info = MENU_COMMAND_INFO[item.command];
          expect([m.label, item.label, item.accelerator], item.command).toEqual([info.menu, info.label, info.accelerator]);
        }
      }
    }
  });
});
