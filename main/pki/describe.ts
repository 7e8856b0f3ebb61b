/**
 * Reads a file's bytes and describes every object in it, with lint findings attached:
 * what `inspect` prints and what the import flow shows before anything is saved.
 */
import type { ObjectInfo } from '../../shared/pki-types.js';
import type { ReadOptions } from './objects.js';
import { readMaterial } from './read.js';
import { inspectObject } from './inspect.js';
import { lintCertificate, lintCsr } from './lint.js';

/** Options for lint during description. */
export interface DescribeOptions {
  /** Days before expiry that count as "expiring" (default 30). */
  readonly expiryWindowDays?: number;
}

/** Reads `bytes` and returns every certificate, key and CSR found, with warnings from lint. */
export async function describeMaterial(bytes: Uint8Array, read: ReadOptions, now: Date, options: DescribeOptions = {}): Promise<ObjectInfo[]> {
  const objects = await readMaterial(bytes, read);
  return objects.map((obj): ObjectInfo => {
    const info = inspectObject(obj);
    switch (info.kind) {
      case 'certificate': {
        if (obj.kind !== 'certificate') return info;
        const warnings = lintCertificate(obj.der, { now, role: info.role, expiryWindowDays: options.expiryWindowDays });
        return { ...info, warnings };
      }
      case 'csr': {
        if (obj.kind !== 'csr') return info;
        return { ...info, warnings: lintCsr(obj.der) };
      }
      case 'private-key':
        return info;
    }
  });
}
