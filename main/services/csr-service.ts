/**
 * Certificate signing requests as a use case: check names, preview and lint, create a CSR for a
 * vault key (new or existing) and record it as pending until its signed certificate arrives.
 *
 * A new key is generated here, signs its request, and is then sealed in the vault by the key
 * service; the caller gets the CSR, the key id and fingerprints — never the key.
 */
import type { KeyObject } from 'node:crypto';
import { isIP } from 'node:net';
import type { CsrCreated, CsrPreview, PendingRequestSummary, SanCheck } from '../../shared/api.js';
import { isCertdeskError } from '../../shared/errors.js';
import type { KeyType, San, SubjectFields } from '../../shared/pki-types.js';
import { createCsr, encodeSubject, type CsrOutput } from '../pki/csr.js';
import { isValidDnsName } from '../pki/host-syntax.js';
import { inspectCsr } from '../pki/inspect.js';
import { generateKey } from '../pki/keygen.js';
import { lintCsr } from '../pki/lint.js';
import { normaliseSans, parseSanArgument } from '../pki/san.js';
import type { KeyRecord } from '../store/schema.js';
import type { KeyService } from './key-service.js';

/** Subject and SANs (as typed: `DNS:name`, `IP:address`, `EMAIL:address` or bare). */
export interface CsrNames {
  readonly subject: SubjectFields;
  readonly sans: readonly string[];
}

/** A CSR for an existing vault key, or for a new key of a type. */
export type CsrSpec = CsrNames & { readonly target?: { readonly account: string; readonly certificate: string } | undefined } & (
    | { readonly keyId: string }
    | { readonly newKeyType: KeyType; readonly label?: string | undefined }
  );

/** What the CSR service needs. */
export interface CsrServiceDeps {
  readonly keys: KeyService;
  /** Key generation; defaults to `generateKey` from `main/pki/keygen.ts`. */
  readonly generateKey?: (type: KeyType) => Promise<KeyObject>;
}

/** CSR use cases. */
export interface CsrService {
  /** Checks each SAN as typed; one result per entry, in order. */
  checkSans(values: readonly string[]): SanCheck[];
  /** Validates the names and lints a request carrying them (signed with a throwaway key); INVALID_ARGUMENT / INVALID_NAME otherwise. */
  preview(names: CsrNames): Promise<CsrPreview>;
  /** Creates the CSR (a new key is sealed once it has signed) and records the pending request. */
  create(spec: CsrSpec): Promise<CsrCreated>;
  /** Pending requests, newest first. */
  pending(): Promise<PendingRequestSummary[]>;
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
  const { keys } = deps;
  const newKey = deps.generateKey ?? generateKey;

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
      const csr = createCsr({ key: await newKey('ec-p256'), subject, sans });
      return { subject: inspectCsr(csr.der).subject, sans, findings: lintCsr(csr.der) };
    },

    async create(spec) {
      const { subject, sans } = resolve(spec);
      let csr: CsrOutput;
      let record: KeyRecord;
      if ('newKeyType' in spec) {
        // Signed before the key is kept, as the CLI does: a request that cannot be built leaves no orphan key.
        const key = await newKey(spec.newKeyType);
        csr = createCsr({ key, subject, sans });
        record = await keys.adopt(key, spec.label ?? `CSR for ${subject.commonName}`);
      } else {
        record = await keys.get(spec.keyId);
        csr = createCsr({ key: await keys.getPrivateKey(record.id), subject, sans });
      }
      const info = inspectCsr(csr.der);
      const target = spec.target !== undefined ? { target: { account: spec.target.account, certificate: spec.target.certificate } } : {};
      const pending = await keys.addPendingRequest({ keyId: record.id, subject: info.subject, sans, ...target });
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
      return (await keys.listPendingRequests())
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
