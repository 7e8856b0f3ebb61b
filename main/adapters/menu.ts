/**
 * The application menu through Electron: builds `Menu` from the plain template in
 * menu-template.ts. Commands go to the renderer as the typed `menuCommand` event.
 */
import { Menu, type MenuItemConstructorOptions } from 'electron';
import type { MenuCommand } from '../../shared/api.js';
import { buildMenuTemplate, type MenuItemSpec, type MenuSpec, type MenuTemplateOptions } from './menu-template.js';

/** What the menu needs from the app. */
export interface ApplicationMenuOptions extends MenuTemplateOptions {
  /** Sends a command to the window (the `menuCommand` event). */
  readonly send: (command: MenuCommand) => void;
}

function toItem(item: MenuItemSpec, options: ApplicationMenuOptions): MenuItemConstructorOptions {
  switch (item.type) {
    case 'separator':
      return { type: 'separator' };
    case 'role':
      return { role: item.role, ...(item.label !== undefined ? { label: item.label } : {}), ...(item.accelerator !== undefined ? { accelerator: item.accelerator } : {}) };
    case 'command':
      return { id: item.id, label: item.label, ...(item.accelerator !== undefined ? { accelerator: item.accelerator } : {}), click: () => options.send(item.command) };
  }
}

function toMenu(menu: MenuSpec, options: ApplicationMenuOptions): MenuItemConstructorOptions {
  return menu.role !== undefined ? { label: menu.label, role: menu.role } : { label: menu.label, submenu: menu.items.map((i) => toItem(i, options)) };
}

/** Builds the application menu and installs it; returns it. */
export function installApplicationMenu(options: ApplicationMenuOptions): Menu {
  const menu = Menu.buildFromTemplate(buildMenuTemplate(options).map((m) => toMenu(m, options)));
  Menu.setApplicationMenu(menu);
  return menu;
}
