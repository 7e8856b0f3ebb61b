/**
 * The CDN Pro (formerly CDN360) certificate and deployment client (providers.md §1).
 *
 * Every request is signed with one `Date` string from the injected clock; an uploaded private
 * key is encrypted with the same string. A 401 is retried once with a fresh Date. Ids come from
 * the `Location` header of 201 answers (their bodies are empty).
 *
 * There are no idempotency keys in this API, so the non-idempotent calls reconcile instead of
 * retrying blindly: when the answer to "create certificate", "create version" or "start
 * deployment" is lost (timeout, dropped connection) or is a 5xx, the client looks at the
 * provider's state (certificate by name; latest version and fingerprint; tasks by certificate
 * and target, recognised by the task name Certdesk gave them) and only sends the request again
 * when it can see the first one did not take effect and the failure was below HTTP. A lost
 * answer never produces a second version or task.
 */
import { createHash, randomBytes } from 'node:crypto';
import { CertdeskError, isCertdeskError } from '../../../shared/errors.js';
import { hasCode, providerHttp, submitReconciled, unconfirmedBy, type ProviderClientOptions } from '../client-base.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../http.js';
import { CDNPRO_RATE_LIMIT, type Clock, type RateLimitOptions, type Sleep } from '../rate-limiter.js';
import {
  isSelfSignedMaterial,
  type CertificateDetail,
  type CertificateSummary,
  type ConnectionCheck,
  type CreateCertificateInput,
  type CreateVersionInput,
  type Identification,
  type ProviderCapabilities,
  type ProviderClient,
  type ProviderCsr,
  type ProviderTask,
  type SelfSignedMaterial,
  type StartDeploymentInput,
  type VersionDetail,
  type VersionSummary,
} from '../types.js';
import { authHeaders, encryptPrivateKey, httpDate } from './auth.js';
import {
  CDNPRO_ENVIRONMENTS,
  idFromLocation,
  parseCertificateDetail,
  parseCertificateList,
  parseCsr,
  parseTask,
  parseTaskList,
  parseVersionDetail,
} from './parse.js';

/** The production API host. */
export const CDNPRO_DEFAULT_BASE_URL = 'https://ngapi.cdnetworks.com';

/** What CDN Pro can do. */
export const CDNPRO_CAPABILITIES: ProviderCapabilities = {
  versions: true,
  environments: CDNPRO_ENVIRONMENTS,
  asyncTasks: true,
  serverSideCsr: true,
  autoRenew: true,
  keyUpload: true,
  deleteVersion: true,
  sameKeyAlgorithm: true,
};

/** One CDN Pro API account. */
export interface CdnProAccount {
  /** e.g. https://ngapi.cdnetworks.com (or the sandbox's http://127.0.0.1:PORT). */
  readonly baseUrl: string;
  readonly user: string;
  /** The API key; held in memory only. */
  readonly apiKey: string;
  /** Reseller: act for this child customer (`On-Behalf-Of`). */
  readonly onBehalfOf?: string;
  /** Accounts of one customer share the provider's limit: give them the same key. Default: endpoint + user. */
  readonly rateLimitKey?: string;
  readonly rateLimit?: RateLimitOptions;
}

/** Injectable behaviour, for tests and tuning. */
export interface CdnProClientOptions extends ProviderClientOptions {
  /** Page size for list calls (1–200); default 200, the API's maximum. */
  readonly pageSize?: number;
}

const PAGE_LIMIT = 200;
const MAX_PAGES = 500;

/** Normalises line breaks: CDN Pro rejects a bare CR (`InvalidLineBreak`). */
export function normaliseLineBreaks(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** Splits PEM text into certificate blocks (each ending in a newline). */
export function certificateBlocks(pem: string): string[] {
  return [...normaliseLineBreaks(pem).matchAll(CERT_BLOCK)].map((m) => `${m[0]}\n`);
}

/** SHA-256 and SHA-1 (lowercase hex) of the first certificate in `pem`, or null. */
export function leafFingerprints(pem: string): { sha256: string; sha1: string } | null {
  const first = certificateBlocks(pem)[0];
  if (first === undefined) return null;
  const b64 = first.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  const der = Buffer.from(b64, 'base64');
  if (der.length === 0) return null;
  return {
    sha256: createHash('sha256').update(der).digest('hex'),
    sha1: createHash('sha1').update(der).digest('hex'),
  };
}

function fingerprintMatches(version: VersionSummary, fp: { sha256: string; sha1: string }): boolean {
  if (version.fingerprint === null) return false;
  if (version.fingerprintAlgorithm === 'sha256') return version.fingerprint === fp.sha256;
  if (version.fingerprintAlgorithm === 'sha1') return version.fingerprint === fp.sha1;
  return false;
}

function identificationInfo(id: Identification): Record<string, unknown> {
  return {
    commonName: id.commonName,
    subjectAlternativeNames: [...id.sans],
    ...(id.country !== undefined ? { country: id.country } : {}),
    ...(id.state !== undefined ? { state: id.state } : {}),
    ...(id.city !== undefined ? { city: id.city } : {}),
    ...(id.company !== undefined ? { company: id.company } : {}),
    ...(id.department !== undefined ? { department: id.department } : {}),
    ...(id.email !== undefined ? { email: id.email } : {}),
  };
}

function hasProviderCode(error: unknown, code: string): boolean {
  return isCertdeskError(error) && typeof error.details.providerCode === 'string' && error.details.providerCode.toLowerCase() === code.toLowerCase();
}

/** Rethrows `error` saying that the outcome could not be confirmed. */
const unconfirmed = unconfirmedBy('checking', 'look at the certificate');

/** The CDN Pro client. */
export class CdnProClient implements ProviderClient {
  readonly provider = 'cdnpro' as const;
  readonly capabilities = CDNPRO_CAPABILITIES;
  private readonly http: HttpClient;
  private readonly clock: Clock;
  private readonly sleep: Sleep;

  constructor(
    private readonly account: CdnProAccount,
    private readonly options: CdnProClientOptions = {},
  ) {
    ({ http: this.http, clock: this.clock, sleep: this.sleep } = providerHttp(
      {
        provider: 'cdnpro',
        providerLabel: 'CDN Pro',
        baseUrl: account.baseUrl,
        requestIdHeaders: ['qtl-request-id', 'x-cnc-request-id', 'x-request-id'],
        rateLimitKey: account.rateLimitKey ?? `cdnpro:${account.baseUrl}:${account.user}`,
        rateLimit: account.rateLimit ?? CDNPRO_RATE_LIMIT,
      },
      options,
    ));
  }

  // ---- plumbing -------------------------------------------------------------------------

  /** Signs one attempt: a fresh Date from the clock, used for the password and any key in the body. */
  private prepare(method: HttpMethod, buildBody?: (date: string) => unknown): (attempt: number) => { headers: Record<string, string>; body?: string } {
    return () => {
      const date = httpDate(this.clock.now());
      const headers: Record<string, string> = {
        Accept: 'application/json',
        ...authHeaders(this.account, date),
      };
      if (method === 'GET') headers['Cache-Control'] = 'no-cache';
      if (this.account.onBehalfOf !== undefined) headers['On-Behalf-Of'] = this.account.onBehalfOf;
      if (buildBody === undefined) return { headers };
      headers['Content-Type'] = 'application/json';
      return { headers, body: JSON.stringify(buildBody(date)) };
    };
  }

  private call(
    method: HttpMethod,
    path: string,
    extra: {
      query?: Record<string, string | number | boolean | undefined>;
      body?: (date: string) => unknown;
      operation: string;
      certificateId?: string;
    },
  ): Promise<HttpResponse> {
    return this.http.request({
      method,
      path,
      ...(extra.query !== undefined ? { query: extra.query } : {}),
      prepare: this.prepare(method, extra.body),
      retryUnauthorizedOnce: true,
      operation: extra.operation,
      ...(extra.certificateId !== undefined ? { certificateId: extra.certificateId } : {}),
    });
  }

  private async getJson(path: string, operation: string, query?: Record<string, string | number | boolean | undefined>, certificateId?: string): Promise<unknown> {
    const response = await this.call('GET', path, {
      operation,
      ...(query !== undefined ? { query } : {}),
      ...(certificateId !== undefined ? { certificateId } : {}),
    });
    return response.json();
  }

  private pageSize(): number {
    return Math.min(PAGE_LIMIT, Math.max(1, Math.floor(this.options.pageSize ?? PAGE_LIMIT)));
  }

  private certPath(id: string): string {
    return `/cdn/certificates/${encodeURIComponent(id)}`;
  }

  // ---- reads ----------------------------------------------------------------------------

  /** Every certificate visible to the account (pages of 200 until `count` is reached). */
  async listCertificates(options: { readonly search?: string } = {}): Promise<CertificateSummary[]> {
    const seen = new Map<string, CertificateSummary>();
    const pageSize = this.pageSize();
    for (let page = 0, offset = 0; page < MAX_PAGES; page += 1) {
      const json = await this.getJson('/cdn/certificates', 'list certificates', {
        offset,
        limit: pageSize,
        ...(options.search !== undefined ? { search: options.search } : {}),
      });
      const { count, certificates } = parseCertificateList(json);
      for (const c of certificates) if (!seen.has(c.id)) seen.set(c.id, c);
      offset += certificates.length;
      if (certificates.length === 0 || (count !== null && offset >= count) || (count === null && certificates.length < pageSize)) break;
    }
    return [...seen.values()];
  }

  /** One certificate with versions, pointers, owner and usage. */
  async getCertificate(id: string): Promise<CertificateDetail> {
    const json = await this.getJson(this.certPath(id), `read certificate ${id}`, undefined, id);
    return parseCertificateDetail(json, id);
  }

  /** Details of version `version`. */
  async getVersion(id: string, version: number): Promise<VersionDetail> {
    const json = await this.getJson(`${this.certPath(id)}/versions/${version}`, `read version ${version} of certificate ${id}`, undefined, id);
    return parseVersionDetail(json, version);
  }

  /** The CSR of the latest version. */
  async getCsr(id: string): Promise<ProviderCsr> {
    const json = await this.getJson(`${this.certPath(id)}/csr`, `download the CSR of certificate ${id}`, undefined, id);
    return parseCsr(json, id);
  }

  /** One deployment task. */
  async getTask(taskId: string): Promise<ProviderTask> {
    const json = await this.getJson(`/cdn/deploymentTasks/${encodeURIComponent(taskId)}`, `read deployment task ${taskId}`);
    return parseTask(json, taskId);
  }

  /** The deployment history of a certificate, newest first (all pages). */
  async listTasks(options: { readonly certificateId: string; readonly env?: string }): Promise<ProviderTask[]> {
    const tasks = new Map<string, ProviderTask>();
    const pageSize = this.pageSize();
    for (let page = 0, offset = 0; page < MAX_PAGES; page += 1) {
      const { count, tasks: batch } = await this.taskPage(options.certificateId, options.env, offset, pageSize);
      for (const t of batch) if (!tasks.has(t.id)) tasks.set(t.id, t);
      offset += batch.length;
      if (batch.length === 0 || (count !== null && offset >= count) || (count === null && batch.length < pageSize)) break;
    }
    return [...tasks.values()].sort((a, b) => (b.submittedAt ?? '').localeCompare(a.submittedAt ?? ''));
  }

  private async taskPage(certificateId: string, env: string | undefined, offset: number, limit: number): Promise<{ count: number | null; tasks: ProviderTask[] }> {
    const json = await this.getJson('/cdn/deploymentTasks', `list the deployment tasks of certificate ${certificateId}`, {
      certificateId,
      ...(env !== undefined ? { target: env } : {}),
      sortBy: 'submissionTime',
      sortOrder: 'desc',
      offset,
      limit,
    });
    return parseTaskList(json);
  }

  /** Checks endpoint and credentials with the cheapest authenticated read. */
  async testConnection(): Promise<ConnectionCheck> {
    const json = await this.getJson('/cdn/certificates', 'test the connection', { offset: 0, limit: 1 });
    const { count } = parseCertificateList(json);
    return {
      ok: true,
      message: count !== null ? `Connected to CDN Pro as ${this.account.user}; ${count} certificate(s) visible` : `Connected to CDN Pro as ${this.account.user}`,
      certificateCount: count,
    };
  }

  // ---- writes that are safe to repeat -------------------------------------------------

  /** Deletes a certificate (204). */
  async deleteCertificate(id: string): Promise<void> {
    await this.call('DELETE', this.certPath(id), { operation: `delete certificate ${id}`, certificateId: id });
  }

  /** Deletes the latest, never-deployed version (204). */
  async deleteVersion(id: string, version: number): Promise<void> {
    await this.call('DELETE', `${this.certPath(id)}/versions/${version}`, {
      operation: `delete version ${version} of certificate ${id}`,
      certificateId: id,
    });
  }

  /** Sets `autoRenew` to "LE" or "off". */
  async setAutoRenew(id: string, enabled: boolean): Promise<void> {
    await this.call('PATCH', this.certPath(id), {
      operation: `turn auto-renewal ${enabled ? 'on' : 'off'} for certificate ${id}`,
      certificateId: id,
      body: () => ({ autoRenew: enabled ? 'LE' : 'off' }),
    });
  }

  /** Sets `forceRenew` so CDN Pro renews as soon as possible. */
  async forceRenew(id: string): Promise<void> {
    await this.call('PATCH', this.certPath(id), {
      operation: `force renewal of certificate ${id}`,
      certificateId: id,
      body: () => ({ forceRenew: true }),
    });
  }

  // ---- non-idempotent writes, reconciled ------------------------------------------------

  /**
   * Sends a non-idempotent request, reconciled (see `submitReconciled` in client-base): a
   * conflict found by the check stands, and a retry refused because the first request did land
   * (`onRetryError`, e.g. DuplicateName) is looked up.
   */
  private submitReconciled<T>(
    what: string,
    send: () => Promise<T>,
    reconcile: () => Promise<T | undefined>,
    onRetryError?: (error: unknown) => boolean,
  ): Promise<T> {
    return submitReconciled(
      { sleep: this.sleep, options: this.options, unconfirmed },
      {
        what,
        send,
        reconcile,
        checkStands: (error) => hasCode(error, 'PROVIDER_CONFLICT'),
        ...(onRetryError !== undefined
          ? { afterRetryError: (error: unknown) => (onRetryError(error) ? reconcile().catch(() => undefined) : Promise.resolve(undefined)) }
          : {}),
      },
    );
  }

  /** Creates a certificate and its first version; returns its id (from `Location`). */
  async createCertificate(input: CreateCertificateInput): Promise<string> {
    const name = input.name.trim();
    if (name === '') throw new CertdeskError('INVALID_ARGUMENT', 'A certificate needs a name');
    const operation = `create certificate "${name}"`;
    const sentAt = this.clock.now();
    const reconcile = async (): Promise<string | undefined> => {
      const found = await this.findByName(name);
      if (found === undefined) return undefined;
      // A same-named certificate created long before this request is someone else's, not ours.
      if (found.createdAt !== null && Date.parse(found.createdAt) < sentAt - 600_000) {
        throw new CertdeskError('PROVIDER_CONFLICT', `A certificate named "${name}" already existed on CDN Pro (id ${found.id})`, {
          provider: 'cdnpro',
          providerCode: 'DuplicateName',
        });
      }
      return found.id;
    };
    return this.submitReconciled(
      `certificate "${name}" was created`,
      async () => {
        const response = await this.call('POST', '/cdn/certificates', {
          operation,
          body: (date) => ({
            name,
            ...(input.description !== undefined ? { description: input.description } : {}),
            ...(input.autoRenew !== undefined ? { autoRenew: input.autoRenew ? 'LE' : 'off' } : {}),
            newVersion: this.newVersionBody(input.material, input.comment, date),
          }),
        });
        const id = idFromLocation(response.headers.get('location'));
        if (id !== null) return id;
        // 201 without Location: the certificate exists; find it by its unique name.
        const found = await reconcile();
        if (found !== undefined) return found;
        throw new CertdeskError('PROVIDER_ERROR', `CDN Pro accepted ${operation} but sent no Location header${response.requestId !== undefined ? ` (request id ${response.requestId})` : ''}`, {
          provider: 'cdnpro',
          httpStatus: response.status,
          ...(response.requestId !== undefined ? { requestId: response.requestId } : {}),
        });
      },
      reconcile,
      (error) => hasProviderCode(error, 'DuplicateName'),
    );
  }

  /** The certificate named exactly `name` (names are unique per customer), if any. */
  async findByName(name: string): Promise<CertificateSummary | undefined> {
    const matches = await this.listCertificates({ search: name });
    return matches.find((c) => c.name === name);
  }

  /** Creates a new version; returns its number (from `Location`). See the class comment on reconciliation. */
  async createVersion(id: string, input: CreateVersionInput): Promise<number> {
    const operation = `create a new version of certificate ${id}`;
    const before = await this.getCertificate(id);
    const beforeLatest = before.latestVersion ?? Math.max(0, ...before.versions.map((v) => v.version));
    const selfSigned = isSelfSignedMaterial(input);
    const fp = !selfSigned && input.certificatePem !== undefined ? leafFingerprints(input.certificatePem) : null;
    const comment = input.comment;

    const reconcile = async (): Promise<number | undefined> => {
      const after = await this.getCertificate(id);
      const newer = after.versions.filter((v) => v.version > beforeLatest);
      if (newer.length === 0) return undefined;
      if (fp !== null) {
        const match = newer.find((v) => fingerprintMatches(v, fp));
        if (match !== undefined) return match.version;
        // New versions we can compare, none ours: ours was not created.
        if (newer.every((v) => v.fingerprintAlgorithm !== 'unknown')) return undefined;
      } else {
        const candidates = comment !== undefined ? newer.filter((v) => v.comment === comment) : newer;
        if (candidates.length === 1 && candidates[0] !== undefined) return candidates[0].version;
      }
      throw new CertdeskError(
        'PROVIDER_CONFLICT',
        `Certificate ${id} has new version(s) ${newer.map((v) => v.version).join(', ')} that Certdesk cannot tell apart from the one it was creating`,
        { provider: 'cdnpro', certificateId: id },
      );
    };

    return this.submitReconciled(`a new version of certificate ${id} was created`, async () => {
      const response = await this.call('PATCH', this.certPath(id), {
        operation,
        certificateId: id,
        body: (date) => ({ newVersion: this.newVersionBody(input, comment, date) }),
      });
      const fromLocation = idFromLocation(response.headers.get('location'));
      const version = fromLocation !== null && /^\d+$/.test(fromLocation) ? Number(fromLocation) : undefined;
      if (version !== undefined) return version;
      const found = await reconcile();
      if (found !== undefined) return found;
      throw new CertdeskError('PROVIDER_ERROR', `CDN Pro answered ${operation} without saying which version it created`, {
        provider: 'cdnpro',
        httpStatus: response.status,
      });
    }, reconcile);
  }

  /** The `newVersion` object: uploaded material (key encrypted with `date`) or a self-signed request. */
  private newVersionBody(material: CreateVersionInput | CreateCertificateInput['material'], comment: string | undefined, date: string): Record<string, unknown> {
    const body: Record<string, unknown> = {};
    if (comment !== undefined) body.comments = comment;
    if (isSelfSignedMaterial(material)) {
      const { keyAlgorithm, identification } = (material as SelfSignedMaterial).selfSigned;
      body.privateKey = keyAlgorithm;
      body.certificate = 'GENERATE';
      body.identificationInfo = identificationInfo(identification);
      return body;
    }
    const uploaded = material as { certificatePem?: string; chainPem?: string; privateKeyPem?: string };
    const chain: string[] = [];
    if (uploaded.certificatePem !== undefined) {
      const blocks = certificateBlocks(uploaded.certificatePem);
      // A full-chain file: the first block is the leaf, the rest go to the chain.
      body.certificate = blocks[0] ?? normaliseLineBreaks(uploaded.certificatePem);
      chain.push(...blocks.slice(1));
    }
    if (uploaded.chainPem !== undefined) {
      const blocks = certificateBlocks(uploaded.chainPem);
      chain.push(...(blocks.length > 0 ? blocks : [normaliseLineBreaks(uploaded.chainPem)]));
    }
    if (chain.length > 0) body.chainCert = chain.join('');
    if (uploaded.privateKeyPem !== undefined) {
      body.privateKey = encryptPrivateKey(normaliseLineBreaks(uploaded.privateKeyPem), this.account.apiKey, date);
    }
    return body;
  }

  /** Starts a deploy (`deploy_cert`) or undeploy (`remove_cert`) task; returns its id (from `Location`). */
  async startDeployment(input: StartDeploymentInput): Promise<string> {
    const env = input.env;
    if (!(CDNPRO_ENVIRONMENTS as readonly string[]).includes(env)) {
      throw new CertdeskError('INVALID_ARGUMENT', `CDN Pro has no environment "${env}"; use staging or production`);
    }
    if (input.action === 'deploy' && (input.version === undefined || !Number.isInteger(input.version) || input.version < 1)) {
      throw new CertdeskError('INVALID_ARGUMENT', 'Deploying needs a version number (1 or more)');
    }
    const marker = `certdesk-${input.action}-${randomBytes(6).toString('hex')}`;
    const action = {
      action: input.action === 'deploy' ? 'deploy_cert' : 'remove_cert',
      certificateId: input.certificateId,
      ...(input.version !== undefined ? { version: String(input.version) } : {}),
    };
    const operation =
      input.action === 'deploy'
        ? `deploy version ${input.version ?? '?'} of certificate ${input.certificateId} to ${env}`
        : `undeploy certificate ${input.certificateId} from ${env}`;
    const sentAfter = this.clock.now();
    const reconcile = (): Promise<string | undefined> => this.findSubmittedTask(input, marker, sentAfter);
    return this.submitReconciled(
      `the ${input.action} task was started`,
      async () => {
        const response = await this.call('POST', '/cdn/deploymentTasks', {
          operation,
          certificateId: input.certificateId,
          body: () => ({ name: marker, target: env, actions: [action] }),
        });
        const id = idFromLocation(response.headers.get('location'));
        if (id !== null) return id;
        const found = await reconcile();
        if (found !== undefined) return found;
        throw new CertdeskError('PROVIDER_ERROR', `CDN Pro accepted the request to ${operation} but sent no Location header`, {
          provider: 'cdnpro',
          httpStatus: response.status,
        });
      },
      reconcile,
      (error) => hasProviderCode(error, 'DuplicateDeployment'),
    );
  }

  /**
   * Finds the task a lost POST created: by its unique name among the certificate's tasks for
   * the target; if the provider does not echo names, by matching actions among tasks submitted
   * since the request was sent.
   */
  private async findSubmittedTask(input: StartDeploymentInput, marker: string, sentAfter: number): Promise<string | undefined> {
    const { tasks } = await this.taskPage(input.certificateId, input.env, 0, 50);
    const byName = tasks.find((t) => t.name === marker);
    if (byName !== undefined) return byName.id;
    // A task with another non-empty name is not ours. If the provider drops or blanks names,
    // compare the submitted actions of recent unnamed tasks (allowing 5 min of clock skew).
    const recent = tasks
      .filter((t) => t.name === null || t.name === '')
      .filter((t) => t.submittedAt === null || Date.parse(t.submittedAt) >= sentAfter - 300_000)
      .slice(0, 5);
    const wanted = input.action;
    for (const t of recent) {
      const detail = await this.getTask(t.id);
      if (detail.name === marker) return detail.id;
      const a = detail.actions[0];
      if (
        detail.actions.length === 1 &&
        a !== undefined &&
        a.action === wanted &&
        a.certificateId === input.certificateId &&
        (wanted === 'undeploy' || a.version === input.version)
      ) {
        return detail.id;
      }
    }
    return undefined;
  }
}

/** Builds a CDN Pro client for one account. */
export function createCdnProClient(account: CdnProAccount, options: CdnProClientOptions = {}): CdnProClient {
  return new CdnProClient(account, options);
}
