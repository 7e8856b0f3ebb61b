/**
 * Native dialogs through Electron, attached to the app's window.
 */
import { dialog, type BrowserWindow } from 'electron';
import type { DialogAdapter } from './dialog-adapter.js';

/** The Electron dialog adapter; `window()` gives the window the dialog belongs to. */
export function createElectronDialogs(window: () => BrowserWindow | null): DialogAdapter {
  return {
    async chooseSavePath({ title, defaultName, filters }) {
      const options = { title, defaultPath: defaultName, filters: filters.map((f) => ({ name: f.name, extensions: [...f.extensions] })), properties: ['createDirectory' as const, 'showOverwriteConfirmation' as const] };
      const win = window();
      const res = win ? await dialog.showSaveDialog(win, options) : await dialog.showSaveDialog(options);
      return res.canceled || !res.filePath ? null : res.filePath;
    },
  };
}
