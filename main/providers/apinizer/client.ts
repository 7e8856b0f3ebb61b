/**
 * The Apinizer Management API ("apiops") certificate client (providers.md §2).
 *
 * How Certdesk's model maps onto Apinizer (design.md; providers.md §7.1):
 * - A certificate is a named public X.509 certificate in a project; its id is its name. There
 *   are no versions: Certdesk keeps the immutable versions locally (`versions: false`).
 * - Environments are the user-defined names from the account configuration. One certificate
 *   name holds ONE certificate for every environment in its `environmentList` (`sharedSlot`).
 * - "Deploy version N to E" = replace the slot with N's material: `POST …/certificates/`
 *   (multipart, `environmentList=E`) when the name does not exist yet, otherwise
 *   `PUT …/certificates/{name}/` with the environments it is in now plus E. Apinizer then serves
 *   N in every one of those environments; the task says so and lists each environment's result.
 * - "Undeploy from E" = `PUT` with the reduced `environmentList` while other environments still
 *   hold it (the PUT needs the certificate file, so it is taken from what Apinizer returns for a
 *   remaining environment, else from the caller's material), and `DELETE` when E is the last
 *   one, because DELETE undeploys from all environments at once. The result is read back.
 * - Deploy and undeploy run synchronously inside the call (`asyncTasks: false`): tasks come back
 *   finished, with `environmentResults`; a partial failure is `failed`, and the failing
 *   environments are marked in the results. Tasks live in memory for `getTask`/`listTasks`.
 * - Apinizer certificates carry no private key (keys live in keystores): a key in the material
 *   is ignored and never sent, and only the leaf certificate is uploaded.
 *
 * Every path ends in `/` and names are URL-encoded. Errors are `{error, error_description}`;
 * not-found and duplicates come back as 400 `bad_request` and are recognised by their message.
 * A rate-limit body (`rate_limit_exceeded`, `retry_after` seconds) is honoured like a 429.
 * POST is never sent twice blindly: after a lost answer the client reads the certificate by
 * name and only sends again when it is absent and the failure was below HTTP. PUT is a full
 * replacement and may be retried; DELETE is confirmed by reading back.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CertdeskError, type ErrorCode } from '../../../shared/errors.js';
import { parsePem } from '../../pki/pem.js';
import { unsupportedOperation } from '../errors.js';
import {
  RefusedWrite,
  TaskLog,
  authorizedRequest,
  belowHttp,
  hasCode,
  isoNow,
  outcomeUnknown,
  providerHttp,
  refusedOutcome,
  submitReconciled,
  unconfirmedBy,
  unknownTask,
  write,
  type CallOptions,
  type ProviderClientOptions,
} from '../client-base.js';
import type { HttpClient, HttpMethod, HttpResponse } from '../http.js';
import type { Clock, RateLimitOptions, Sleep } from '../rate-limiter.js';
import {
  isSelfSignedMaterial,
  type CertificateDetail,
  type CertificateSummary,
  type ConnectionCheck,
  type CreateCertificateInput,
  type EnvironmentResult,
  type ProviderCapabilities,
  type ProviderClient,
  type ProviderCsr,
  type ProviderTask,
  type StartDeploymentInput,
  type UploadedMaterial,
  type VersionDetail,
} from '../types.js';
import { ApinizerTokenSource, type ApinizerCredentials } from './auth.js';
import { buildMultipart } from './multipart.js';
import {
  certificatePemFromContent,
  parseCertificateList,
  parseDeploymentResult,
  toDetail,
  toSummary,
  type ApinizerCertificate,
  type ApinizerDeploymentResult,
} from './parse.js';

/** No limit is documented; stay well below anything a gateway would mind. */
export const APINIZER_RATE_LIMIT: RateLimitOptions = { perMinute: 120, burst: 20 };

/** Which JWKs to refresh when a certificate they were derived from is replaced. */
export type ApinizerUpdateScope = 'SAME_PROJECT' | 'ALL_PROJECTS';

/** One Apinizer account: a manager URL, a project and its environments. */
export interface ApinizerAccount {
  /** e.g. https://demo.apinizer.com (a trailing /apiops is accepted). */
  readonly managerUrl: string;
  readonly projectName: string;
  /** The user-defined environment names Certdesk offers for this account, e.g. ['production', 'staging']. */
  readonly environments: readonly string[];
  readonly credentials: ApinizerCredentials;
  /** Refresh JWKs derived from a certificate when it is replaced (default false). */
  readonly updateReferencedJwks?: boolean;
  /** Which JWKs; required by Apinizer when `updateReferencedJwks` is true (default SAME_PROJECT). */
  readonly updateScope?: ApinizerUpdateScope;
  /** Accounts that share Apinizer's limit share this key; default: endpoint + project. */
  readonly rateLimitKey?: string;
  readonly rateLimit?: RateLimitOptions;
}

/** Injectable behaviour, for tests and tuning. */
export type ApinizerClientOptions = ProviderClientOptions;

/** Apinizer-only extras for a deployment; the rest is the common input. */
export interface ApinizerDeploymentInput extends StartDeploymentInput {
  /** Alias in each environment (unique per environment); default: the current one, else the name. */
  readonly alias?: string;
  /** `certificateDescription`; default: the current one, else a Certdesk note. */
  readonly description?: string;
  /** The complete environment list to leave the certificate in (deploy only); default: current ∪ {env}. */
  readonly environments?: readonly string[];
  readonly updateReferencedJwks?: boolean;
  readonly updateScope?: ApinizerUpdateScope;
}

/** Apinizer-only extras for creating a certificate. */
export interface ApinizerCreateInput extends CreateCertificateInput {
  readonly alias?: string;
}

const DEFAULT_DESCRIPTION = 'Managed by Certdesk';

/** Maps Apinizer's message-only distinctions onto Certdesk codes (its 400s cover not-found and duplicates). */
export function classifyApinizerError(failure: { httpStatus: number; providerCode?: string; providerMessage?: string }): ErrorCode | undefined {
  const code = (failure.providerCode ?? '').toLowerCase();
  const message = failure.providerMessage ?? '';
  if (code === 'rate_limit_exceeded') return 'PROVIDER_RATE_LIMITED';
  if (code === 'unauthorized_client' || code === 'invalid_token' || code === 'token_expired') return 'PROVIDER_AUTH_FAILED';
  if (failure.httpStatus >= 500) return undefined;
  if (/\b(is|was) not found\b|\bnot exist/i.test(message) || code === 'not_found' || code === 'resource_not_found') return 'PROVIDER_NOT_FOUND';
  if (/already exist|already used/i.test(message) || code === 'conflict' || code === 'duplicate_name') return 'PROVIDER_CONFLICT';
  if (code === 'forbidden' || code === 'access_denied') return 'PROVIDER_NOT_OWNER';
  return undefined;
}

/** Reads Apinizer's rate-limit body; undefined when the answer is something else. */
export function apinizerRateLimit(status: number, text: string): { retryAfterMs?: number } | undefined {
  if (status === 429 && text.trim() === '') return {};
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof body !== 'object' || body === null) return undefined;
  const record = body as Record<string, unknown>;
  if (record.error !== 'rate_limit_exceeded' && status !== 429) return undefined;
  const seconds = typeof record.retry_after === 'number' ? record.retry_after : typeof record.retry_after === 'string' ? Number(record.retry_after) : NaN;
  return Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: Math.round(seconds * 1000) } : {};
}

/** `{managerUrl}/apiops`, whether or not the URL already ends in /apiops. */
export function apinizerBaseUrl(managerUrl: string): string {
  const trimmed = managerUrl.trim().replace(/\/+$/, '');
  return /\/apiops$/i.test(trimmed) ? trimmed : `${trimmed}/apiops`;
}

/** The leaf certificate of the material as PEM; a private key or chain in it is dropped. */
export function leafCertificatePem(material: UploadedMaterial): { pem: string; sha1: string; sha256: string } {
  const blocks = parsePem(material.certificatePem, 'the certificate').filter((b) => b.label === 'CERTIFICATE');
  const first = blocks[0];
  if (first === undefined) {
    throw new CertdeskError('INVALID_ARGUMENT', 'The certificate material holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  }
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(first.der);
  } catch {
    throw new CertdeskError('INVALID_ARGUMENT', 'The first certificate in the material is not a valid X.509 certificate');
  }
  return {
    pem: cert.toString(),
    sha1: createHash('sha1').update(first.der).digest('hex'),
    sha256: createHash('sha256').update(first.der).digest('hex'),
  };
}

/** Rethrows `error` saying that the outcome could not be confirmed. */
const unconfirmed = unconfirmedBy('reading it back', 'look at the certificate in Apinizer');

function unique(names: readonly string[]): string[] {
  return [...new Set(names.map((n) => n.trim()).filter((n) => n !== ''))];
}

/** The Apinizer client. */
export class ApinizerClient implements ProviderClient {
  readonly provider = 'apinizer' as const;
  readonly capabilities: ProviderCapabilities;
  private readonly http: HttpClient;
  private readonly clock: Clock;
  private readonly sleep: Sleep;
  private readonly tokens: ApinizerTokenSource;
  private readonly tasks = new TaskLog('apinizer');

  constructor(
    private readonly account: ApinizerAccount,
    private readonly options: ApinizerClientOptions = {},
  ) {
    if (account.projectName.trim() === '') throw new CertdeskError('INVALID_ARGUMENT', 'An Apinizer account needs a project name');
    const baseUrl = apinizerBaseUrl(account.managerUrl);
    ({ http: this.http, clock: this.clock, sleep: this.sleep } = providerHttp(
      {
        provider: 'apinizer',
        providerLabel: 'Apinizer',
        baseUrl,
        rateLimitFromBody: apinizerRateLimit,
        classifyError: classifyApinizerError,
        rateLimitKey: account.rateLimitKey ?? `apinizer:${baseUrl}:${account.projectName}`,
        rateLimit: account.rateLimit ?? APINIZER_RATE_LIMIT,
      },
      options,
    ));
    this.tokens = new ApinizerTokenSource(account.credentials, this.http, this.clock);
    this.capabilities = {
      versions: false,
      environments: unique(account.environments),
      asyncTasks: false,
      serverSideCsr: false,
      autoRenew: false,
      keyUpload: false,
      deleteVersion: false,
      sharedSlot: true,
    };
  }

  // ---- plumbing -------------------------------------------------------------------------

  private certificatesPath(): string {
    return `/projects/${encodeURIComponent(this.account.projectName)}/certificates/`;
  }

  private certificatePath(name: string): string {
    return `${this.certificatesPath()}${encodeURIComponent(name)}/`;
  }

  /** One request with the bearer token; a rejected client-credentials token is renewed once. */
  private async call(method: HttpMethod, path: string, extra: CallOptions & { form?: { body: string; contentType: string } }): Promise<HttpResponse> {
    const body = extra.form !== undefined ? { text: extra.form.body, contentType: extra.form.contentType } : undefined;
    const send = async (): Promise<HttpResponse> => {
      const token = await this.tokens.token();
      return this.http.request(authorizedRequest(method, path, extra, `Bearer ${token}`, body));
    };
    try {
      return await send();
    } catch (error) {
      // A 401 is a refusal before anything happened, so sending again with a new token is safe.
      if (hasCode(error, 'PROVIDER_AUTH_FAILED') && this.tokens.renewable && error.details.httpStatus === 401) {
        this.tokens.invalidate();
        return send();
      }
      throw error;
    }
  }

  /** The certificate named `name`, or undefined when Apinizer says it does not exist. */
  async findCertificate(name: string): Promise<ApinizerCertificate | undefined> {
    try {
      const response = await this.call('GET', this.certificatePath(name), { operation: `read certificate "${name}"`, certificateId: name });
      const found = parseCertificateList(response.json(), `read certificate "${name}"`);
      return found.find((c) => c.name === name) ?? (found.length === 1 ? found[0] : undefined);
    } catch (error) {
      // "Certificate (name: X) is not found!" (400) — but not "Project(P) was not found" (404).
      if (hasCode(error, 'PROVIDER_NOT_FOUND') && !/project/i.test(String(error.details.message ?? ''))) return undefined;
      throw error;
    }
  }

  // ---- reads ----------------------------------------------------------------------------

  /** Every certificate of the project (Apinizer does not page this list); `search` filters by name. */
  async listCertificates(options: { readonly search?: string } = {}): Promise<CertificateSummary[]> {
    const response = await this.call('GET', this.certificatesPath(), { operation: `list the certificates of project ${this.account.projectName}` });
    const all = parseCertificateList(response.json());
    const needle = options.search?.trim().toLowerCase();
    return all.filter((c) => needle === undefined || needle === '' || c.name.toLowerCase().includes(needle)).map(toSummary);
  }

  /** One certificate with its environments as slots (content included when Apinizer sends it). */
  async getCertificate(id: string): Promise<CertificateDetail> {
    const found = await this.findCertificate(id);
    if (found === undefined) {
      throw new CertdeskError('PROVIDER_NOT_FOUND', `Apinizer has no certificate "${id}" in project ${this.account.projectName}`, {
        provider: 'apinizer',
        certificateId: id,
      });
    }
    return toDetail(found);
  }

  /** Checks endpoint and credentials by listing the project's certificates. */
  async testConnection(): Promise<ConnectionCheck> {
    const response = await this.call('GET', this.certificatesPath(), { operation: 'test the connection' });
    const count = parseCertificateList(response.json()).length;
    return {
      ok: true,
      message: `Connected to Apinizer project ${this.account.projectName}; ${count} certificate(s) visible`,
      certificateCount: count,
    };
  }

  // ---- writes -----------------------------------------------------------------------------

  private form(
    name: string,
    fields: { alias: string; description: string; environments: readonly string[]; pem: string },
  ): { body: string; contentType: string } {
    // No private key field exists in this form: keys belong in Apinizer keystores.
    return buildMultipart([
      { name: 'certificateName', value: name },
      { name: 'alias', value: fields.alias },
      { name: 'certificateDescription', value: fields.description },
      { name: 'environmentList', value: fields.environments.join(',') },
      { name: 'pemEncodedFile', filename: `${name.replace(/[^A-Za-z0-9._-]+/g, '_') || 'certificate'}.pem`, contentType: 'application/x-pem-file', content: fields.pem },
    ]);
  }

  /** POST …/certificates/ (create + deploy); read back by name after a lost answer. */
  private async postCertificate(
    name: string,
    fields: { alias: string; description: string; environments: readonly string[]; pem: string; sha1: string; sha256: string },
  ): Promise<ApinizerDeploymentResult> {
    const operation = `create certificate "${name}" in ${fields.environments.join(', ')}`;
    const maxAttempts = Math.max(1, this.options.maxSubmitAttempts ?? 2);
    let lastUnknown: CertdeskError | undefined;
    for (let attempt = 1; attempt <= maxAttempts; attempt += 1) {
      try {
        const response = await this.call('POST', this.certificatesPath(), {
          operation,
          certificateId: name,
          form: this.form(name, fields),
        });
        return parseDeploymentResult(response.json(), operation);
      } catch (error) {
        // Our earlier, lost POST may have landed: the retry then meets "already exist".
        if (lastUnknown !== undefined && hasCode(error, 'PROVIDER_CONFLICT')) {
          const found = await this.findCertificate(name).catch(() => undefined);
          if (found !== undefined) return this.resultFromState(found, fields.environments, fields, 'deploy');
          throw error;
        }
        if (!outcomeUnknown(error)) throw error;
        lastUnknown = error;
        await this.sleep(this.options.reconcileDelayMs ?? 2_000);
        let found: ApinizerCertificate | undefined;
        try {
          found = await this.findCertificate(name);
        } catch (reconcileError) {
          throw unconfirmed(error, `certificate "${name}" was created`, reconcileError);
        }
        if (found !== undefined) return this.resultFromState(found, fields.environments, fields, 'deploy');
        if (!belowHttp(error)) throw error; // a definite 5xx answer: never sent twice
      }
    }
    throw lastUnknown ?? new CertdeskError('INTERNAL', `could not ${operation}`);
  }

  /** PUT …/certificates/{name}/ (replace + redeploy); a full replacement, so the HTTP layer may retry it. */
  private async putCertificate(
    name: string,
    fields: { alias: string; description: string; environments: readonly string[]; pem: string; sha1: string; sha256: string },
    jwks: { updateReferencedJwks?: boolean; updateScope?: ApinizerUpdateScope },
  ): Promise<ApinizerDeploymentResult> {
    const operation = `replace certificate "${name}" in ${fields.environments.join(', ')}`;
    const updateReferencedJwks = jwks.updateReferencedJwks ?? this.account.updateReferencedJwks ?? false;
    const updateScope = jwks.updateScope ?? this.account.updateScope;
    const query: Record<string, string> = { updateReferencedJwks: String(updateReferencedJwks) };
    if (updateReferencedJwks || updateScope !== undefined) query.updateScope = updateScope ?? 'SAME_PROJECT';
    try {
      const response = await this.call('PUT', this.certificatePath(name), { operation, certificateId: name, query, form: this.form(name, fields) });
      return parseDeploymentResult(response.json(), operation);
    } catch (error) {
      if (!outcomeUnknown(error)) throw error;
      await this.sleep(this.options.reconcileDelayMs ?? 2_000);
      let found: ApinizerCertificate | undefined;
      try {
        found = await this.findCertificate(name);
      } catch (reconcileError) {
        throw unconfirmed(error, `certificate "${name}" was replaced`, reconcileError);
      }
      let result: ApinizerDeploymentResult | undefined;
      try {
        result = found !== undefined ? this.resultFromState(found, fields.environments, fields, 'deploy') : undefined;
      } catch {
        result = undefined; // none of the environments holds ours: the replacement did not land (yet)
      }
      if (result?.success === true) return result;
      throw unconfirmed(error, `certificate "${name}" was replaced`);
    }
  }

  /** DELETE …/certificates/{name}/ (undeploy everywhere); a lost answer is settled by reading back. */
  private async deleteRemote(name: string): Promise<ApinizerDeploymentResult> {
    const operation = `delete certificate "${name}"`;
    const confirmed: ApinizerDeploymentResult = { success: true, message: 'Deleted (confirmed by reading back after a lost answer)', environmentResults: [] };
    return submitReconciled(
      { sleep: this.sleep, options: this.options, unconfirmed },
      {
        what: `certificate "${name}" was deleted`,
        send: async () => {
          const response = await this.call('DELETE', this.certificatePath(name), { operation, certificateId: name, idempotent: false });
          return parseDeploymentResult(response.json(), operation);
        },
        reconcile: async () => ((await this.findCertificate(name)) === undefined ? confirmed : undefined),
        afterRetryError: (error) => Promise.resolve(hasCode(error, 'PROVIDER_NOT_FOUND') ? confirmed : undefined),
        // Still there: deleting again is harmless (it either deletes or says "not found").
        resendAfterHttpError: true,
      },
    );
  }

  /** Per-environment results derived from the certificate as read back (after a lost answer). */
  private resultFromState(
    found: ApinizerCertificate,
    environments: readonly string[],
    ours: { sha1: string; sha256: string },
    action: 'deploy',
  ): ApinizerDeploymentResult {
    const environmentResults = environments.map((env): EnvironmentResult => {
      const entry = found.environments.find((e) => e.environmentName === env);
      if (entry === undefined) return { environment: env, success: false, message: `Apinizer does not list the certificate in ${env}` };
      const pem = certificatePemFromContent(entry.base64EncodedContent);
      const matches =
        entry.sha1Thumbprint === ours.sha1 ||
        (pem !== null && createHash('sha256').update(new X509Certificate(pem).raw).digest('hex') === ours.sha256) ||
        (entry.sha1Thumbprint === null && pem === null);
      return matches
        ? { environment: env, success: true, message: 'Deployed (confirmed by reading the certificate back)' }
        : { environment: env, success: false, message: `${env} holds a different certificate` };
    });
    const anyOurs = environmentResults.some((r) => r.success);
    if (!anyOurs && found.environments.length > 0) {
      throw new CertdeskError(
        'PROVIDER_CONFLICT',
        `Apinizer already has a certificate named "${found.name}" holding a different certificate; Certdesk did not replace it`,
        { provider: 'apinizer', certificateId: found.name },
      );
    }
    return { success: environmentResults.every((r) => r.success), message: `${action} result read back from Apinizer`, environmentResults };
  }

  /** Creates the certificate and deploys it to `input.environments` (required: Apinizer has no undeployed certificates). */
  async createCertificate(input: ApinizerCreateInput): Promise<string> {
    const name = input.name.trim();
    if (name === '') throw new CertdeskError('INVALID_ARGUMENT', 'A certificate needs a name');
    if (isSelfSignedMaterial(input.material)) throw unsupportedOperation('apinizer', 'Apinizer', 'generating a self-signed certificate');
    const environments = unique(input.environments ?? []);
    if (environments.length === 0) {
      throw new CertdeskError('INVALID_ARGUMENT', `Apinizer creates a certificate by deploying it: name at least one environment for "${name}"`);
    }
    const leaf = leafCertificatePem(input.material);
    const result = await this.postCertificate(name, {
      alias: input.alias ?? name,
      description: input.description ?? input.comment ?? DEFAULT_DESCRIPTION,
      environments,
      ...leaf,
    });
    if (!result.success) {
      const failed = result.environmentResults.filter((r) => !r.success);
      throw new CertdeskError(
        'PROVIDER_REJECTED',
        `Apinizer created certificate "${name}" but could not deploy it to ${failed.map((r) => `${r.environment}${r.message !== null ? ` (${r.message})` : ''}`).join(', ') || 'every environment'}`,
        { provider: 'apinizer', certificateId: name, partial: true, failedEnvironments: failed.map((r) => r.environment) },
      );
    }
    return name;
  }

  /** Deletes the certificate, which undeploys it from every environment. */
  async deleteCertificate(id: string): Promise<void> {
    const result = await this.deleteRemote(id);
    if (!result.success) {
      const failed = result.environmentResults.filter((r) => !r.success);
      throw new CertdeskError(
        'PROVIDER_REJECTED',
        `Apinizer could not undeploy certificate "${id}" from ${failed.map((r) => `${r.environment}${r.message !== null ? ` (${r.message})` : ''}`).join(', ') || 'every environment'}`,
        { provider: 'apinizer', certificateId: id, failedEnvironments: failed.map((r) => r.environment) },
      );
    }
  }

  /** Runs a deploy/undeploy now and returns the finished task (see the module comment for the mapping). */
  async deploySlot(input: ApinizerDeploymentInput): Promise<ProviderTask> {
    const name = input.certificateId.trim();
    const env = input.env.trim();
    if (name === '') throw new CertdeskError('INVALID_ARGUMENT', 'Deploying to Apinizer needs the certificate name');
    if (env === '') throw new CertdeskError('INVALID_ARGUMENT', 'Deploying to Apinizer needs an environment name');
    const known = this.capabilities.environments;
    if (known.length > 0 && !known.includes(env)) {
      throw new CertdeskError('INVALID_ARGUMENT', `Environment "${env}" is not configured for this Apinizer account; use one of ${known.join(', ')}`);
    }
    const submittedAt = isoNow(this.clock);
    let outcome: { result: ApinizerDeploymentResult; detail: string };
    try {
      outcome = input.action === 'deploy' ? await this.deployTo(name, env, input) : await this.undeployFrom(name, env, input);
    } catch (error) {
      // A definite "no" to the write is a failed task; anything that leaves the outcome open,
      // or stopped before the write (bad input, credentials, an unknown project), is thrown.
      if (!(error instanceof RefusedWrite)) throw error;
      const { detail, environmentResults } = refusedOutcome(error, env);
      outcome = { result: { success: false, message: detail, environmentResults }, detail };
    }
    return this.tasks.record({
      action: input.action,
      certificateId: name,
      version: input.version ?? null,
      env,
      succeeded: outcome.result.success,
      detail: outcome.detail,
      submittedAt,
      finishedAt: isoNow(this.clock),
      environmentResults: outcome.result.environmentResults,
    });
  }

  private async deployTo(name: string, env: string, input: ApinizerDeploymentInput): Promise<{ result: ApinizerDeploymentResult; detail: string }> {
    if (input.material === undefined) {
      throw new CertdeskError('INVALID_ARGUMENT', `Deploying to Apinizer needs the version's certificate (material) for "${name}"`);
    }
    const leaf = leafCertificatePem(input.material);
    const current = await this.findCertificate(name);
    const currentEnvs = current?.environments.map((e) => e.environmentName) ?? [];
    const environments = unique(input.environments !== undefined ? [...input.environments, env] : [...currentEnvs, env]);
    const alias =
      input.alias ?? current?.environments.find((e) => e.environmentName === env)?.alias ?? current?.environments.find((e) => e.alias !== null)?.alias ?? name;
    const description = input.description ?? (current !== undefined && current.description.trim() !== '' ? current.description : DEFAULT_DESCRIPTION);
    const fields = { alias, description, environments, ...leaf };
    const result = await write(() =>
      current === undefined
        ? this.postCertificate(name, fields)
        : this.putCertificate(name, fields, {
            ...(input.updateReferencedJwks !== undefined ? { updateReferencedJwks: input.updateReferencedJwks } : {}),
            ...(input.updateScope !== undefined ? { updateScope: input.updateScope } : {}),
          }),
    );
    const others = environments.filter((e) => e !== env);
    const shared = others.length > 0 ? ` Apinizer keeps one certificate per name for all its environments, so ${others.join(', ')} now serve(s) it too.` : '';
    return { result, detail: `${this.summarise(result, current === undefined ? 'Created and deployed' : 'Replaced and redeployed')}${shared}` };
  }

  private async undeployFrom(name: string, env: string, input: ApinizerDeploymentInput): Promise<{ result: ApinizerDeploymentResult; detail: string }> {
    const current = await this.findCertificate(name);
    const envs = current?.environments.map((e) => e.environmentName) ?? [];
    if (current === undefined || !envs.includes(env)) {
      const result = { success: true, message: null, environmentResults: [{ environment: env, success: true, message: 'Was not deployed here' }] };
      return { result, detail: `Certificate "${name}" was not deployed in ${env}; nothing to do` };
    }
    const remaining = envs.filter((e) => e !== env);
    if (remaining.length === 0) {
      // DELETE undeploys from every environment, which here is only `env`.
      const result = await write(() => this.deleteRemote(name));
      const results = result.environmentResults.length > 0 ? result.environmentResults : [{ environment: env, success: result.success, message: result.message }];
      return { result: { ...result, environmentResults: results }, detail: this.summarise({ ...result, environmentResults: results }, `Deleted (${env} was its last environment)`) };
    }
    // Other environments keep it: PUT with the reduced list. The form needs the file, so take
    // the certificate Apinizer holds for a remaining environment, else the caller's material.
    const fromProvider = current.environments
      .filter((e) => remaining.includes(e.environmentName))
      .map((e) => certificatePemFromContent(e.base64EncodedContent))
      .find((pem): pem is string => pem !== null);
    const pem = fromProvider ?? (input.material !== undefined ? leafCertificatePem(input.material).pem : undefined);
    if (pem === undefined) {
      throw new CertdeskError(
        'INVALID_ARGUMENT',
        `Apinizer did not return the content of certificate "${name}"; to keep it in ${remaining.join(', ')} while removing it from ${env}, pass the certificate deployed there as the material`,
      );
    }
    const leaf = leafCertificatePem({ certificatePem: pem });
    const keep = current.environments.find((e) => remaining.includes(e.environmentName));
    const result = await write(() =>
      this.putCertificate(
        name,
        {
          alias: input.alias ?? keep?.alias ?? name,
          description: input.description ?? (current.description.trim() !== '' ? current.description : DEFAULT_DESCRIPTION),
          environments: remaining,
          ...leaf,
        },
        {
          ...(input.updateReferencedJwks !== undefined ? { updateReferencedJwks: input.updateReferencedJwks } : {}),
          ...(input.updateScope !== undefined ? { updateScope: input.updateScope } : {}),
        },
      ),
    );
    // Re-read rather than assume: the environment must be gone from the list.
    const after = await this.findCertificate(name);
    const stillThere = after?.environments.some((e) => e.environmentName === env) === true;
    const removal: EnvironmentResult = stillThere
      ? { environment: env, success: false, message: `Apinizer still lists the certificate in ${env} after the update` }
      : { environment: env, success: true, message: 'Removed from the environment list' };
    const combined: ApinizerDeploymentResult = {
      success: result.success && !stillThere,
      message: result.message,
      environmentResults: [removal, ...result.environmentResults.filter((r) => r.environment !== env)],
    };
    return { result: combined, detail: this.summarise(combined, `Removed from ${env}; redeployed to ${remaining.join(', ')}`) };
  }

  private summarise(result: ApinizerDeploymentResult, lead: string): string {
    const failed = result.environmentResults.filter((r) => !r.success);
    if (failed.length === 0) return `${lead}${result.message !== null ? `: ${result.message}` : ''}.`;
    const ok = result.environmentResults.filter((r) => r.success).map((r) => r.environment);
    return `${lead} with failures: ${failed.map((r) => `${r.environment}: ${r.message ?? 'failed'}`).join('; ')}${ok.length > 0 ? ` (succeeded: ${ok.join(', ')})` : ''}.`;
  }

  /** Runs the deployment synchronously (see `deploySlot`) and returns the finished task's id. */
  async startDeployment(input: ApinizerDeploymentInput): Promise<string> {
    return (await this.deploySlot(input)).id;
  }

  /** A task this client ran (Apinizer itself keeps no tasks). */
  getTask(taskId: string): Promise<ProviderTask> {
    const task = this.tasks.get(taskId);
    return task !== undefined ? Promise.resolve(task) : Promise.reject(unknownTask('apinizer', 'Apinizer', taskId));
  }

  /** Tasks this client ran for a certificate, newest first. */
  listTasks(options: { readonly certificateId: string; readonly env?: string }): Promise<ProviderTask[]> {
    return Promise.resolve(this.tasks.list(options.certificateId, options.env));
  }

  // ---- not offered by Apinizer ----------------------------------------------------------------

  /** Apinizer keeps no versions. */
  getVersion(_id: string, _version: number): Promise<VersionDetail> {
    return Promise.reject(unsupportedOperation('apinizer', 'Apinizer', 'certificate versions (Certdesk keeps them locally)'));
  }

  /** Apinizer keeps no versions: deploy a local version instead. */
  createVersion(): Promise<number> {
    return Promise.reject(unsupportedOperation('apinizer', 'Apinizer', 'certificate versions (Certdesk keeps them locally; deploy a version instead)'));
  }

  /** Apinizer generates no keys or CSRs. */
  getCsr(): Promise<ProviderCsr> {
    return Promise.reject(unsupportedOperation('apinizer', 'Apinizer', 'CSRs'));
  }

  /** Apinizer keeps no versions. */
  deleteVersion(): Promise<void> {
    return Promise.reject(unsupportedOperation('apinizer', 'Apinizer', 'certificate versions'));
  }

  /** Apinizer does not renew certificates. */
  setAutoRenew(): Promise<void> {
    return Promise.reject(unsupportedOperation('apinizer', 'Apinizer', 'automatic renewal'));
  }

  /** Apinizer does not renew certificates. */
  forceRenew(): Promise<void> {
    return Promise.reject(unsupportedOperation('apinizer', 'Apinizer', 'renewal'));
  }
}

/** Builds an Apinizer client for one account. */
export function createApinizerClient(account: ApinizerAccount, options: ApinizerClientOptions = {}): ApinizerClient {
  return new ApinizerClient(account, options);
}
