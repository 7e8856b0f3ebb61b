/**
 * The CDN Pro sandbox's state machine (providers.md §1.3, §1.4, §1.9): customers, certificates
 * with immutable versions, staging/production pointers and deployment tasks that move
 * waiting → inprogress → succeeded/failed as the injected clock advances.
 *
 * Every operation takes the calling customer and either returns the JSON the real API answers
 * with or throws `ApiError(status, code, message)` with the codes the spec lists. Task progress
 * is evaluated lazily from the clock (`advance()`), so a restart or a fake clock needs no timers.
 * The whole state is plain JSON (`data`) so the server can persist it.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Clock } from '../rate-limiter.js';
import { decryptPrivateKey } from '../cdnpro/auth.js';
import {
  SandboxPkiError,
  certificateRequest,
  generateKey,
  keyAlgorithm,
  keyMatchesCertificate,
  pemCertificates,
  readCertificate,
  readPrivateKey,
  selfSignedCertificate,
  type CertFacts,
  type IdentificationInfo,
} from './pki.js';

/** An answer the API gives instead of success. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** A customer with one API account. */
export interface SandboxCustomer {
  readonly id: number;
  readonly user: string;
  readonly apiKey: string;
  /** Set for a reseller's child customer (reachable with `On-Behalf-Of`). */
  readonly parentId?: number;
}

/** One immutable version as stored. */
export interface StoredVersion {
  readonly version: number;
  readonly type: 'uploaded' | 'self-signed';
  readonly comments: string;
  readonly creationTime: number;
  readonly certificatePem: string | null;
  readonly chainPem: string;
  /** The simulated provider's copy of the key (the sandbox is the "remote" side). */
  readonly privateKeyPem: string | null;
  readonly identificationInfo: IdentificationInfo | null;
}

/** A certificate as stored. */
export interface StoredCertificate {
  readonly certificateId: string;
  name: string;
  description: string;
  readonly ownerCustomerId: number;
  readonly caOnly: boolean;
  autoRenew: 'LE' | 'Off';
  forceRenew: boolean;
  sharingMethod: 'all' | 'none' | 'some';
  shareWith: number[];
  readonly creationTime: number;
  lastUpdateTime: number;
  versions: StoredVersion[];
  staging: number | null;
  production: number | null;
  /** Versions named by any deployment task (they can no longer be deleted). */
  historyVersions: number[];
}

/** A certificate action inside a task, as submitted. */
export interface StoredAction {
  readonly action: string;
  readonly certificateId: string;
  readonly version?: string;
}

/** A deployment task as stored; its status follows from the times and the clock. */
export interface StoredTask {
  readonly id: string;
  readonly name: string;
  readonly target: 'staging' | 'production';
  readonly actions: StoredAction[];
  readonly customerId: number;
  readonly apiAccountId: string;
  readonly apiRequestId: string;
  readonly submissionTime: number;
  readonly startTime: number;
  readonly finishTime: number;
  readonly outcome: 'succeeded' | 'failed';
  readonly failureDetails: string | null;
  applied: boolean;
}

/** Everything the sandbox knows, as JSON. */
export interface SandboxData {
  readonly schema: 1;
  customers: SandboxCustomer[];
  certificates: StoredCertificate[];
  tasks: StoredTask[];
}

/** Tunables of the simulated service. */
export interface SandboxStateOptions {
  readonly clock: Clock;
  /** Submission to end of a deployment task; default 3 minutes like the real service. */
  readonly taskDurationMs?: number;
  /** Time a task stays "waiting"; default a fifth of the duration. */
  readonly taskWaitingMs?: number;
  /** Versions per certificate; default 1000. */
  readonly maxVersions?: number;
  /** Certificates per customer; default 1000. */
  readonly maxCertificates?: number;
  /** Called after any change, so the caller can persist `data`. */
  readonly onChange?: () => void;
  /** Asked when a task is created: a failure reason makes it fail. */
  readonly nextTaskFailure?: () => string | undefined;
}

/** What a write request carries besides its body. */
export interface RequestContext {
  /** The request's Date header (the key-encryption input). */
  readonly date: string;
  /** The API key of the account that signed the request. */
  readonly apiKey: string;
  readonly user: string;
  readonly requestId: string;
}

/** Query parameters, as parsed from the URL. */
export type Query = Readonly<Record<string, string | undefined>>;

type Json = Record<string, unknown>;

const SELF_SIGNED_DAYS = 10;
const ENVIRONMENTS = ['staging', 'production'] as const;

/** ISO 8601 UTC without milliseconds. */
export function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasBareCr(text: string): boolean {
  return /\r(?!\n)/.test(text);
}

function normaliseNewlines(text: string): string {
  return text.replace(/\r\n/g, '\n');
}

function listLimit(query: Query, fallback: number): { offset: number; limit: number } {
  const offsetText = query.offset ?? '0';
  const limitText = query.limit ?? String(fallback);
  if (!/^\d+$/.test(offsetText)) throw new ApiError(400, 'InvalidListOffset', 'offset must be a non-negative integer');
  if (!/^\d+$/.test(limitText) || Number(limitText) < 1 || Number(limitText) > 200) {
    throw new ApiError(400, 'InvalidListLimit', 'limit must be an integer between 1 and 200');
  }
  return { offset: Number(offsetText), limit: Number(limitText) };
}

function sortOrder(query: Query): 1 | -1 {
  const order = (query.sortOrder ?? 'desc').toLowerCase();
  if (order !== 'asc' && order !== 'desc') throw new ApiError(400, 'InvalidSortOrder', 'sortOrder must be asc or desc');
  return order === 'asc' ? 1 : -1;
}

/** A fresh, empty state with the given customers. */
export function emptyData(customers: SandboxCustomer[]): SandboxData {
  return { schema: 1, customers, certificates: [], tasks: [] };
}

/** The simulated service. */
export class SandboxState {
  private readonly facts = new Map<string, CertFacts>();
  private readonly csrCache = new Map<string, string>();
  private readonly durationMs: number;
  private readonly waitingMs: number;

  constructor(
    readonly data: SandboxData,
    private readonly options: SandboxStateOptions,
  ) {
    this.durationMs = options.taskDurationMs ?? 180_000;
    this.waitingMs = Math.min(options.taskWaitingMs ?? Math.floor(this.durationMs / 5), this.durationMs);
  }

  private now(): number {
    return this.options.clock.now();
  }

  private changed(): void {
    this.options.onChange?.();
  }

  /** The customer an API user belongs to. */
  customerByUser(user: string): SandboxCustomer | undefined {
    return this.data.customers.find((c) => c.user === user);
  }

  /** A customer by id. */
  customerById(id: number): SandboxCustomer | undefined {
    return this.data.customers.find((c) => c.id === id);
  }

  // ---- task clock -----------------------------------------------------------------------

  /** Applies every task that has finished by now, in finishing order. */
  advance(): void {
    const now = this.now();
    const due = this.data.tasks.filter((t) => !t.applied && t.finishTime <= now).sort((a, b) => a.finishTime - b.finishTime);
    for (const task of due) {
      task.applied = true;
      if (task.outcome !== 'succeeded') continue;
      for (const action of task.actions) {
        const cert = this.data.certificates.find((c) => c.certificateId === action.certificateId);
        if (cert === undefined) continue;
        if (action.action === 'deploy_cert' && action.version !== undefined) cert[task.target] = Number(action.version);
        if (action.action === 'remove_cert') cert[task.target] = null;
        cert.lastUpdateTime = task.finishTime;
      }
    }
    if (due.length > 0) this.changed();
  }

  private taskStatus(task: StoredTask): 'waiting' | 'inprogress' | 'succeeded' | 'failed' {
    const now = this.now();
    if (now < task.startTime) return 'waiting';
    if (now < task.finishTime) return 'inprogress';
    return task.outcome;
  }

  private inFlight(task: StoredTask): boolean {
    return this.now() < task.finishTime;
  }

  // ---- certificate helpers -------------------------------------------------------------

  private factsOf(pem: string): CertFacts {
    let facts = this.facts.get(pem);
    if (facts === undefined) {
      facts = readCertificate(pem);
      this.facts.set(pem, facts);
    }
    return facts;
  }

  private leafFacts(version: StoredVersion): CertFacts | null {
    if (version.certificatePem !== null) return this.factsOf(version.certificatePem);
    const first = pemCertificates(version.chainPem)[0];
    return first !== undefined ? this.factsOf(first) : null;
  }

  private visible(caller: SandboxCustomer, cert: StoredCertificate): boolean {
    if (cert.ownerCustomerId === caller.id) return true;
    if (cert.sharingMethod === 'all') return true;
    return cert.sharingMethod === 'some' && cert.shareWith.includes(caller.id);
  }

  private find(caller: SandboxCustomer, id: string): StoredCertificate {
    const cert = this.data.certificates.find((c) => c.certificateId === id);
    if (cert === undefined || !this.visible(caller, cert)) {
      throw new ApiError(404, 'InvalidCertId', `Certificate '${id}' does not exist`);
    }
    return cert;
  }

  private owned(caller: SandboxCustomer, id: string): StoredCertificate {
    const cert = this.find(caller, id);
    if (cert.ownerCustomerId !== caller.id) {
      throw new ApiError(403, 'AccessDenied', `You are not the owner of certificate '${id}'`);
    }
    return cert;
  }

  private latest(cert: StoredCertificate): StoredVersion {
    const last = cert.versions.at(-1);
    if (last === undefined) throw new ApiError(500, 'InternalError', 'certificate without versions');
    return last;
  }

  private versionAlgorithm(version: StoredVersion): string | null {
    if (version.privateKeyPem !== null) return keyAlgorithm(readPrivateKey(version.privateKeyPem)).algorithm;
    return this.leafFacts(version)?.algorithm ?? null;
  }

  private expiry(cert: StoredCertificate, version: number | null): number | null {
    if (version === null) return null;
    const v = cert.versions.find((x) => x.version === version);
    const facts = v !== undefined ? this.leafFacts(v) : null;
    return facts !== null ? facts.notAfter.getTime() : null;
  }

  private summaryJson(cert: StoredCertificate): Json {
    const latest = this.latest(cert);
    const out: Json = {
      certificateId: cert.certificateId,
      name: cert.name,
      latestVersion: latest.version,
      owner: cert.ownerCustomerId,
      caOnly: cert.caOnly,
      autoRenew: cert.autoRenew,
      forceRenew: cert.forceRenew,
      creationTime: iso(cert.creationTime),
      lastUpdateTime: iso(cert.lastUpdateTime),
    };
    const exp = this.expiry(cert, latest.version);
    if (exp !== null) out.expirationTime = iso(exp);
    if (cert.production !== null) {
      out.versionInProduction = cert.production;
      const e = this.expiry(cert, cert.production);
      if (e !== null) out.productionExpirationTime = iso(e);
    }
    if (cert.staging !== null) {
      out.versionInStaging = cert.staging;
      const e = this.expiry(cert, cert.staging);
      if (e !== null) out.stagingExpirationTime = iso(e);
    }
    return out;
  }

  // ---- certificates ---------------------------------------------------------------------

  /** GET /cdn/certificates */
  listCertificates(caller: SandboxCustomer, query: Query): Json {
    this.advance();
    const { offset, limit } = listLimit(query, 100);
    const target = query.target ?? '';
    if (!['', 'all', 'staging', 'production'].includes(target)) {
      throw new ApiError(400, 'InvalidTarget', "target must be '', 'all', 'staging' or 'production'");
    }
    const autoRenew = query.autoRenew;
    if (autoRenew !== undefined && !['le', 'off'].includes(autoRenew.toLowerCase())) {
      throw new ApiError(400, 'InvalidAutoRenew', "autoRenew must be 'LE' or 'Off'");
    }
    const sortBy = query.sortBy ?? 'lastUpdateTime';
    if (!['creationTime', 'lastUpdateTime', 'expirationTime', 'productionExpirationTime'].includes(sortBy)) {
      throw new ApiError(400, 'InvalidSortBy', `sortBy '${sortBy}' is not supported`);
    }
    const order = sortOrder(query);
    const caOnly = (query.caOnly ?? 'false').toLowerCase() === 'true';
    const search = (query.search ?? '').toLowerCase();
    const rows = this.data.certificates
      .filter((c) => this.visible(caller, c))
      .filter((c) => c.caOnly === caOnly)
      .filter((c) => search === '' || c.name.toLowerCase().includes(search))
      .filter((c) => autoRenew === undefined || c.autoRenew.toLowerCase() === autoRenew.toLowerCase())
      .filter((c) =>
        target === 'staging' ? c.staging !== null : target === 'production' ? c.production !== null : target === 'all' ? c.staging !== null || c.production !== null : true,
      )
      .map((c) => this.summaryJson(c));
    const key = (row: Json): string => String(row[sortBy] ?? '');
    rows.sort((a, b) => key(a).localeCompare(key(b)) * order);
    return { count: rows.length, certificates: rows.slice(offset, offset + limit) };
  }

  /** GET /cdn/certificates/{id} */
  getCertificate(caller: SandboxCustomer, id: string): Json {
    this.advance();
    const cert = this.find(caller, id);
    const out: Json = {
      certificateId: cert.certificateId,
      name: cert.name,
      description: cert.description,
      ownerCustomerId: cert.ownerCustomerId,
      caOnly: cert.caOnly,
      autoRenew: cert.autoRenew,
      forceRenew: cert.forceRenew,
      sharingMethod: cert.sharingMethod,
      shareWith: cert.shareWith,
      creationTime: iso(cert.creationTime),
      lastUpdateTime: iso(cert.lastUpdateTime),
      versions: cert.versions.map((v) => {
        const facts = this.leafFacts(v);
        return {
          version: v.version,
          type: v.type,
          creationTime: iso(v.creationTime),
          ...(facts !== null ? { expirationTime: iso(facts.notAfter.getTime()), fingerprint: facts.fingerprint } : {}),
          comments: v.comments,
        };
      }),
      usageInProduction: [],
      usageInStaging: [],
    };
    if (cert.staging !== null) out.versionInStaging = cert.staging;
    if (cert.production !== null) out.versionInProduction = cert.production;
    return out;
  }

  /** POST /cdn/certificates → the new certificate's id. */
  createCertificate(caller: SandboxCustomer, body: unknown, ctx: RequestContext): string {
    this.advance();
    if (!isObject(body)) throw new ApiError(400, 'InvalidInput', 'The request body must be a JSON object');
    const name = body.name;
    if (typeof name !== 'string' || name.trim() === '') throw new ApiError(400, 'InvalidInput', 'name is required');
    const autoRenew = this.parseAutoRenew(body.autoRenew) ?? 'Off';
    if (body.caOnly !== undefined && typeof body.caOnly !== 'boolean') throw new ApiError(400, 'InvalidInput', 'caOnly must be a boolean');
    const caOnly = body.caOnly === true;
    const sharing = this.parseSharing(body.sharingMethod, body.shareWith) ?? { sharingMethod: 'none' as const, shareWith: [] };
    if (!isObject(body.newVersion)) throw new ApiError(400, 'InvalidInput', 'newVersion is required');
    if (this.data.certificates.some((c) => c.ownerCustomerId === caller.id && c.name === name)) {
      throw new ApiError(409, 'DuplicateName', `A certificate named '${name}' already exists`);
    }
    const mine = this.data.certificates.filter((c) => c.ownerCustomerId === caller.id).length;
    if (mine >= (this.options.maxCertificates ?? 1000)) {
      throw new ApiError(403, 'TooManyCerts', 'The number of certificates has reached the limit of your service quota');
    }
    const version = this.buildVersion(body.newVersion, null, caOnly, 1, ctx);
    const now = this.now();
    const cert: StoredCertificate = {
      certificateId: randomBytes(12).toString('hex'),
      name,
      description: typeof body.description === 'string' ? body.description : '',
      ownerCustomerId: caller.id,
      caOnly,
      autoRenew,
      forceRenew: body.forceRenew === true,
      ...sharing,
      creationTime: now,
      lastUpdateTime: now,
      versions: [version],
      staging: null,
      production: null,
      historyVersions: [],
    };
    this.data.certificates.push(cert);
    this.changed();
    return cert.certificateId;
  }

  /** PATCH /cdn/certificates/{id} → the new version number when `newVersion` was given. */
  updateCertificate(caller: SandboxCustomer, id: string, body: unknown, ctx: RequestContext): number | null {
    this.advance();
    const cert = this.owned(caller, id);
    if (!isObject(body)) throw new ApiError(400, 'InvalidInput', 'The request body must be a JSON object');
    if (body.caOnly !== undefined && body.caOnly !== cert.caOnly) {
      throw new ApiError(400, 'InvalidUpdate', 'caOnly cannot be changed after the certificate is created');
    }
    if (body.name !== undefined) {
      if (typeof body.name !== 'string' || body.name.trim() === '') throw new ApiError(400, 'InvalidInput', 'name must be a non-empty string');
      const newName = body.name;
      if (this.data.certificates.some((c) => c !== cert && c.ownerCustomerId === caller.id && c.name === newName)) {
        throw new ApiError(409, 'DuplicateName', `A certificate named '${newName}' already exists`);
      }
    }
    const autoRenew = this.parseAutoRenew(body.autoRenew);
    const sharing = this.parseSharing(body.sharingMethod, body.shareWith);
    if (body.forceRenew !== undefined && typeof body.forceRenew !== 'boolean') throw new ApiError(400, 'InvalidInput', 'forceRenew must be a boolean');
    let created: StoredVersion | null = null;
    if (body.newVersion !== undefined) {
      if (!isObject(body.newVersion)) throw new ApiError(400, 'InvalidInput', 'newVersion must be an object');
      if (cert.versions.length >= (this.options.maxVersions ?? 1000)) {
        throw new ApiError(403, 'TooManyVersions', `Certificate '${id}' already has the maximum number of versions`);
      }
      const latest = this.latest(cert);
      created = this.buildVersion(body.newVersion, latest, cert.caOnly, latest.version + 1, ctx);
    }
    // Everything validated: apply.
    if (typeof body.name === 'string') cert.name = body.name;
    if (typeof body.description === 'string') cert.description = body.description;
    if (autoRenew !== undefined) cert.autoRenew = autoRenew;
    if (typeof body.forceRenew === 'boolean') cert.forceRenew = body.forceRenew;
    if (sharing !== undefined) {
      cert.sharingMethod = sharing.sharingMethod;
      cert.shareWith = sharing.shareWith;
    }
    if (created !== null) cert.versions.push(created);
    cert.lastUpdateTime = this.now();
    this.changed();
    return created?.version ?? null;
  }

  private parseAutoRenew(value: unknown): 'LE' | 'Off' | undefined {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && value.toUpperCase() === 'LE') return 'LE';
    if (typeof value === 'string' && value.toLowerCase() === 'off') return 'Off';
    throw new ApiError(400, 'InvalidAutoRenew', "autoRenew must be 'LE' or 'off'");
  }

  private parseSharing(method: unknown, shareWith: unknown): { sharingMethod: 'all' | 'none' | 'some'; shareWith: number[] } | undefined {
    if (method === undefined) return undefined;
    if (method !== 'all' && method !== 'none' && method !== 'some') {
      throw new ApiError(400, 'InvalidSharingMethod', "sharingMethod must be 'all', 'none' or 'some'");
    }
    if (method !== 'some') return { sharingMethod: method, shareWith: [] };
    if (!Array.isArray(shareWith) || !shareWith.every((x) => Number.isInteger(x))) {
      throw new ApiError(400, 'InvalidSharingMethod', "shareWith (customer ids) is required when sharingMethod is 'some'");
    }
    return { sharingMethod: method, shareWith: shareWith as number[] };
  }

  private parseIdentification(value: unknown): IdentificationInfo {
    if (!isObject(value)) throw new ApiError(400, 'InvalidIdentificationInfo', 'identificationInfo is required for a self-signed certificate');
    const { commonName, subjectAlternativeNames } = value;
    if (typeof commonName !== 'string' || commonName.trim() === '') {
      throw new ApiError(400, 'InvalidIdentificationInfo', 'identificationInfo.commonName is required');
    }
    if (!Array.isArray(subjectAlternativeNames) || !subjectAlternativeNames.every((s) => typeof s === 'string' && s.trim() !== '')) {
      throw new ApiError(400, 'InvalidIdentificationInfo', 'identificationInfo.subjectAlternativeNames must be a list of names');
    }
    const optional = (key: string): string | undefined => {
      const v = value[key];
      if (v === undefined || v === null || v === '') return undefined;
      if (typeof v !== 'string') throw new ApiError(400, 'InvalidIdentificationInfo', `identificationInfo.${key} must be a string`);
      return v;
    };
    const country = optional('country');
    if (country !== undefined && !/^[A-Za-z]{2}$/.test(country)) {
      throw new ApiError(400, 'InvalidIdentificationInfo', 'identificationInfo.country must be a two-letter code');
    }
    const out: { -readonly [K in keyof IdentificationInfo]: IdentificationInfo[K] } = {
      commonName,
      subjectAlternativeNames: subjectAlternativeNames as string[],
    };
    if (country !== undefined) out.country = country.toUpperCase();
    for (const key of ['state', 'city', 'company', 'department', 'email'] as const) {
      const v = optional(key);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  /** The identification of a version: its own, or read from its certificate. */
  private identificationOf(version: StoredVersion): IdentificationInfo {
    if (version.identificationInfo !== null) return version.identificationInfo;
    const facts = this.leafFacts(version);
    return { commonName: facts?.commonName ?? facts?.sans[0] ?? 'unknown', subjectAlternativeNames: facts?.sans ?? [] };
  }

  /** Validates `newVersion` against the latest version and builds the stored version. */
  private buildVersion(nv: Json, latest: StoredVersion | null, caOnly: boolean, number: number, ctx: RequestContext): StoredVersion {
    const onCreate = latest === null;
    const comments = typeof nv.comments === 'string' ? nv.comments : '';
    for (const field of ['certificate', 'chainCert', 'privateKey'] as const) {
      const v = nv[field];
      if (v !== undefined && typeof v !== 'string') throw new ApiError(400, 'InvalidInput', `${field} must be a string`);
      if (typeof v === 'string' && hasBareCr(v)) {
        throw new ApiError(400, 'InvalidLineBreak', `${field} contains a bare carriage return; line breaks must be \\n or \\r\\n`);
      }
    }
    const certificate = nv.certificate as string | undefined;
    const chainCert = nv.chainCert as string | undefined;
    const privateKey = nv.privateKey as string | undefined;
    const chainPem = this.readChain(chainCert);

    if (caOnly) {
      if (privateKey !== undefined) throw new ApiError(400, 'InvalidKey', 'A CA-only certificate takes no private key');
      if (chainPem === '') throw new ApiError(400, 'InvalidChain', 'chainCert is required for a CA-only certificate');
      return { version: number, type: 'uploaded', comments, creationTime: this.now(), certificatePem: null, chainPem, privateKeyPem: null, identificationInfo: null };
    }

    const generated = certificate !== undefined && certificate.trim().toUpperCase() === 'GENERATE';
    const keyword = privateKey !== undefined ? privateKey.trim().toUpperCase() : undefined;
    let keyPem: string;
    let keyFromLatest = false;
    if (keyword === 'RSA2048' || keyword === 'ECC256') {
      if (!generated) throw new ApiError(400, 'InvalidKey', `privateKey '${privateKey ?? ''}' is only allowed with certificate 'GENERATE'`);
      keyPem = generateKey(keyword);
    } else if (privateKey !== undefined) {
      const decrypted = decryptPrivateKey(privateKey, ctx.apiKey, ctx.date);
      if (decrypted === undefined) {
        throw new ApiError(400, 'InvalidKey', 'The private key could not be decrypted; encrypt it with the API key and the Date header of this request');
      }
      if (hasBareCr(decrypted)) throw new ApiError(400, 'InvalidLineBreak', 'privateKey contains a bare carriage return');
      keyPem = normaliseNewlines(decrypted);
    } else if (latest !== null && latest.privateKeyPem !== null) {
      keyPem = latest.privateKeyPem;
      keyFromLatest = true;
    } else {
      throw new ApiError(400, 'InvalidKey', 'privateKey is required');
    }
    let key;
    try {
      key = readPrivateKey(keyPem);
    } catch (error) {
      if (error instanceof SandboxPkiError) throw new ApiError(400, 'InvalidKey', `The private key is invalid: ${error.message}`);
      throw error;
    }
    const newAlgorithm = keyAlgorithm(key).algorithm;
    const latestAlgorithm = latest !== null ? this.versionAlgorithm(latest) : null;
    if (latestAlgorithm !== null && newAlgorithm !== latestAlgorithm) {
      throw new ApiError(
        400,
        'InvalidCertVersion',
        `The new version algorithm type is '${newAlgorithm}', but the latest version algorithm type is '${latestAlgorithm}'`,
      );
    }

    if (generated) {
      const identification =
        nv.identificationInfo !== undefined ? this.parseIdentification(nv.identificationInfo) : latest !== null ? this.identificationOf(latest) : this.parseIdentification(undefined);
      const certificatePem = selfSignedCertificate(key, identification, new Date(this.now()), SELF_SIGNED_DAYS);
      return {
        version: number,
        type: 'self-signed',
        comments,
        creationTime: this.now(),
        certificatePem,
        chainPem: '',
        privateKeyPem: keyPem,
        identificationInfo: identification,
      };
    }

    let leafPem: string;
    let chain = chainPem;
    let certFromLatest = false;
    if (certificate !== undefined) {
      const blocks = pemCertificates(normaliseNewlines(certificate));
      const first = blocks[0];
      if (first === undefined) throw new ApiError(400, onCreate ? 'InvalidData' : 'InvalidCert', 'certificate is not a PEM certificate');
      leafPem = first;
      // Extra blocks after the leaf belong to the chain.
      chain = blocks.slice(1).join('') + chain;
    } else if (latest !== null && latest.certificatePem !== null) {
      leafPem = latest.certificatePem;
      certFromLatest = true;
      if (privateKey === undefined && chainCert === undefined) {
        throw new ApiError(400, 'InvalidInput', 'chainCert is required when both privateKey and certificate are omitted');
      }
    } else {
      throw new ApiError(400, onCreate ? 'InvalidData' : 'InvalidCert', 'certificate is required');
    }
    let facts: CertFacts;
    try {
      facts = this.factsOf(leafPem);
    } catch (error) {
      if (error instanceof SandboxPkiError) throw new ApiError(400, onCreate ? 'InvalidData' : 'InvalidCert', error.message);
      throw error;
    }
    if (!keyMatchesCertificate(key, facts)) {
      if (keyFromLatest) throw new ApiError(400, 'InvalidCert', 'The certificate does not match the private key of the latest version');
      throw new ApiError(400, 'InvalidKey', certFromLatest ? 'The private key does not match the certificate of the latest version' : 'The private key does not match the certificate');
    }
    return {
      version: number,
      type: 'uploaded',
      comments,
      creationTime: this.now(),
      certificatePem: leafPem,
      chainPem: chain,
      privateKeyPem: keyPem,
      identificationInfo: nv.identificationInfo !== undefined ? this.parseIdentification(nv.identificationInfo) : null,
    };
  }

  private readChain(chainCert: string | undefined): string {
    if (chainCert === undefined || chainCert.trim() === '') return '';
    const blocks = pemCertificates(normaliseNewlines(chainCert));
    if (blocks.length === 0) throw new ApiError(400, 'InvalidChain', 'chainCert holds no PEM certificate');
    for (const block of blocks) {
      try {
        this.factsOf(block);
      } catch {
        throw new ApiError(400, 'InvalidChain', 'chainCert holds an invalid certificate');
      }
    }
    return blocks.join('');
  }

  /** GET /cdn/certificates/{id}/versions/{v} */
  getVersion(caller: SandboxCustomer, id: string, versionText: string): Json {
    this.advance();
    const cert = this.find(caller, id);
    const number = versionText === 'latest' ? this.latest(cert).version : /^[1-9]\d*$/.test(versionText) ? Number(versionText) : null;
    if (number === null) throw new ApiError(400, 'InvalidVersion', 'version must be a positive integer or "latest"');
    const v = cert.versions.find((x) => x.version === number);
    if (v === undefined) throw new ApiError(404, 'InvalidCertVersion', `Certificate '${id}' has no version ${number}`);
    const facts = this.leafFacts(v);
    const key = v.privateKeyPem !== null ? keyAlgorithm(readPrivateKey(v.privateKeyPem)) : facts !== null ? { algorithm: facts.algorithm, keyLength: facts.keyLength } : null;
    const isLatest = v.version === this.latest(cert).version;
    return {
      version: v.version,
      comments: v.comments,
      creationTime: iso(v.creationTime),
      ...(facts !== null
        ? {
            expirationTime: iso(facts.notAfter.getTime()),
            subject: facts.subject,
            issuer: facts.issuer,
            signatureAlgo: facts.signatureAlgo,
            serialNumber: facts.serialNumber,
            fingerprint: facts.fingerprint,
            subjectAlternativeNames: facts.sans,
          }
        : {}),
      ...(key !== null ? { algorithm: key.algorithm, keyLength: key.keyLength } : {}),
      chainCertificates: pemCertificates(v.chainPem).map((pem) => {
        const c = this.factsOf(pem);
        return { subject: c.subject, issuer: c.issuer, expirationTime: iso(c.notAfter.getTime()), signatureAlgo: c.signatureAlgo };
      }),
      inProduction: cert.production === v.version,
      inStaging: cert.staging === v.version,
      type: v.type,
      caOnly: cert.caOnly,
      deletable: isLatest && cert.versions.length > 1 && !cert.historyVersions.includes(v.version),
    };
  }

  /** DELETE /cdn/certificates/{id}/versions/{v} */
  deleteVersion(caller: SandboxCustomer, id: string, versionText: string): void {
    this.advance();
    const cert = this.owned(caller, id);
    if (!/^[1-9]\d*$/.test(versionText)) throw new ApiError(400, 'InvalidVersion', 'version must be a positive integer');
    const number = Number(versionText);
    if (!cert.versions.some((v) => v.version === number)) throw new ApiError(404, 'InvalidVersion', `Certificate '${id}' has no version ${number}`);
    if (number !== this.latest(cert).version) throw new ApiError(400, 'VersionIsNotTheLatest', `Version ${number} is not the latest version`);
    if (cert.versions.length === 1) throw new ApiError(400, 'CertificateWithOnlyOneVersion', 'The only version of a certificate cannot be deleted');
    if (cert.historyVersions.includes(number) || cert.staging === number || cert.production === number) {
      throw new ApiError(409, 'VersionUsed', `Version ${number} of certificate '${id}' is in deployment history`);
    }
    cert.versions = cert.versions.filter((v) => v.version !== number);
    cert.lastUpdateTime = this.now();
    this.changed();
  }

  /** GET /cdn/certificates/{id}/csr */
  getCsr(caller: SandboxCustomer, id: string, query: Query): Json {
    this.advance();
    const cert = this.owned(caller, id);
    if (cert.caOnly) throw new ApiError(400, 'InvalidCertType', 'A CA-only certificate has no CSR');
    if (query.dcv !== undefined && query.dcv !== 'sectigo') throw new ApiError(400, 'InvalidInput', "dcv must be 'sectigo'");
    const latest = this.latest(cert);
    if (latest.privateKeyPem === null) throw new ApiError(400, 'InvalidCertType', 'The latest version has no private key');
    const cacheKey = `${cert.certificateId}/${latest.version}`;
    let csr = this.csrCache.get(cacheKey);
    if (csr === undefined) {
      csr = certificateRequest(readPrivateKey(latest.privateKeyPem), this.identificationOf(latest));
      this.csrCache.set(cacheKey, csr);
    }
    return {
      certificateId: cert.certificateId,
      csr,
      latestVersion: latest.version,
      ownerCustomerId: cert.ownerCustomerId,
      ...(query.dcv === 'sectigo'
        ? { dcvFile: { uri: `/.well-known/pki-validation/${randomBytes(16).toString('hex').toUpperCase()}.txt`, expirationTime: iso(this.now() + 30 * 86_400_000) } }
        : {}),
    };
  }

  /** DELETE /cdn/certificates/{id} */
  deleteCertificate(caller: SandboxCustomer, id: string): void {
    this.advance();
    const cert = this.owned(caller, id);
    const busy = this.data.tasks.some((t) => this.inFlight(t) && t.actions.some((a) => a.certificateId === id));
    if (cert.staging !== null || cert.production !== null || busy) {
      const where = [cert.staging !== null ? 'staging' : null, cert.production !== null ? 'production' : null].filter((x) => x !== null);
      throw new ApiError(
        409,
        'CertificateInUse',
        busy ? `Certificate '${id}' has a deployment task in progress` : `Certificate '${id}' is deployed in ${where.join(' and ')}; undeploy it first`,
      );
    }
    this.data.certificates = this.data.certificates.filter((c) => c !== cert);
    this.changed();
  }

  // ---- deployment tasks -----------------------------------------------------------------

  /** POST /cdn/deploymentTasks → the task id. */
  createTask(caller: SandboxCustomer, body: unknown, ctx: RequestContext): string {
    this.advance();
    if (!isObject(body)) throw new ApiError(400, 'InvalidInput', 'The request body must be a JSON object');
    const target = body.target;
    if (target !== 'staging' && target !== 'production') {
      throw new ApiError(400, 'InvalidDeploymentTarget', "target must be 'staging' or 'production'");
    }
    if (body.name !== undefined && typeof body.name !== 'string') throw new ApiError(400, 'InvalidInput', 'name must be a string');
    if (!Array.isArray(body.actions) || body.actions.length === 0) throw new ApiError(400, 'InvalidAction', 'actions must be a non-empty list');
    const actions: StoredAction[] = [];
    const seen = new Set<string>();
    for (const raw of body.actions as unknown[]) {
      if (!isObject(raw)) throw new ApiError(400, 'InvalidAction', 'each action must be an object');
      const kind = raw.action;
      if (kind === 'deploy_property' || kind === 'remove_property') {
        throw new ApiError(400, 'InvalidPropertyId', `Property '${String(raw.propertyId ?? '')}' does not exist`);
      }
      if (kind !== 'deploy_cert' && kind !== 'remove_cert') throw new ApiError(400, 'InvalidAction', `Unknown action '${String(kind)}'`);
      if (typeof raw.certificateId !== 'string' || raw.certificateId === '') {
        throw new ApiError(400, 'InvalidCertificateId', `certificateId is required for action ${kind}`);
      }
      const certId = raw.certificateId;
      const cert = this.data.certificates.find((c) => c.certificateId === certId);
      if (cert === undefined || !this.visible(caller, cert)) throw new ApiError(400, 'InvalidCertificateId', `Certificate '${certId}' does not exist`);
      if (cert.ownerCustomerId !== caller.id) throw new ApiError(403, 'AccessDenied', `You are not the owner of certificate '${certId}'`);
      if (seen.has(certId)) throw new ApiError(400, 'InvalidAction', `Certificate '${certId}' appears twice in the task`);
      seen.add(certId);
      if (kind === 'deploy_cert') {
        const v = raw.version;
        if (typeof v !== 'string' || !/^[1-9]\d*$/.test(v)) {
          throw new ApiError(400, 'InvalidCertificateVersion', 'version must be a string holding a positive integer');
        }
        const version = cert.versions.find((x) => x.version === Number(v));
        if (version === undefined) throw new ApiError(400, 'InvalidCertificateVersion', `Certificate '${certId}' has no version ${v}`);
        const facts = this.leafFacts(version);
        if (facts !== null && facts.notAfter.getTime() <= this.now()) {
          throw new ApiError(409, 'CertificateExpired', `Version ${v} of certificate '${certId}' has expired`);
        }
        actions.push({ action: kind, certificateId: certId, version: v });
      } else {
        actions.push({ action: kind, certificateId: certId, ...(typeof raw.version === 'string' ? { version: raw.version } : {}) });
      }
      const busy = this.data.tasks.some((t) => this.inFlight(t) && t.target === target && t.actions.some((a) => a.certificateId === certId));
      if (busy) {
        throw new ApiError(400, 'DuplicateDeployment', `A version of certificate '${cert.name}' is already being deployed in the '${target}' environment`);
      }
    }
    const now = this.now();
    const failure = this.options.nextTaskFailure?.();
    const task: StoredTask = {
      id: randomUUID(),
      name: typeof body.name === 'string' ? body.name : '',
      target,
      actions,
      customerId: caller.id,
      apiAccountId: ctx.user,
      apiRequestId: ctx.requestId,
      submissionTime: now,
      startTime: now + this.waitingMs,
      finishTime: now + this.durationMs,
      outcome: failure === undefined ? 'succeeded' : 'failed',
      failureDetails: failure ?? null,
      applied: false,
    };
    for (const a of actions) {
      const cert = this.data.certificates.find((c) => c.certificateId === a.certificateId);
      if (cert !== undefined && a.version !== undefined && !cert.historyVersions.includes(Number(a.version))) cert.historyVersions.push(Number(a.version));
    }
    this.data.tasks.push(task);
    this.changed();
    // A zero-duration task finishes at once.
    this.advance();
    return task.id;
  }

  private statusDetails(task: StoredTask): string {
    switch (this.taskStatus(task)) {
      case 'waiting':
        return 'Task is waiting to be processed';
      case 'inprogress':
        return 'Task is in progress';
      case 'succeeded':
        return 'Task has successfully finished';
      case 'failed':
        return task.failureDetails ?? 'Task failed';
    }
  }

  private findTask(caller: SandboxCustomer, id: string): StoredTask {
    const task = this.data.tasks.find((t) => t.id === id);
    if (task === undefined) throw new ApiError(404, 'InvalidDeploymentTaskId', `Deployment task '${id}' does not exist`);
    if (task.customerId !== caller.id) throw new ApiError(403, 'AccessDenied', `You are not allowed to see deployment task '${id}'`);
    return task;
  }

  /** GET /cdn/deploymentTasks/{id} */
  getTask(caller: SandboxCustomer, id: string): Json {
    this.advance();
    const task = this.findTask(caller, id);
    const status = this.taskStatus(task);
    return {
      name: task.name,
      submissionTime: iso(task.submissionTime),
      ...(status === 'succeeded' || status === 'failed' ? { finishTime: iso(task.finishTime) } : {}),
      target: task.target,
      status,
      statusDetails: this.statusDetails(task),
      actions: task.actions,
      apiRequestId: task.apiRequestId,
      apiAccountId: task.apiAccountId,
      customerId: task.customerId,
    };
  }

  /** GET /cdn/deploymentTasks */
  listTasks(caller: SandboxCustomer, query: Query): Json {
    this.advance();
    const { offset, limit } = listLimit(query, 100);
    if (query.target !== undefined && query.target !== '' && query.target !== 'staging' && query.target !== 'production') {
      throw new ApiError(400, 'InvalidTarget', "target must be 'staging' or 'production'");
    }
    if (query.status !== undefined && !['waiting', 'inprogress', 'failed', 'succeeded'].includes(query.status)) {
      throw new ApiError(400, 'InvalidStatus', 'status must be waiting, inprogress, failed or succeeded');
    }
    const dateFilter = (text: string | undefined, code: string): number | undefined => {
      if (text === undefined) return undefined;
      if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(text)) throw new ApiError(400, code, `${code === 'InvalidStartDate' ? 'startdate' : 'enddate'} must look like 2024-01-31T00:00:00Z`);
      return Date.parse(text);
    };
    const start = dateFilter(query.startdate, 'InvalidStartDate');
    const end = dateFilter(query.enddate, 'InvalidEndDate');
    const sortBy = query.sortBy ?? 'finishTime';
    if (sortBy !== 'submissionTime' && sortBy !== 'finishTime') throw new ApiError(400, 'InvalidSortBy', 'sortBy must be submissionTime or finishTime');
    const order = sortOrder(query);
    const ids = query.taskIds !== undefined ? new Set(query.taskIds.split(',').map((s) => s.trim())) : undefined;
    const search = (query.search ?? '').toLowerCase();
    const rows = this.data.tasks
      .filter((t) => t.customerId === caller.id)
      .filter((t) => query.certificateId === undefined || t.actions.some((a) => a.certificateId === query.certificateId))
      .filter(() => query.propertyId === undefined)
      .filter((t) => query.target === undefined || query.target === '' || t.target === query.target)
      .filter((t) => query.status === undefined || this.taskStatus(t) === query.status)
      .filter((t) => ids === undefined || ids.has(t.id))
      .filter((t) => search === '' || t.name.toLowerCase().includes(search))
      .filter((t) => start === undefined || t.submissionTime >= start)
      .filter((t) => end === undefined || t.submissionTime <= end);
    // Unfinished tasks have no finish time; they sort as the newest.
    const key = (t: StoredTask): number => (sortBy === 'submissionTime' ? t.submissionTime : this.inFlight(t) ? Number.MAX_SAFE_INTEGER : t.finishTime);
    rows.sort((a, b) => (key(a) - key(b)) * order || (a.submissionTime - b.submissionTime) * order);
    return {
      count: rows.length,
      deploy: rows.slice(offset, offset + limit).map((t) => {
        const status = this.taskStatus(t);
        return {
          id: t.id,
          name: t.name,
          submissionTime: iso(t.submissionTime),
          ...(status === 'succeeded' || status === 'failed' ? { finishTime: iso(t.finishTime) } : {}),
          status,
          target: t.target,
          apiRequestId: t.apiRequestId,
          customerId: t.customerId,
        };
      }),
    };
  }

  /** Seeds a certificate owned by `owner`, with a self-signed first version (for owner checks). */
  seedCertificate(owner: SandboxCustomer, name: string, sharing: { sharingMethod: 'all' | 'some'; shareWith: number[] }, commonName: string): string {
    const keyPem = generateKey('ECC256');
    const identification: IdentificationInfo = { commonName, subjectAlternativeNames: [commonName] };
    const now = this.now();
    const cert: StoredCertificate = {
      certificateId: randomBytes(12).toString('hex'),
      name,
      description: 'Seeded by the sandbox: owned by another customer and shared with you (read-only)',
      ownerCustomerId: owner.id,
      caOnly: false,
      autoRenew: 'Off',
      forceRenew: false,
      ...sharing,
      creationTime: now,
      lastUpdateTime: now,
      versions: [
        {
          version: 1,
          type: 'self-signed',
          comments: 'seeded',
          creationTime: now,
          certificatePem: selfSignedCertificate(readPrivateKey(keyPem), identification, new Date(now), 365),
          chainPem: '',
          privateKeyPem: keyPem,
          identificationInfo: identification,
        },
      ],
      staging: null,
      production: null,
      historyVersions: [],
    };
    this.data.certificates.push(cert);
    this.changed();
    return cert.certificateId;
  }

  /** The environments a certificate's versions are deployed in (for tests and the control API). */
  pointers(id: string): { staging: number | null; production: number | null } | undefined {
    this.advance();
    const cert = this.data.certificates.find((c) => c.certificateId === id);
    return cert === undefined ? undefined : { staging: cert.staging, production: cert.production };
  }
}

/** The two deployment environments. */
export const SANDBOX_ENVIRONMENTS = ENVIRONMENTS;
