// The ESLint rule that keeps raw IPC in the wrapper and the preload: it must fire everywhere else.
import { ESLint } from 'eslint';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');
const eslint = new ESLint({ cwd: ROOT });

async function ruleIds(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: join(ROOT, file) });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

const IMPORT_IPC_MAIN = "import { ipcMain } from 'electron';\nipcMain.handle('x:y', () => 1);\n";
const IMPORT_IPC_RENDERER = "import { ipcRenderer } from 'electron';\nvoid ipcRenderer.invoke('x:y');\n";
const MEMBER = "import * as electron from 'electron';\nelectron.ipcMain.handle('x:y', () => 1);\n";

describe('no raw IPC outside main/ipc/register.ts and main/preload.ts', () => {
  it.each([
    ['main/index.ts', IMPORT_IPC_MAIN],
    ['main/ipc/handlers.ts', IMPORT_IPC_MAIN],
    ['main/adapters/dialogs.ts', IMPORT_IPC_RENDERER],
    ['main/services/key-service.ts', IMPORT_IPC_MAIN],
    ['renderer/src/App.tsx', IMPORT_IPC_RENDERER],
    ['main/index.ts', MEMBER],
  ])('flags %s', async (file, code) => {
    const ids = await ruleIds(file, code);
    expect(ids.some((id) => id === 'no-restricted-imports' || id === 'no-restricted-syntax')).toBe(true);
  });

  it('flags window.ipcRenderer in the renderer', async () => {
    expect(await ruleIds('renderer/src/x.ts', 'export const r = (window as unknown as { ipcRenderer: unknown }).ipcRenderer;\n')).toContain('no-restricted-syntax');
  });

  it.each([
    ['main/ipc/register.ts', IMPORT_IPC_MAIN],
    ['main/preload.ts', IMPORT_IPC_RENDERER],
  ])('allows %s', async (file, code) => {
    const ids = await ruleIds(file, code);
    expect(ids.filter((id) => id === 'no-restricted-imports' || id === 'no-restricted-syntax')).toEqual([]);
  });

  it('still lets the edge import the rest of electron', async () => {
    expect(await ruleIds('main/adapters/dialogs.ts', "import { dialog } from 'electron';\nexport const d = dialog;\n")).not.toContain('no-restricted-imports');
  });

  it('keeps window.certdesk out of components (hooks only)', async () => {
    const component = 'export function A(): null {\n  void window.certdesk.keys.list();\n  return null;\n}\n';
    expect(await ruleIds('renderer/features/keys/KeysView.tsx', component)).toContain('no-restricted-syntax');
    expect(await ruleIds('renderer/features/keys/use-keys.ts', 'export const f = () => window.certdesk.keys.list();\n')).not.toContain('no-restricted-syntax');
  });
});
