/**
 * The Gcore CDN certificate client (`/cdn/sslData`, providers.md §3.1).
 *
 * How Certdesk's model maps onto Gcore CDN:
 * - A certificate is an `sslData` object (id = its numeric id as a string): one mutable slot,
 *   no versions (`versions: false`; Certdesk keeps the versions locally).
 * - It has one environment, "production", which IS the sslData object. "Deploy version N" =
 *   `PUT /cdn/sslData/{id}` with N's material: a replacement in place that keeps the id, so
 *   every CDN resource using it serves N. When the object does not exist yet (and a name is
 *   given) it is created with `POST /cdn/sslData` and the task names the new id.
 * - "Undeploy" = `DELETE /cdn/sslData/{id}`, refused (a failed task) while the certificate is
 *   still used by a CDN resource (`hasRelatedResources`): detach it first. Afterwards the id is
 *   gone; deploying again creates a new object with a new id.
 * - Using the certificate on a CDN resource is a separate operation: `attachToResource`
 *   (`PATCH /cdn/resources/{id}` with `{sslEnabled: true, sslData: id}`) and
 *   `detachFromResource`.
 * - Let's Encrypt (`automated: true`): `requestLetsEncrypt` creates it; issuance starts once it is
 *   attached to a resource and is polled through `/cdn/sslData/{id}/status`, exposed as the task
 *   `le-<id>` (`getTask`). `forceRenew` is `POST …/renew`.
 * - Tasks for deploy/undeploy come back finished (`asyncTasks: false`) and live in memory.
 *
 * Auth is `Authorization: APIKey <token>`. Uploads send the chain (leaf first) and the key as
 * plain PEM in JSON over TLS; bodies are never logged. Errors are `{errors:{…}}` or
 * `{message}`. POST is never sent twice blindly: after a lost answer the certificate is looked
 * up by its (unique) name; PUT is a full replacement and may be retried.
 */
import { CertdeskError } from '../../../shared/errors.js';
import { unsupportedOperation } from '../errors.js';
import {
  RefusedWrite,
  TaskLog,
  authorizedRequest,
  hasCode,
  isoNow,
  jsonBody,
  outcomeUnknown,
  refusedOutcome,
  submitReconciled,
  unknownTask,
  write,
  type CallOptions,
  type ProviderClientOptions,
  type Reconciler,
} from '../client-base.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../http.js';
import type { Clock, RateLimitOptions, Sleep } from '../rate-limiter.js';
import {
  isSelfSignedMaterial,
  type CertificateDetail,
  type CertificateSummary,
  type ConnectionCheck,
  type CreateCertificateInput,
  type ProviderCapabilities,
  type ProviderClient,
  type ProviderCsr,
  type ProviderTask,
  type StartDeploymentInput,
  type VersionDetail,
} from '../types.js';
import { GCORE_ENVIRONMENT, gcoreHttp, unconfirmed } from './common.js';

export { classifyGcoreError } from './common.js';
import { gcoreMaterial, type GcoreMaterial } from './material.js';
import { parseIssuanceStatus, parsePage, parseSslDetail, requireSslDetail, sslToDetail, sslToSummary, type GcoreSslDetail } from './parse.js';

/** The SDK's default API host. */
export const GCORE_DEFAULT_BASE_URL = 'https://api.gcore.com';

/** What Gcore CDN can do. */
export const GCORE_CDN_CAPABILITIES: ProviderCapabilities = {
  versions: false,
  environments: [GCORE_ENVIRONMENT],
  asyncTasks: false,
  serverSideCsr: false,
  autoRenew: true,
  keyUpload: true,
  deleteVersion: false,
};

/** One Gcore CDN account. */
export interface GcoreCdnAccount {
  /** Default https://api.gcore.com. */
  readonly baseUrl?: string;
  /** The permanent API token (sent as `APIKey <token>`); held in memory only. */
  readonly apiKey: string;
  /** Ask Gcore to check the chain against trusted roots (`validate_root_ca`); omitted when undefined. */
  readonly validateRootCa?: boolean;
  readonly rateLimitKey?: string;
  readonly rateLimit?: RateLimitOptions;
}

/** Injectable behaviour, for tests and tuning. */
export interface GcoreClientOptions extends ProviderClientOptions {
  /** Page size for lists; default 1000 (the CDN API's maximum). */
  readonly pageSize?: number;
}

/** Gcore-only extras for a deployment. */
export interface GcoreCdnDeploymentInput extends StartDeploymentInput {
  /** The name to create the certificate under when it does not exist on Gcore (yet, or any more). */
  readonly name?: string;
}

const MAX_PAGE = 1000;
const MAX_PAGES = 1000;

/** The Gcore CDN client. */
export class GcoreCdnClient implements ProviderClient {
  readonly provider = 'gcore' as const;
  readonly mode = 'cdn' as const;
  readonly capabilities = GCORE_CDN_CAPABILITIES;
  private readonly http: HttpClient;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly tasks = new TaskLog('gcore');

  constructor(
    private readonly account: GcoreCdnAccount,
    private readonly options: GcoreClientOptions = {},
  ) {
    const baseUrl = (account.baseUrl ?? GCORE_DEFAULT_BASE_URL).trim().replace(/\/+$/, '');
    ({ http: this.http, clock: this.clock, sleep: this.sleep } = gcoreHttp('Gcore CDN', 'cdn', baseUrl, account, options));
  }

  // ---- plumbing -------------------------------------------------------------------------

  private call(method: HttpMethod, path: string, extra: CallOptions & { body?: unknown }): Promise<HttpResponse> {
    return this.http.request(authorizedRequest(method, path, extra, `APIKey ${this.account.apiKey}`, jsonBody(extra.body)));
  }

  private sslPath(id: string): string {
    if (!/^\d+$/.test(id)) throw new CertdeskError('INVALID_ARGUMENT', `"${id}" is not a Gcore certificate id (a number)`);
    return `/cdn/sslData/${id}`;
  }

  private pageSize(): number {
    return Math.min(MAX_PAGE, Math.max(1, Math.floor(this.options.pageSize ?? MAX_PAGE)));
  }

  /** The certificate, or undefined on 404. */
  async findCertificate(id: string): Promise<GcoreSslDetail | undefined> {
    try {
      const response = await this.call('GET', this.sslPath(id), { operation: `read certificate ${id}`, certificateId: id });
      return requireSslDetail(response.json(), `certificate ${id}`);
    } catch (error) {
      if (hasCode(error, 'PROVIDER_NOT_FOUND')) return undefined;
      throw error;
    }
  }

  /** Every certificate, all pages (bare-array answers from the older API are accepted). */
  private async listAll(operation: string): Promise<GcoreSslDetail[]> {
    const seen = new Map<string, GcoreSslDetail>();
    const limit = this.pageSize();
    for (let page = 0, offset = 0; page < MAX_PAGES; page += 1) {
      const response = await this.call('GET', '/cdn/sslData', { operation, query: { limit, offset } });
      const { count, items, paged } = parsePage(response.json(), operation);
      for (const item of items) {
        const detail = parseSslDetail(item);
        if (detail !== undefined && !seen.has(detail.id)) seen.set(detail.id, detail);
      }
      offset += items.length;
      if (!paged || items.length === 0 || (count !== null && offset >= count) || (count === null && items.length < limit)) break;
    }
    return [...seen.values()];
  }

  /** The certificate named exactly `name` (names are unique), if any. */
  async findByName(name: string): Promise<GcoreSslDetail | undefined> {
    return (await this.listAll(`look up certificate "${name}"`)).find((c) => c.name === name);
  }

  // ---- reads ----------------------------------------------------------------------------

  /** Every CDN certificate; `search` filters by name. */
  async listCertificates(options: { readonly search?: string } = {}): Promise<CertificateSummary[]> {
    const needle = options.search?.trim().toLowerCase();
    return (await this.listAll('list certificates'))
      .filter((c) => needle === undefined || needle === '' || c.name.toLowerCase().includes(needle))
      .map(sslToSummary);
  }

  /** One certificate. */
  async getCertificate(id: string): Promise<CertificateDetail> {
    const response = await this.call('GET', this.sslPath(id), { operation: `read certificate ${id}`, certificateId: id });
    return sslToDetail(requireSslDetail(response.json(), `certificate ${id}`));
  }

  /** Checks endpoint and credentials with a one-item list. */
  async testConnection(): Promise<ConnectionCheck> {
    const response = await this.call('GET', '/cdn/sslData', { operation: 'test the connection', query: { limit: 1, offset: 0 } });
    const { count, items, paged } = parsePage(response.json(), 'test the connection');
    const total = paged ? count : items.length;
    return {
      ok: true,
      message: total !== null ? `Connected to Gcore CDN; ${total} certificate(s) visible` : 'Connected to Gcore CDN',
      certificateCount: total,
    };
  }

  // ---- writes -----------------------------------------------------------------------------

  private uploadBody(name: string, material: GcoreMaterial): Record<string, unknown> {
    return {
      name,
      sslCertificate: material.chainPem,
      sslPrivateKey: material.privateKeyPem,
      ...(this.account.validateRootCa !== undefined ? { validate_root_ca: this.account.validateRootCa } : {}),
    };
  }

  /** True when a certificate found by name is the one we uploaded (same expiry and subject). */
  private isOurs(found: GcoreSslDetail, material: GcoreMaterial | undefined): boolean {
    if (material === undefined) return found.automated;
    if (found.notAfter === null) return true; // nothing to compare yet
    if (found.notAfter !== material.leafNotAfter) return false;
    const cn = /(?:^|\n)CN=([^\n]*)/.exec(material.leaf.subject)?.[1];
    return found.subjectCn === null || cn === undefined || found.subjectCn === cn;
  }

  /** POST /cdn/sslData; after a lost answer, looks the name up and only sends again when it is absent. */
  private async postCertificate(name: string, body: Record<string, unknown>, material: GcoreMaterial | undefined): Promise<GcoreSslDetail> {
    const operation = `create certificate "${name}"`;
    const reconcile = async (): Promise<GcoreSslDetail | undefined> => {
      const found = await this.findByName(name);
      if (found === undefined) return undefined;
      if (!this.isOurs(found, material)) {
        throw new CertdeskError('PROVIDER_CONFLICT', `Gcore already has a different certificate named "${name}" (id ${found.id}); Certdesk did not replace it`, {
          provider: 'gcore',
          certificateId: found.id,
        });
      }
      return found;
    };
    return submitReconciled(this.reconciler(), {
      what: `certificate "${name}" was created`,
      send: async () => {
        const response = await this.call('POST', '/cdn/sslData', { operation, body });
        // The SDK types the answer as empty; the older API returns the object. Take the id from
        // the body when it is there, else look the (unique) name up.
        let parsed: GcoreSslDetail | undefined;
        if (response.text.trim() !== '') parsed = parseSslDetail(response.json());
        if (parsed !== undefined) return parsed;
        const found = await this.findByName(name);
        if (found !== undefined) return found;
        throw new CertdeskError('PROVIDER_ERROR', `Gcore accepted ${operation} but the certificate cannot be found by its name`, { provider: 'gcore', httpStatus: response.status });
      },
      reconcile,
      // A definite answer from the check (another certificate has that name) stands.
      checkStands: (error) => hasCode(error, 'PROVIDER_CONFLICT'),
      // The retry of a lost POST that did land meets "already exists": look it up.
      afterRetryError: async (error) => {
        if (!hasCode(error, 'PROVIDER_CONFLICT')) return undefined;
        const found = await reconcile();
        if (found === undefined) throw error;
        return found;
      },
    });
  }

  /** PUT /cdn/sslData/{id}: replaces the certificate in place (same id); safe to retry. */
  private async putCertificate(id: string, name: string, material: GcoreMaterial): Promise<GcoreSslDetail> {
    const operation = `replace certificate ${id}`;
    try {
      const response = await this.call('PUT', this.sslPath(id), { operation, certificateId: id, body: this.uploadBody(name, material) });
      const parsed = response.text.trim() !== '' ? parseSslDetail(response.json()) : undefined;
      return parsed ?? (await this.findCertificate(id)) ?? requireSslDetail(undefined, operation);
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      await this.sleep(this.options.reconcileDelayMs ?? 2_000);
      const found = await this.findCertificate(id).catch(() => undefined);
      if (found !== undefined && found.notAfter === material.leafNotAfter) return found;
      throw unconfirmed(error, `certificate ${id} was replaced`);
    }
  }

  /** DELETE /cdn/sslData/{id}; a lost answer is settled by reading back. */
  private async deleteRemote(id: string): Promise<void> {
    const operation = `delete certificate ${id}`;
    await submitReconciled(this.reconciler(), {
      what: `certificate ${id} was deleted`,
      send: async () => {
        await this.call('DELETE', this.sslPath(id), { operation, certificateId: id, idempotent: false });
        return true;
      },
      reconcile: async () => ((await this.findCertificate(id)) === undefined ? true : undefined),
      afterRetryError: (error) => Promise.resolve(hasCode(error, 'PROVIDER_NOT_FOUND') ? true : undefined),
      // Still there: deleting again is harmless (it either deletes or says "not found").
      resendAfterHttpError: true,
    });
  }

  private reconciler(): Reconciler {
    return { sleep: this.sleep, options: this.options, unconfirmed };
  }

  /** Uploads a certificate with its chain and key; returns the new id. */
  async createCertificate(input: CreateCertificateInput): Promise<string> {
    const name = input.name.trim();
    if (name === '') throw new CertdeskError('INVALID_ARGUMENT', 'A certificate needs a name');
    if (isSelfSignedMaterial(input.material)) throw unsupportedOperation('gcore', 'Gcore CDN', 'generating a self-signed certificate');
    const material = gcoreMaterial(input.material, { requireKey: true });
    return (await this.postCertificate(name, this.uploadBody(name, material), material)).id;
  }

  /** Deletes the certificate (Gcore refuses while a CDN resource uses it). */
  async deleteCertificate(id: string): Promise<void> {
    await this.deleteRemote(id);
  }

  /** Runs a deploy/undeploy of the "production" slot now and returns the finished task (see the module comment). */
  async deploySlot(input: GcoreCdnDeploymentInput): Promise<ProviderTask> {
    if (input.env !== GCORE_ENVIRONMENT) {
      throw new CertdeskError('INVALID_ARGUMENT', `Gcore CDN certificates have one environment, "${GCORE_ENVIRONMENT}"; "${input.env}" is not one`);
    }
    const submittedAt = isoNow(this.clock);
    let certificateId = input.certificateId.trim();
    let outcome: { succeeded: boolean; detail: string; environmentResults: { environment: string; success: boolean; message: string | null }[] };
    try {
      if (input.action === 'deploy') {
        if (input.material === undefined) throw new CertdeskError('INVALID_ARGUMENT', "Deploying to Gcore needs the version's certificate and private key (material)");
        const material = gcoreMaterial(input.material, { requireKey: true });
        const current = certificateId !== '' ? await this.findCertificate(certificateId) : undefined;
        if (current !== undefined) {
          const after = await write(() => this.putCertificate(certificateId, current.name, material));
          const message = `Replaced in place (id ${after.id}); every CDN resource using it now serves the certificate expiring ${after.notAfter ?? material.leafNotAfter}`;
          outcome = { succeeded: true, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: true, message }] };
        } else {
          const name = input.name?.trim() ?? '';
          if (name === '') {
            throw new CertdeskError('PROVIDER_NOT_FOUND', `Gcore has no certificate ${certificateId || '(no id given)'}; give a name to create it`, {
              provider: 'gcore',
              certificateId,
            });
          }
          const created = await write(() => this.postCertificate(name, this.uploadBody(name, material), material));
          const message = `Created as certificate ${created.id}${certificateId !== '' ? ` (replacing ${certificateId}, which no longer exists)` : ''}; attach it to a CDN resource to serve it`;
          certificateId = created.id;
          outcome = { succeeded: true, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: true, message }] };
        }
      } else {
        const current = certificateId !== '' ? await this.findCertificate(certificateId) : undefined;
        if (current === undefined) {
          const message = `Certificate ${certificateId} does not exist on Gcore; nothing to undeploy`;
          outcome = { succeeded: true, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: true, message }] };
        } else if (current.hasRelatedResources === true) {
          const message = `Certificate ${certificateId} is still used by a CDN resource; detach it from its resources first`;
          outcome = { succeeded: false, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: false, message }] };
        } else {
          await write(() => this.deleteRemote(certificateId));
          const message = `Deleted certificate ${certificateId} from Gcore (its slot); deploying again creates a new id`;
          outcome = { succeeded: true, detail: message, environmentResults: [{ environment: GCORE_ENVIRONMENT, success: true, message }] };
        }
      }
    } catch (error) {
      if (!(error instanceof RefusedWrite)) throw error;
      outcome = refusedOutcome(error, GCORE_ENVIRONMENT);
    }
    return this.tasks.record({
      action: input.action,
      certificateId,
      version: input.version ?? null,
      env: GCORE_ENVIRONMENT,
      ...outcome,
      submittedAt,
      finishedAt: isoNow(this.clock),
    });
  }

  /** Runs the deployment now (see `deploySlot`) and returns the finished task's id. */
  async startDeployment(input: GcoreCdnDeploymentInput): Promise<string> {
    return (await this.deploySlot(input)).id;
  }

  /** A finished deploy/undeploy task of this session, or `le-<id>`: the Let's Encrypt issuance status. */
  async getTask(taskId: string): Promise<ProviderTask> {
    const le = /^le-(\d+)$/.exec(taskId);
    if (le?.[1] !== undefined) return this.getIssuanceStatus(le[1]);
    const task = this.tasks.get(taskId);
    if (task === undefined) throw unknownTask('gcore', 'Gcore CDN', taskId);
    return task;
  }

  /** Tasks this session ran for a certificate, newest first. */
  listTasks(options: { readonly certificateId: string; readonly env?: string }): Promise<ProviderTask[]> {
    return Promise.resolve(this.tasks.list(options.certificateId, options.env));
  }

  // ---- CDN resources and Let's Encrypt -------------------------------------------------------

  /** Makes CDN resource `resourceId` serve certificate `certificateId` (`sslEnabled: true`). */
  async attachToResource(certificateId: string, resourceId: string): Promise<void> {
    this.sslPath(certificateId);
    if (!/^\d+$/.test(resourceId)) throw new CertdeskError('INVALID_ARGUMENT', `"${resourceId}" is not a Gcore CDN resource id (a number)`);
    // Setting the same two fields again is harmless, so this PATCH may be retried.
    await this.call('PATCH', `/cdn/resources/${resourceId}`, {
      operation: `attach certificate ${certificateId} to CDN resource ${resourceId}`,
      certificateId,
      idempotent: true,
      body: { sslEnabled: true, sslData: Number(certificateId) },
    });
  }

  /** Stops CDN resource `resourceId` using a certificate (`sslEnabled: false`). */
  async detachFromResource(resourceId: string): Promise<void> {
    if (!/^\d+$/.test(resourceId)) throw new CertdeskError('INVALID_ARGUMENT', `"${resourceId}" is not a Gcore CDN resource id (a number)`);
    await this.call('PATCH', `/cdn/resources/${resourceId}`, {
      operation: `detach the certificate from CDN resource ${resourceId}`,
      idempotent: true,
      body: { sslEnabled: false },
    });
  }

  /** Creates an automated (Let's Encrypt) certificate, attaching it to `resourceId` when given; the task polls issuance. */
  async requestLetsEncrypt(name: string, options: { readonly resourceId?: string } = {}): Promise<{ certificateId: string; taskId: string }> {
    const trimmed = name.trim();
    if (trimmed === '') throw new CertdeskError('INVALID_ARGUMENT', 'A certificate needs a name');
    const created = await this.postCertificate(trimmed, { name: trimmed, automated: true }, undefined);
    if (options.resourceId !== undefined) await this.attachToResource(created.id, options.resourceId);
    return { certificateId: created.id, taskId: `le-${created.id}` };
  }

  /** The Let's Encrypt issuance of certificate `id`, as a task (`active` → inprogress; Done/Failed/Cancelled). */
  async getIssuanceStatus(id: string): Promise<ProviderTask> {
    const response = await this.call('GET', `${this.sslPath(id)}/status`, { operation: `read the issuance status of certificate ${id}`, certificateId: id });
    return parseIssuanceStatus(response.json(), id);
  }

  /** Asks Gcore to renew an automated certificate now (`POST …/renew`; can take up to 15 minutes). */
  async forceRenew(id: string): Promise<void> {
    await this.call('POST', `${this.sslPath(id)}/renew`, { operation: `renew certificate ${id}`, certificateId: id });
  }

  /** Retries a failed Let's Encrypt issuance (`POST …/force-retry`). */
  async retryIssuance(id: string): Promise<void> {
    await this.call('POST', `${this.sslPath(id)}/force-retry`, { operation: `retry the issuance of certificate ${id}`, certificateId: id });
  }

  // ---- not offered by Gcore CDN ------------------------------------------------------------------

  /** An uploaded certificate cannot become automated; request a Let's Encrypt certificate instead. */
  setAutoRenew(): Promise<void> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore CDN', "switching renewal on an existing certificate (request a Let's Encrypt certificate instead)"));
  }

  /** Gcore keeps no versions. */
  getVersion(): Promise<VersionDetail> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore CDN', 'certificate versions (Certdesk keeps them locally)'));
  }

  /** Gcore keeps no versions: deploy a local version instead. */
  createVersion(): Promise<number> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore CDN', 'certificate versions (Certdesk keeps them locally; deploy a version instead)'));
  }

  /** Gcore serves no CSRs. */
  getCsr(): Promise<ProviderCsr> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore CDN', 'CSRs'));
  }

  /** Gcore keeps no versions. */
  deleteVersion(): Promise<void> {
    return Promise.reject(unsupportedOperation('gcore', 'Gcore CDN', 'certificate versions'));
  }
}
