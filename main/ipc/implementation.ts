/**
 * The API's implementation over the core services: each method receives arguments already parsed
 * by its schema (see handlers.ts) and returns plain data. Nothing returned here holds key material.
 */
import type { ApiImplementation, AppInfo } from '../../shared/api.js';
import { CertdeskError } from '../../shared/errors.js';
import type { DialogAdapter } from '../adapters/dialog-adapter.js';
import { filtersFor } from '../adapters/dialog-adapter.js';
import type { Container } from '../services/container.js';
import { toKeySummary } from '../services/key-summary.js';
import { writeFileAtomic } from '../vault/atomic-file.js';
import { createProviderImplementation } from './provider-implementation.js';

/** What the implementation needs from the app. */
export interface ImplementationDeps {
  readonly appInfo: () => AppInfo;
  readonly container: Container;
  readonly dialogs: DialogAdapter;
}

/** The implementation of every API method. */
export function createImplementation(deps: ImplementationDeps): ApiImplementation {
  const { container: c, dialogs } = deps;
  const { exportKey, ...providers } = createProviderImplementation({ container: c, dialogs });
  return {
    ...providers,
    app: {
      info: async () => deps.appInfo(),
    },
    keys: {
      list: async () => (await c.keys.list()).map(toKeySummary),
      generate: async ({ type, label }) => toKeySummary(await c.keys.generate(type, label)),
      import: async ({ files, label }) => c.material.importKeys(files, label),
      delete: async ({ id, force }) => c.keys.delete(id, { force: force === true }),
      export: exportKey,
    },
    pki: {
      inspect: async ({ files }) => c.material.inspect(files),
      verify: async ({ files, host }) => c.material.verify(files, host),
    },
    csr: {
      checkSans: async (values) => c.csr.checkSans(values),
      preview: async (names) => c.csr.preview(names),
      create: async (request) => c.csr.create(request),
      pending: async () => {
        const inventory = c.store.get('inventory');
        const nameOf = (t: { account: string; certificate: string }): string | undefined =>
          inventory.find((e) => e.account === t.account)?.certificates.find((x) => x.id === t.certificate)?.name;
        return (await c.csr.pending()).map((r) => {
          const name = r.target !== undefined ? nameOf(r.target) : undefined;
          return name !== undefined ? { ...r, targetName: name } : r;
        });
      },
    },
    settings: {
      get: async () => c.settings.get(),
      set: async (patch) => c.settings.set(patch),
    },
    dialogs: {
      saveText: async ({ defaultName, content }) => {
        const path = await dialogs.chooseSavePath({ title: `Save ${defaultName}`, defaultName, filters: filtersFor(defaultName) });
        if (path === null) return { saved: false };
        try {
          await writeFileAtomic(path, content, 0o644);
        } catch (err) {
          throw new CertdeskError('FILE_WRITE_FAILED', `Could not write ${path}: ${(err as Error).message}`, { file: path });
        }
        return { saved: true, path };
      },
    },
  };
}
