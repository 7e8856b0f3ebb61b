/**
 * The Gcore web security (DDoS protection) client: the custom certificate of a protected
 * resource (providers.md §3.2).
 *
 * How Certdesk's model maps onto it:
 * - A "certificate" is a protected resource (id = the resource id): its certificate is a field
 *   pair of the resource (`service_ssl_crt` / `service_ssl_key`), one mutable slot with no
 *   history (`versions: false`; Certdesk keeps the versions locally). Resources themselves
 *   are created and deleted in the Gcore portal, not here.
 * - Its one environment, "production", is that slot. "Deploy version N" = read the resource
 *   (`GET {base}/resources/{id}`), then write the FULL object back (`PUT {base}/resources/{id}`)
 *   unchanged except `service_ssl_crt` (leaf → intermediate → root, ending in a newline),
 *   `service_ssl_key` (PEM `BEGIN PRIVATE KEY`; PKCS#1/SEC1 keys are converted) and
 *   `ssl_type: "custom"`, exactly as Gcore's FAQ does it. "Undeploy" writes the object back
 *   with `ssl_type: null` (SSL "None") and without the two fields [I: the None mode's API value].
 * - Tasks come back finished (`asyncTasks: false`) and live in memory.
 * - Expiry comes from `service_ssl_expire` (unix seconds). Gcore does not warn before a custom
 *   certificate expires, so Certdesk's own expiry checks are the only warning.
 *
 * The base URL is per account (the docs leave `{base_ddos}` open). The GET answer may wrap the
 * resource as `{resource: {…}}` (the FAQ's example) or be the bare object (the EdgeCenter SDK
 * with the same fields); both are read, and the PUT always sends the bare object. The SDK's
 * paths carry a `/v2` prefix: when the base URL does not end in `/v2` and `{base}/resources…`
 * is not there (404), `{base}/v2/resources…` is tried and remembered. Auth is
 * `Authorization: Bearer <token>`. The PUT is a full replacement and safe to retry. The key
 * read back from or sent to Gcore is never logged, returned or put in an error.
 */
import { CertdeskError } from '../../../shared/errors.js';
import { unsupportedOperation } from '../errors.js';
import { RefusedWrite, TaskLog, authorizedRequest, hasCode, isoNow, jsonBody, outcomeUnknown, refusedOutcome, unknownTask, write, type CallOptions } from '../client-base.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../http.js';
import type { Clock, RateLimitOptions, Sleep } from '../rate-limiter.js';
import type {
  CertificateDetail,
  CertificateSummary,
  ConnectionCheck,
  EnvironmentResult,
  ProviderCapabilities,
  ProviderClient,
  ProviderCsr,
  ProviderTask,
  StartDeploymentInput,
  VersionDetail,
} from '../types.js';
import type { GcoreClientOptions } from './cdn-client.js';
import { GCORE_ENVIRONMENT, gcoreHttp, unconfirmed } from './common.js';
import { gcoreMaterial } from './material.js';
import { parsePage, parseProtectionSsl, protectionToDetail, protectionToSummary, unwrapResource } from './parse.js';

/** What the web security API can do for certificates. */
export const GCORE_PROTECTION_CAPABILITIES: ProviderCapabilities = {
  versions: false,
  environments: [GCORE_ENVIRONMENT],
  asyncTasks: false,
  serverSideCsr: false,
  autoRenew: false,
  keyUpload: true,
  deleteVersion: false,
};

/** One Gcore web security account. */
export interface GcoreProtectionAccount {
  /** The protection API base (`{base_ddos}`), e.g. https://api.example/protection/v2; required, the docs leave it open. */
  readonly baseUrl: string;
  /** Bearer token; held in memory only. */
  readonly token: string;
  readonly rateLimitKey?: string;
  readonly rateLimit?: RateLimitOptions;
}

type Json = Record<string, unknown>;

const PAGE_SIZE = 100;
const MAX_PAGES = 1000;

/** The Gcore web security client. */
export class GcoreProtectionClient implements ProviderClient {
  readonly provider = 'gcore' as const;
  readonly mode = 'protection' as const;
  readonly capabilities = GCORE_PROTECTION_CAPABILITIES;
  private readonly http: HttpClient;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly tasks = new TaskLog('gcore-protection');
  /** '' or '/v2' per kind of path, once a request has shown which one the base needs. */
  private readonly prefix: { list?: string; item?: string } = {};
  private readonly baseHasVersion: boolean;

  constructor(
    private readonly account: GcoreProtectionAccount,
    private readonly options: GcoreClientOptions = {},
  ) {
    const baseUrl = account.baseUrl.trim().replace(/\/+$/, '');
    if (baseUrl === '') throw new CertdeskError('INVALID_ARGUMENT', 'A Gcore web security account needs the API base URL');
    this.baseHasVersion = /\/v\d+$/i.test(baseUrl);
    ({ http: this.http, clock: this.clock, sleep: this.sleep } = gcoreHttp('Gcore web security', 'protection', baseUrl, account, options));
  }

  // ---- plumbing -------------------------------------------------------------------------

  private call(method: HttpMethod, path: string, extra: Omit<CallOptions, 'idempotent'> & { body?: unknown }): Promise<HttpResponse> {
    return this.http.request(authorizedRequest(method, path, extra, `Bearer ${this.account.token}`, jsonBody(extra.body)));
  }

  /** Candidate prefixes, the one that last worked for this kind of path first. */
  private prefixes(kind: 'list' | 'item'): string[] {
    const all = this.baseHasVersion ? [''] : ['', '/v2'];
    const known = this.prefix[kind];
    return known === undefined ? all : [known, ...all.filter((p) => p !== known)];
  }

  /**
   * GETs `{prefix}{suffix}` for each candidate prefix until one answers; remembers it. When
   * every candidate fails, the first 404 is what the caller sees (the resource is missing).
   */
  private async getWithPrefix(
    kind: 'list' | 'item',
    suffix: string,
    extra: { operation: string; certificateId?: string; query?: Record<string, number> },
  ): Promise<{ path: string; response: HttpResponse }> {
    let firstNotFound: unknown;
    for (const prefix of this.prefixes(kind)) {
      const path = `${prefix}${suffix}`;
      try {
        const response = await this.call('GET', path, extra);
        this.prefix[kind] = prefix;
        return { path, response };
      } catch (error) {
        if (firstNotFound === undefined) {
          if (!hasCode(error, 'PROVIDER_NOT_FOUND')) throw error;
          firstNotFound = error;
        }
      }
    }
    throw firstNotFound;
  }

  private resourceSuffix(id: string): string {
    if (!/^\d+$/.test(id)) throw new CertdeskError('INVALID_ARGUMENT', `"${id}" is not a Gcore protected resource id (a number)`);
    return `/resources/${id}`;
  }

  /** The resource as Gcore returns it (unwrapped), and the path that served it. */
  private async readResource(id: string): Promise<{ path: string; resource: Json }> {
    const { path, response } = await this.getWithPrefix('item', this.resourceSuffix(id), { operation: `read protected resource ${id}`, certificateId: id });
    return { path, resource: unwrapResource(response.json(), `protected resource ${id}`).resource };
  }

  // ---- reads ----------------------------------------------------------------------------

  /** Every protected resource, as certificate slots; `search` filters by resource name. */
  async listCertificates(options: { readonly search?: string } = {}): Promise<CertificateSummary[]> {
    const summaries = new Map<string, CertificateSummary>();
    for (let page = 0, offset = 0; page < MAX_PAGES; page += 1) {
      const { response } = await this.getWithPrefix('list', '/resources', { operation: 'list protected resources', query: { limit: PAGE_SIZE, offset } });
      const { count, items, paged } = parsePage(response.json(), 'list protected resources');
      for (const item of items) {
        const ssl = parseProtectionSsl(item);
        if (ssl !== undefined && !summaries.has(ssl.id)) summaries.set(ssl.id, protectionToSummary(ssl));
      }
      offset += items.length;
      if (!paged || items.length === 0 || (count !== null && offset >= count) || (count === null && items.length < PAGE_SIZE)) break;
    }
    const needle = options.search?.trim().toLowerCase();
    return [...summaries.values()].filter((s) => needle === undefined || needle === '' || s.name.toLowerCase().includes(needle));
  }

  /** One resource's certificate slot. */
  async getCertificate(id: string): Promise<CertificateDetail> {
    const { resource } = await this.readResource(id);
    const ssl = parseProtectionSsl(resource);
    if (ssl === undefined) throw new CertdeskError('PROVIDER_ERROR', `Gcore sent protected resource ${id} without an id`, { provider: 'gcore' });
    return protectionToDetail(ssl);
  }

  /** Checks endpoint and credentials by listing one resource. */
  async testConnection(): Promise<ConnectionCheck> {
    const { response } = await this.getWithPrefix('list', '/resources', { operation: 'test the connection', query: { limit: 1, offset: 0 } });
    const { count, items, paged } = parsePage(response.json(), 'test the connection');
    const total = paged ? count : items.length;
    return {
      ok: true,
      message: total !== null ? `Connected to Gcore web security; ${total} protected resource(s)` : 'Connected to Gcore web security',
      certificateCount: total,
    };
  }

  // ---- writes -----------------------------------------------------------------------------

  /** PUT of the full object; retried by the HTTP layer; a lost answer is checked by reading back. */
  private async putResource(id: string, path: string, body: Json, settled: (resource: Json) => boolean): Promise<Json | undefined> {
    const operation = `update the certificate of protected resource ${id}`;
    try {
      const response = await this.call('PUT', path, { operation, certificateId: id, body });
      return response.text.trim() !== '' ? unwrapResource(response.json(), operation).resource : undefined;
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      await this.sleep(this.options.reconcileDelayMs ?? 2_000);
      const after = await this.readResource(id).catch(() => undefined);
      if (after !== undefined && settled(after.resource)) return after.resource;
      throw unconfirmed(error, `the certificate of protected resource ${id} was updated`);
    }
  }

  /** Runs a deploy/undeploy of the resource's certificate now and returns the finished task (see the module comment). */
  async deploySlot(input: StartDeploymentInput): Promise<ProviderTask> {
    if (input.env !== GCORE_ENVIRONMENT) {
      throw new CertdeskError('INVALID_ARGUMENT', `A Gcore protected resource has one certificate slot, "${GCORE_ENVIRONMENT}"; "${input.env}" is not one`);
    }
    const id = input.certificateId.trim();
    const submittedAt = isoNow(this.clock);
    let outcome: { succeeded: boolean; detail: string; environmentResults: EnvironmentResult[] };
    try {
      outcome = input.action === 'deploy' ? await this.deployTo(id, input) : await this.undeployFrom(id);
    } catch (error) {
      if (!(error instanceof RefusedWrite)) throw error;
      outcome = refusedOutcome(error, GCORE_ENVIRONMENT);
    }
    return this.tasks.record({
      action: input.action,
      certificateId: id,
      version: input.version ?? null,
      env: GCORE_ENVIRONMENT,
      ...outcome,
      submittedAt,
      finishedAt: isoNow(this.clock),
    });
  }

  private async deployTo(id: string, input: StartDeploymentInput): Promise<{ succeeded: boolean; detail: string; environmentResults: EnvironmentResult[] }> {
    if (input.material === undefined) throw new CertdeskError('INVALID_ARGUMENT', "Deploying to Gcore needs the version's certificate and private key (material)");
    const material = gcoreMaterial(input.material, { requireKey: true });
    const { path, resource } = await this.readResource(id);
    // The whole object goes back as read; only the certificate fields change.
    const body: Json = { ...resource, service_ssl_crt: material.chainPem, service_ssl_key: material.privateKeyPem, ssl_type: 'custom' };
    const expected = Math.floor(Date.parse(material.leaf.validTo) / 1000);
    const after = await write(() => this.putResource(id, path, body, (r) => Number(r.service_ssl_expire) === expected));
    const reported = after !== undefined ? parseProtectionSsl(after)?.expiresAt : undefined;
    const note =
      reported === undefined || reported === null
        ? ''
        : reported === material.leafNotAfter
          ? `; Gcore reports expiry ${reported}`
          : `; note: Gcore still reports expiry ${reported}`;
    const message = `Custom certificate set on protected resource ${id} (expires ${material.leafNotAfter}; Gcore will not warn before it expires)${note}`;
    return { succeeded: true, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: true, message }] };
  }

  private async undeployFrom(id: string): Promise<{ succeeded: boolean; detail: string; environmentResults: EnvironmentResult[] }> {
    const { path, resource } = await this.readResource(id);
    const ssl = parseProtectionSsl(resource);
    if (ssl?.sslType === null && ssl.certificatePem === null) {
      const message = `Protected resource ${id} has no certificate; nothing to undeploy`;
      return { succeeded: true, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: true, message }] };
    }
    const body: Json = { ...resource, ssl_type: null };
    delete body.service_ssl_crt;
    delete body.service_ssl_key;
    await write(() => this.putResource(id, path, body, (r) => r.ssl_type === null || r.ssl_type === ''));
    const message = `Certificate removed from protected resource ${id} (SSL set to None)`;
    return { succeeded: true, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: true, message }] };
  }

  /** Runs the deployment now (see `deploySlot`) and returns the finished task's id. */
  async startDeployment(input: StartDeploymentInput): Promise<string> {
    return (await this.deploySlot(input)).id;
  }

  /** A finished task of this session. */
  getTask(taskId: string): Promise<ProviderTask> {
    const task = this.tasks.get(taskId);
    return task !== undefined ? Promise.resolve(task) : Promise.reject(unknownTask('gcore', 'Gcore web security', taskId));
  }

  /** Tasks this session ran for a resource, newest first. */
  listTasks(options: { readonly certificateId: string; readonly env?: string }): Promise<ProviderTask[]> {
    return Promise.resolve(this.tasks.list(options.certificateId, options.env));
  }

  // ---- not offered ------------------------------------------------------------------------------

  /** Protected resources are created in the Gcore portal; deploy a certificate to one instead. */
  createCertificate(): Promise<string> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', 'creating certificates on their own (deploy one to an existing protected resource)'));
  }

  /** The certificate is a field of the resource: undeploy it instead. */
  deleteCertificate(): Promise<void> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', 'deleting a protected resource (undeploy its certificate instead)'));
  }

  /** No versions on Gcore. */
  getVersion(): Promise<VersionDetail> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', 'certificate versions (Certdesk keeps them locally)'));
  }

  /** No versions on Gcore. */
  createVersion(): Promise<number> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', 'certificate versions (Certdesk keeps them locally; deploy a version instead)'));
  }

  /** No CSRs on Gcore. */
  getCsr(): Promise<ProviderCsr> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', 'CSRs'));
  }

  /** No versions on Gcore. */
  deleteVersion(): Promise<void> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', 'certificate versions'));
  }

  /** Let's Encrypt on protected resources is a paid option switched on by Gcore support. */
  setAutoRenew(): Promise<void> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', "switching Let's Encrypt on or off (a paid option Gcore support enables)"));
  }

  /** Custom certificates are renewed by deploying a new version. */
  forceRenew(): Promise<void> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore web security', 'renewal on request (deploy a renewed certificate instead)'));
  }
}
