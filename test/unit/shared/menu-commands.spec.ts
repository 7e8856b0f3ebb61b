// The menu commands' shared labels and shortcuts: every contract command has one entry, the
// shortcut list is exactly the commands with an accelerator, and accelerators read as each
// platform writes them.
import { describe, expect, it } from 'vitest';
import { MENU_COMMANDS } from '../../../shared/api.js';
import { formatAccelerator, MENU_COMMAND_INFO, MENU_SHORTCUTS } from '../../../shared/menu-commands.js';

describe('MENU_COMMAND_INFO and MENU_SHORTCUTS', () => {
  it('describe every menu command, and list those with a shortcut in command order', () => {
    expect(Object.keys(MENU_COMMAND_INFO).sort()).toEqual([...MENU_COMMANDS].sort());
    expect(MENU_SHORTCUTS.map((s) => s.command)).toEqual(MENU_COMMANDS.filter((c) => MENU_COMMAND_INFO[c].accelerator !== undefined));
    expect(MENU_SHORTCUTS.find((s) => s.command === 'show-help')).toEqual({ command: 'show-help', menu: 'Help', label: 'Certdesk help', accelerator: 'F1' });
    expect(MENU_SHORTCUTS.some((s) => s.command === 'toggle-dark-mode')).toBe(false);
  });
});

describe('formatAccelerator', () => {
  it('writes Ctrl on Linux and Windows and the symbols on macOS', () => {
    expect(formatAccelerator('CmdOrCtrl+O', 'linux')).toBe('Ctrl+O');
    expect(formatAccelerator('CmdOrCtrl+O', 'win32')).toBe('Ctrl+O');
    expect(formatAccelerator('CmdOrCtrl+O', 'darwin')).toBe('⌘O');
    expect(formatAccelerator('CmdOrCtrl+Shift+Alt+K', 'darwin')).toBe('⌘⇧⌥K');
    expect(formatAccelerator('Ctrl+Q', 'darwin')).toBe('⌃Q');
    expect(formatAccelerator('CmdOrCtrl+Shift+K', 'linux')).toBe('Ctrl+Shift+K');
  });

  it('leaves a plain key as it is', () => {
    expect(formatAccelerator('F1', 'linux')).toBe('F1');
    expect(formatAccelerator('F1', 'darwin')).toBe('F1');
  });
});
