/**
 * A second process for vault-keychain.spec.ts: bundled with esbuild and run by plain `node`, it
 * opens the vault with a fresh Vault, a fresh keytar and a fresh D-Bus connection.
 *
 * argv[2] is a JSON request; stdout gets one JSON answer. `read` signs a challenge with each key
 * (so the parent can check the keys without the child printing them); `put` seals a new P-256 key
 * and, for the parent's scan of the data directory only, reports that key's PKCS#8 bytes.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { isCertdeskError } from '../../shared/errors.js';
import { spkiSha256 } from '../../main/pki/keys.js';
import { createOsKeychain } from '../../main/vault/keychain.js';
import { Vault } from '../../main/vault/vault.js';

interface ChildRequest {
  readonly op: 'read' | 'put';
  readonly dataDir: string;
  readonly service: string;
  readonly ids?: readonly string[];
  readonly challenge?: string;
}

async function main(): Promise<unknown> {
  const request = JSON.parse(process.argv[2] ?? '{}') as ChildRequest;
  const vault = new Vault({ dataDir: request.dataDir, keychain: createOsKeychain(), service: request.service });
  if (request.op === 'read') {
    const challenge = Buffer.from(request.challenge ?? '', 'utf8');
    const keys = [];
    for (const id of request.ids ?? []) {
      const key = await vault.get(id);
      keys.push({ id, spkiSha256: spkiSha256(key), signature: sign('sha256', challenge, key).toString('base64') });
    }
    return { ok: true, listed: await vault.listIds(), keys };
  }
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'der' }).toString('base64');
  const d = privateKey.export({ format: 'jwk' }).d ?? '';
  try {
    return { ok: true, id: await vault.put(privateKey), pkcs8, d };
  } catch (err) {
    if (isCertdeskError(err)) return { ok: false, code: err.code, message: err.message, pkcs8, d };
    throw err;
  }
}

main().then(
  (answer) => process.stdout.write(JSON.stringify(answer)),
  (err: unknown) => {
    process.stdout.write(
      JSON.stringify({
        ok: false,
        code: isCertdeskError(err) ? err.code : 'UNEXPECTED',
        message: err instanceof Error ? err.message : String(err),
      }),
    );
  },
);
