/**
 * The application menu's commands as both processes need them: the menu each sits in, its label
 * and its shortcut. Main builds the menu from this (main/adapters/menu-template.ts) and the Help
 * screen lists the same shortcuts, so the two cannot drift apart.
 *
 * Plain data, no Electron: accelerators are written in Electron's syntax (`CmdOrCtrl+O`), and
 * `formatAccelerator` shows one as the user's platform writes it.
 */
import { MENU_COMMANDS, type MenuCommand } from './api.js';

/** A menu command's place, label and shortcut. */
export interface MenuCommandInfo {
  readonly menu: 'File' | 'View' | 'Help';
  readonly label: string;
  /** Electron accelerator syntax; absent when the command has no shortcut. */
  readonly accelerator?: string;
}

/** Every menu command's place, label and shortcut. */
export const MENU_COMMAND_INFO: { readonly [C in MenuCommand]: MenuCommandInfo } = {
  'import-files': { menu: 'File', label: 'Import files…', accelerator: 'CmdOrCtrl+O' },
  'generate-csr': { menu: 'File', label: 'Generate key & CSR…', accelerator: 'CmdOrCtrl+N' },
  'show-certificates': { menu: 'View', label: 'Certificates', accelerator: 'CmdOrCtrl+1' },
  'show-tasks': { menu: 'View', label: 'Tasks', accelerator: 'CmdOrCtrl+2' },
  'show-expiry': { menu: 'View', label: 'Expiry', accelerator: 'CmdOrCtrl+3' },
  'show-keys': { menu: 'View', label: 'Keys', accelerator: 'CmdOrCtrl+4' },
  'toggle-dark-mode': { menu: 'View', label: 'Toggle dark mode' },
  'show-help': { menu: 'Help', label: 'Certdesk help', accelerator: 'F1' },
};

/** A menu command that has a shortcut. */
export interface MenuShortcut extends MenuCommandInfo {
  readonly command: MenuCommand;
  readonly accelerator: string;
}

/** The commands with a shortcut, in menu-command order. */
export const MENU_SHORTCUTS: readonly MenuShortcut[] = MENU_COMMANDS.flatMap((command) => {
  const info = MENU_COMMAND_INFO[command];
  return info.accelerator !== undefined ? [{ ...info, command, accelerator: info.accelerator }] : [];
});

const MAC_KEYS: Readonly<Record<string, string>> = { CmdOrCtrl: '⌘', Command: '⌘', Cmd: '⌘', Ctrl: '⌃', Control: '⌃', Alt: '⌥', Option: '⌥', Shift: '⇧' };
const OTHER_KEYS: Readonly<Record<string, string>> = { CmdOrCtrl: 'Ctrl', Control: 'Ctrl', Option: 'Alt' };

/** An Electron accelerator as `platform` (Node's `process.platform` names) writes it: `⌘O` on macOS, `Ctrl+O` elsewhere. */
export function formatAccelerator(accelerator: string, platform: string): string {
  const parts = accelerator.split('+');
  if (platform === 'darwin') return parts.map((p) => MAC_KEYS[p] ?? p).join('');
  return parts.map((p) => OTHER_KEYS[p] ?? p).join('+');
}
