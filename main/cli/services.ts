/**
 * Opens the core services a command needs, over the data directory named by `--data-dir`,
 * `CERTDESK_DATA_DIR` or the app's default. Each piece is built only when asked for.
 */
import { resolveDataDir } from '../paths.js';
import type { CommandContext } from './main.js';
import type { KeyService } from '../services/key-service.js';

/** The data directory of this invocation. */
export function dataDir(ctx: CommandContext): string {
  return resolveDataDir({ flag: ctx.dataDirFlag, env: ctx.io.env });
}

/** The key service (store + vault + audit log) for this invocation's data directory. */
export async function openKeyService(ctx: CommandContext): Promise<KeyService> {
  const dir = dataDir(ctx);
  const [{ createStore }, { Vault }, { createOsKeychain }, { createAuditLog }, { createKeyService }] = await Promise.all([
    import('../store/store.js'),
    import('../vault/vault.js'),
    import('../vault/keychain.js'),
    import('../services/audit-log.js'),
    import('../services/key-service.js'),
  ]);
  const store = await createStore({ cwd: dir, onWarning: (m) => ctx.io.stderr(`certdesk: ${m}\n`) });
  const vault = new Vault({ dataDir: dir, keychain: createOsKeychain() });
  const audit = createAuditLog({ dataDir: dir });
  return createKeyService({ vault, store, audit, now: () => new Date() });
}
