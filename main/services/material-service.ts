/**
 * Dropped or pasted material as a use case: describe what each file holds, pair certificates with
 * private keys (in the files and in the vault) by SubjectPublicKeyInfo, build the cleaned bundle
 * and validate its chain; put private keys from files into the vault.
 *
 * A file that cannot be read is reported as data for that file (PASSWORD_REQUIRED, WRONG_PASSWORD,
 * UNRECOGNISED_FORMAT…), so one bad file never hides what the others hold.
 */
import type {
  BundleCertificate,
  BundleSummary,
  ChainValidation,
  FileInspection,
  ImportedKeySummary,
  InspectResult,
  KeyLocation,
  KeyMatch,
} from '../../shared/api.js';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import type { CertificateInfo, ObjectInfo } from '../../shared/pki-types.js';
import { fixBundle } from '../pki/bundle.js';
import { verifyChain } from '../pki/chain.js';
import { describeMaterial } from '../pki/describe.js';
import { inspectCertificate } from '../pki/inspect.js';
import { sha256Hex } from '../pki/keys.js';
import type { CertificateObject, PrivateKeyObject } from '../pki/objects.js';
import { readMaterial } from '../pki/read.js';
import { toKeySummary } from './key-summary.js';
import type { KeyService } from './key-service.js';

/** A file as the renderer sends it. */
export interface MaterialFile {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly password?: string;
}

/** What the material service needs. */
export interface MaterialServiceDeps {
  readonly keys: KeyService;
  readonly now: () => Date;
  /** Days before expiry that count as expiring (the user's setting). */
  readonly expiryWindowDays: () => Promise<number>;
  /** Trust anchors for chain validation; default: the Mozilla root store bundled with Node.js. */
  readonly anchors?: readonly Uint8Array[];
}

/** Material use cases. */
export interface MaterialService {
  /** What every file holds, key pairing, the cleaned bundle. */
  inspect(files: readonly MaterialFile[]): Promise<InspectResult>;
  /** Chain validation of the leaf found in the files, now, optionally for `host`. */
  verify(files: readonly MaterialFile[], host?: string): Promise<ChainValidation>;
  /** Puts every private key in the files into the vault. */
  importKeys(files: readonly MaterialFile[], label?: string): Promise<ImportedKeySummary[]>;
}

function errorInfo(err: unknown): { code: string; message: string } {
  if (isCertdeskError(err)) return { code: err.code, message: err.message };
  return { code: 'INTERNAL', message: 'Certdesk could not read this file (unexpected error); see the log' };
}

function certSummary(der: Uint8Array): BundleCertificate {
  return { sha256: sha256Hex(der), subject: inspectCertificate(der).subject };
}

/** The material service. */
export function createMaterialService(deps: MaterialServiceDeps): MaterialService {
  const { keys, now } = deps;

  const readAll = (files: readonly MaterialFile[]) =>
    files.map((file) => {
      try {
        return { file, objects: readMaterial(file.bytes, { fileName: file.name, password: file.password }) };
      } catch (err) {
        return { file, error: err };
      }
    });

  const certificatesOf = (files: readonly MaterialFile[]): Buffer[] =>
    readAll(files).flatMap((r) => (r.objects ?? []).filter((o): o is CertificateObject => o.kind === 'certificate').map((o) => o.der));

  const validate = (leaf: Uint8Array, pool: readonly Uint8Array[], host?: string): ChainValidation => {
    const result = verifyChain({ leaf, pool, at: now(), ...(host ? { host } : {}), ...(deps.anchors ? { anchors: deps.anchors } : {}) });
    return { valid: result.valid, chain: result.chain, errors: result.errors, warnings: result.warnings };
  };

  return {
    async inspect(files) {
      const at = now();
      const expiryWindowDays = await deps.expiryWindowDays();
      const inspections: FileInspection[] = [];
      for (const file of files) {
        try {
          const objects = await describeMaterial(file.bytes, { fileName: file.name, password: file.password }, at, { expiryWindowDays });
          inspections.push({ name: file.name, ok: true, objects });
        } catch (err) {
          inspections.push({ name: file.name, ok: false, error: errorInfo(err) });
        }
      }

      const found = inspections.flatMap((f) => (f.ok ? f.objects.map((o) => ({ file: f.name, object: o })) : []));
      const fileKeys = found.filter((x): x is { file: string; object: Extract<ObjectInfo, { kind: 'private-key' }> } => x.object.kind === 'private-key');
      const leaves = found.filter((x): x is { file: string; object: CertificateInfo } => x.object.kind === 'certificate' && x.object.role === 'leaf');
      const vault = await keys.list();

      const seenLeaves = new Set<string>();
      const matches: KeyMatch[] = [];
      for (const { object: cert } of leaves) {
        if (seenLeaves.has(cert.fingerprints.sha256)) continue;
        seenLeaves.add(cert.fingerprints.sha256);
        const where: KeyLocation[] = [
          ...fileKeys.filter((k) => k.object.spkiSha256 === cert.spkiSha256).map((k): KeyLocation => ({ where: 'file', file: k.file })),
          ...vault.filter((r) => r.spkiSha256 === cert.spkiSha256).map((r): KeyLocation => ({ where: 'vault', keyId: r.id, label: r.label })),
        ];
        matches.push({ certificateSha256: cert.fingerprints.sha256, subject: cert.subject, spkiSha256: cert.spkiSha256, keys: where });
      }
      const certSpkis = new Set(found.flatMap((x) => (x.object.kind === 'certificate' ? [x.object.spkiSha256] : [])));
      const unmatchedKeys = [...new Set(fileKeys.map((k) => k.object.spkiSha256))].filter((s) => !certSpkis.has(s));

      let bundle: BundleSummary | null = null;
      let bundleError: InspectResult['bundleError'] = null;
      const certificates = certificatesOf(files.filter((_, i) => inspections[i]?.ok === true));
      if (certificates.length > 0) {
        try {
          const fixed = fixBundle({ certificates, ...(deps.anchors ? { anchors: deps.anchors } : {}) });
          bundle = {
            leaf: certSummary(fixed.leaf),
            chain: fixed.chain.map(certSummary),
            removed: fixed.removed.map((r) => ({ ...certSummary(r.der), reason: r.reason })),
            pem: fixed.pem,
            findings: fixed.findings,
            // Validate against everything dropped (the root the bundle leaves out included), so an
            // untrusted root is reported as such rather than as a missing certificate.
            validation: validate(fixed.leaf, certificates.filter((c) => !Buffer.from(c).equals(Buffer.from(fixed.leaf)))),
          };
        } catch (err) {
          bundleError = errorInfo(err);
        }
      }
      return { files: inspections, matches, unmatchedKeys, bundle, bundleError };
    },

    async verify(files, host) {
      const read = readAll(files);
      const failed = read.find((r) => r.error !== undefined);
      if (failed) throw failed.error;
      const certificates = read.flatMap((r) => (r.objects ?? []).filter((o): o is CertificateObject => o.kind === 'certificate').map((o) => o.der));
      if (certificates.length === 0) {
        throw new CertdeskError('NOT_A_CERTIFICATE', `${files.map((f) => f.name).join(', ')}: no certificate found to verify`, {
          file: files[0]?.name,
        });
      }
      const fixed = fixBundle({ certificates, ...(deps.anchors ? { anchors: deps.anchors } : {}) });
      const leaf = sha256Hex(fixed.leaf);
      return validate(fixed.leaf, certificates.filter((c) => sha256Hex(c) !== leaf), host);
    },

    async importKeys(files, label) {
      const out: ImportedKeySummary[] = [];
      for (const { file, objects, error } of readAll(files)) {
        if (error !== undefined) throw error;
        const found = (objects ?? []).filter((o): o is PrivateKeyObject => o.kind === 'private-key');
        if (found.length === 0) throw new CertdeskError('KEY_INVALID', `${file.name}: contains no private key`, { file: file.name });
        for (const obj of found) {
          const imported = await keys.import(obj.key, label ?? file.name);
          out.push({ ...toKeySummary(imported), file: file.name, existing: imported.existing });
        }
      }
      return out;
    },
  };
}
