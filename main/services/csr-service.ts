/**
 * Certificate signing requests as a use case: check names, preview and lint, create a CSR for a
 * vault key (new or existing) and record it as pending until its signed certificate arrives.
 *
 * A new key is generated and sealed in the vault by the key service; this service reads it back
 * only to sign, and returns the CSR, the key id and fingerprints — never the key.
 */
import { isIP } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { CsrCreated, CsrPreview, PendingRequestSummary, SanCheck } from '../../shared/api.js';
import { isCertdeskError } from '../../shared/errors.js';
import type { KeyType, San, SubjectFields } from '../../shared/pki-types.js';
import { createCsr, encodeSubject } from '../pki/csr.js';
import { isValidDnsName } from '../pki/hostname.js';
import { inspectCsr } from '../pki/inspect.js';
import { generateKey } from '../pki/keygen.js';
import { lintCsr } from '../pki/lint.js';
import { normaliseSans, parseSanArgument } from '../pki/san.js';
import type { PendingRequest } from '../store/schema.js';
import type { AppStore } from '../store/store.js';
import type { AuditLog } from './audit-log.js';
import type { KeyService } from './key-service.js';

/** Subject and SANs (as typed: `DNS:name`, `IP:address`, `EMAIL:address` or bare). */
export interface CsrNames {
  readonly subject: SubjectFields;
  readonly sans: readonly string[];
}

/** A CSR for an existing vault key, or for a new key of a type. */
export type CsrSpec = CsrNames & ({ readonly keyId: string } | { readonly newKeyType: KeyType; readonly label?: string });

/** What the CSR service needs. */
export interface CsrServiceDeps {
  readonly keys: KeyService;
  readonly store: AppStore;
  readonly audit: AuditLog;
  readonly now: () => Date;
  readonly onWarning?: (message: string) => void;
}

/** CSR use cases. */
export interface CsrService {
  /** Checks each SAN as typed; one result per entry, in order. */
  checkSans(values: readonly string[]): SanCheck[];
  /** Validates the names and lints a request carrying them (signed with a throwaway key); INVALID_ARGUMENT / INVALID_NAME otherwise. */
  preview(names: CsrNames): Promise<CsrPreview>;
  /** Creates the CSR, sealing a new key first when asked, and records the pending request. */
  create(spec: CsrSpec): Promise<CsrCreated>;
  /** Pending requests, newest first. */
  pending(): Promise<PendingRequestSummary[]>;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Leaves out optional subject fields left empty in a form. */
function cleanSubject(subject: SubjectFields): SubjectFields {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(subject)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out as unknown as SubjectFields;
}

/**
 * The SANs a request will carry: the typed ones, with the common name first when it is a host
 * name or IP address not already listed (CAs and browsers ignore the CN; the CLI does the same).
 */
export function requestSans(commonName: string, values: readonly string[]): San[] {
  const sans = values.map((v) => parseSanArgument(v));
  const cn = commonName.trim().toLowerCase();
  const cnSan: San | null = isIP(cn) ? { type: 'ip', value: cn } : isValidDnsName(cn) ? { type: 'dns', value: cn } : null;
  if (cnSan && !sans.some((s) => s.type === cnSan.type && s.value.toLowerCase() === cnSan.value)) sans.unshift(cnSan);
  return normaliseSans(sans);
}

/** The CSR service. */
export function createCsrService(deps: CsrServiceDeps): CsrService {
  const { keys, store, audit, now } = deps;

  const log = async (outcome: 'success' | 'failure', target: string, detail: string): Promise<void> => {
    try {
      await audit.append({ action: 'csr.create', target, outcome, detail });
    } catch (err) {
      deps.onWarning?.(`Could not write the audit log ${audit.path}: ${(err as Error).message}`);
    }
  };

  /** Checks subject and SANs before anything is generated. */
  const resolve = (names: CsrNames): { subject: SubjectFields; sans: San[] } => {
    const subject = cleanSubject(names.subject);
    encodeSubject(subject);
    return { subject, sans: requestSans(subject.commonName, names.sans) };
  };

  return {
    checkSans(values) {
      return values.map((input): SanCheck => {
        try {
          return { input, ok: true, san: parseSanArgument(input) };
        } catch (err) {
          if (!isCertdeskError(err)) throw err;
          return { input, ok: false, message: err.message };
        }
      });
    },

    async preview(names) {
      const { subject, sans } = resolve(names);
      // A P-256 key signs in microseconds; lint looks at names and signature, and every key type
      // Certdesk offers passes its key checks, so the findings are those of the real request.
      const csr = createCsr({ key: await generateKey('ec-p256'), subject, sans });
      return { subject: inspectCsr(csr.der).subject, sans, findings: lintCsr(csr.der) };
    },

    async create(spec) {
      const { subject, sans } = resolve(spec);
      const fresh = 'newKeyType' in spec;
      const record = fresh
        ? await keys.generate(spec.newKeyType, spec.label ?? `CSR for ${subject.commonName}`)
        : await keys.get(spec.keyId);
      let csr;
      try {
        csr = createCsr({ key: await keys.getPrivateKey(record.id), subject, sans });
      } catch (err) {
        // The new key exists only for this request: do not leave an orphan behind.
        if (fresh) await keys.delete(record.id, { force: true }).catch(() => undefined);
        await log('failure', record.id, isCertdeskError(err) ? `${err.code}: ${err.message}` : 'INTERNAL');
        throw err;
      }
      const info = inspectCsr(csr.der);
      const pending: PendingRequest = {
        id: `r_${randomBytes(8).toString('hex')}`,
        keyId: record.id,
        subject: info.subject,
        sans,
        createdAt: isoSeconds(now()),
      };
      store.update('pendingRequests', (all) => [...all, pending]);
      await log('success', record.id, `${info.subject}; ${sans.length} SAN(s); pending ${pending.id}`);
      return {
        keyId: record.id,
        csrPem: csr.pem,
        spkiSha256: record.spkiSha256,
        subject: info.subject,
        sans,
        findings: lintCsr(csr.der),
        pendingRequestId: pending.id,
      };
    },

    async pending() {
      return [...store.get('pendingRequests')]
        .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
        .map((r) => ({
          id: r.id,
          keyId: r.keyId,
          subject: r.subject,
          sans: [...r.sans],
          createdAt: r.createdAt,
          ...(r.target ? { target: { account: r.target.account, certificate: r.target.certificate } } : {}),
        }));
    },
  };
}
