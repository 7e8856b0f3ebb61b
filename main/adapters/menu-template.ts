/**
 * The application menu as plain data: roles, and the command each item sends to the renderer. No
 * Electron here, so the template is unit-tested in Node; `menu.ts` turns it into Electron's `Menu`.
 * A command's label and shortcut come from shared/menu-commands.ts, which the Help screen lists.
 *
 * macOS gets its app menu (About, Hide, Quit) first and Close Window in File; elsewhere Quit
 * closes the File menu and About Certdesk ends the Help menu. An Edit menu of roles is always
 * present: without one, Cmd+C/Cmd+V do not reach text fields on macOS.
 */
import type { MenuCommand } from '../../shared/api.js';
import { MENU_COMMAND_INFO } from '../../shared/menu-commands.js';

/** The Electron menu roles the template uses. */
export type MenuRole =
  | 'about'
  | 'hide'
  | 'hideOthers'
  | 'unhide'
  | 'services'
  | 'quit'
  | 'close'
  | 'undo'
  | 'redo'
  | 'cut'
  | 'copy'
  | 'paste'
  | 'selectAll'
  | 'reload'
  | 'forceReload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

/** One item of the template. */
export type MenuItemSpec =
  | { readonly type: 'separator' }
  | { readonly type: 'role'; readonly role: MenuRole; readonly label?: string; readonly accelerator?: string }
  | { readonly type: 'command'; readonly id: string; readonly label: string; readonly command: MenuCommand; readonly accelerator?: string };

/** A top-level menu. */
export interface MenuSpec {
  readonly label: string;
  /** Set for a menu Electron fills itself (macOS's Window menu); its `items` are then empty. */
  readonly role?: 'windowMenu';
  readonly items: readonly MenuItemSpec[];
}

/** What the template depends on. */
export interface MenuTemplateOptions {
  readonly platform: NodeJS.Platform;
  /** Development build: Reload and the developer tools are offered. */
  readonly dev: boolean;
  readonly appName: string;
}

const sep: MenuItemSpec = { type: 'separator' };

function command(id: string, cmd: MenuCommand): MenuItemSpec {
  const { label, accelerator } = MENU_COMMAND_INFO[cmd];
  return { type: 'command', id, label, command: cmd, ...(accelerator !== undefined ? { accelerator } : {}) };
}

/** The application menu for a platform. */
export function buildMenuTemplate(options: MenuTemplateOptions): readonly MenuSpec[] {
  const mac = options.platform === 'darwin';
  const menus: MenuSpec[] = [];
  if (mac) {
    menus.push({
      label: options.appName,
      items: [
        { type: 'role', role: 'about' },
        sep,
        { type: 'role', role: 'services' },
        sep,
        { type: 'role', role: 'hide' },
        { type: 'role', role: 'hideOthers' },
        { type: 'role', role: 'unhide' },
        sep,
        { type: 'role', role: 'quit' },
      ],
    });
  }
  menus.push({
    label: 'File',
    items: [
      command('file.import', 'import-files'),
      command('file.generate-csr', 'generate-csr'),
      sep,
      mac ? { type: 'role', role: 'close' } : { type: 'role', role: 'quit', label: 'Quit', accelerator: 'Ctrl+Q' },
    ],
  });
  menus.push({
    label: 'Edit',
    items: [
      { type: 'role', role: 'undo' },
      { type: 'role', role: 'redo' },
      sep,
      { type: 'role', role: 'cut' },
      { type: 'role', role: 'copy' },
      { type: 'role', role: 'paste' },
      { type: 'role', role: 'selectAll' },
    ],
  });
  menus.push({
    label: 'View',
    items: [
      command('view.certificates', 'show-certificates'),
      command('view.tasks', 'show-tasks'),
      command('view.expiry', 'show-expiry'),
      command('view.keys', 'show-keys'),
      sep,
      command('view.toggle-dark-mode', 'toggle-dark-mode'),
      sep,
      { type: 'role', role: 'resetZoom' },
      { type: 'role', role: 'zoomIn' },
      { type: 'role', role: 'zoomOut' },
      { type: 'role', role: 'togglefullscreen' },
      // A reload drops the renderer's state mid-wizard; only developers get it (and the tools).
      ...(options.dev ? [sep, { type: 'role', role: 'reload' } as const, { type: 'role', role: 'forceReload' } as const, { type: 'role', role: 'toggleDevTools' } as const] : []),
    ],
  });
  if (mac) {
    menus.push({ label: 'Window', role: 'windowMenu', items: [] });
  }
  menus.push({
    label: 'Help',
    // macOS has About in the app menu; elsewhere it ends Help, as on most Windows and Linux apps.
    items: [command('help.show', 'show-help'), ...(mac ? [] : [sep, { type: 'role', role: 'about', label: `About ${options.appName}` } as const])],
  });
  return menus;
}

/** Every item of a template, depth first (for look-ups and tests). */
export function menuItems(template: readonly MenuSpec[]): readonly MenuItemSpec[] {
  return template.flatMap((menu) => menu.items);
}
