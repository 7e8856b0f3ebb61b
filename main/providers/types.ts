/**
 * The one interface every provider client implements, its declared capabilities, and the
 * normalised shapes it returns.
 *
 * CDN Pro's model is the canonical one (providers.md §7.1): a certificate holds immutable,
 * numbered versions and each environment points at one of them. Providers that keep no
 * versions (Apinizer, Gcore) declare `versions: false` and the services keep the history
 * locally; providers without asynchronous deployment declare `asyncTasks: false` and return
 * tasks that are already finished. Private key PEM passes through this layer in memory only.
 */

/** Providers Certdesk talks to. */
export type ProviderKind = 'cdnpro' | 'apinizer' | 'gcore';

/** What a provider can do; callers check these before offering an operation. */
export interface ProviderCapabilities {
  /** The provider keeps immutable numbered versions itself (CDN Pro). */
  readonly versions: boolean;
  /** Names of the environments a version can be deployed to, e.g. ['staging', 'production']. */
  readonly environments: readonly string[];
  /** Deploy/undeploy run as provider tasks that must be polled. */
  readonly asyncTasks: boolean;
  /** The provider can generate a key and a self-signed placeholder and serve a CSR for it. */
  readonly serverSideCsr: boolean;
  /** The provider can renew certificates itself (e.g. Let's Encrypt). */
  readonly autoRenew: boolean;
  /** Private keys are uploaded to the provider (false: public certificates only). */
  readonly keyUpload: boolean;
  /** Only the latest, never-deployed version can be deleted on the provider. */
  readonly deleteVersion: boolean;
  /**
   * One provider object serves every environment it is deployed in with the same material
   * (Apinizer): deploying to one environment replaces the certificate in all of them.
   */
  readonly sharedSlot?: boolean;
  /** A new version's key must be of the latest version's algorithm, RSA or EC (CDN Pro: `400 InvalidCertVersion`). */
  readonly sameKeyAlgorithm?: boolean;
}

/** Subject and names for a certificate the provider generates itself. */
export interface Identification {
  readonly commonName: string;
  /** DNS names (wildcards allowed) the certificate covers. */
  readonly sans: readonly string[];
  readonly country?: string;
  readonly state?: string;
  readonly city?: string;
  readonly company?: string;
  readonly department?: string;
  readonly email?: string;
}

/** Key algorithms a provider can generate for a self-signed placeholder. */
export type GeneratedKeyAlgorithm = 'RSA2048' | 'ECC256';

/** Uploaded material: a leaf certificate, optionally its chain and its private key (PEM). */
export interface UploadedMaterial {
  readonly certificatePem: string;
  readonly chainPem?: string;
  /** Held in memory only; never logged or put in an error. */
  readonly privateKeyPem?: string;
}

/** Ask the provider to generate a key and a self-signed placeholder certificate. */
export interface SelfSignedMaterial {
  readonly selfSigned: {
    readonly keyAlgorithm: GeneratedKeyAlgorithm;
    readonly identification: Identification;
  };
}

/** Input for creating a certificate together with its first version. */
export interface CreateCertificateInput {
  readonly name: string;
  /** The first version's comment. */
  readonly comment?: string;
  readonly description?: string;
  readonly autoRenew?: boolean;
  readonly material: UploadedMaterial | SelfSignedMaterial;
  /** Providers whose certificates exist only while deployed (Apinizer): the environments to create it in. */
  readonly environments?: readonly string[];
}

/**
 * Input for a new version. Omitted certificate or key are carried over from the latest
 * version (providers with `versions: true`); with both omitted, `chainPem` replaces the chain.
 */
export type CreateVersionInput =
  | {
      readonly certificatePem?: string;
      readonly chainPem?: string;
      readonly privateKeyPem?: string;
      readonly comment?: string;
    }
  | (SelfSignedMaterial & { readonly comment?: string });

/** How a version came to be on the provider. */
export type VersionType = 'uploaded' | 'self-signed' | 'unknown';

/** A version as listed inside a certificate. */
export interface VersionSummary {
  readonly version: number;
  readonly type: VersionType;
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  /** Lowercase hex without separators, as the provider reports it. */
  readonly fingerprint: string | null;
  /** Which hash `fingerprint` is, judged by its length (SHA-256 now, SHA-1 for old versions). */
  readonly fingerprintAlgorithm: 'sha256' | 'sha1' | 'unknown';
  readonly comment: string;
}

/** Full details of one version. */
export interface VersionDetail extends VersionSummary {
  readonly subject: string | null;
  readonly issuer: string | null;
  readonly serialNumber: string | null;
  readonly signatureAlgorithm: string | null;
  /** 'RSA', 'ECC'… as the provider names it. */
  readonly keyAlgorithm: string | null;
  readonly keyLength: number | null;
  readonly sans: readonly string[];
  readonly chain: readonly { subject: string | null; issuer: string | null; expiresAt: string | null }[];
  /** Environments this version is deployed in. */
  readonly deployedIn: readonly string[];
  /** The provider allows deleting it (latest, not the only one, never deployed). */
  readonly deletable: boolean;
}

/** Where a certificate is in use (CDN Pro properties). */
export interface CertificateUsage {
  readonly environment: string;
  readonly customerId: string | null;
  readonly propertyId: string | null;
  readonly hostnames: readonly string[];
}

/**
 * What one environment's slot holds on a provider that keeps no versions; the services match it
 * to a local version by fingerprint (or by expiry and subject when there is none).
 */
export interface SlotState {
  /** Lowercase hex without separators. */
  readonly fingerprint: string | null;
  readonly fingerprintAlgorithm: 'sha256' | 'sha1' | 'unknown';
  readonly notBefore: string | null;
  readonly expiresAt: string | null;
  readonly subject: string | null;
  /** The certificate (PEM) when the provider returns it. */
  readonly certificatePem: string | null;
}

/** A certificate as listed. */
export interface CertificateSummary {
  readonly id: string;
  readonly name: string;
  /** The owning customer's id, or null when the provider does not say. */
  readonly owner: string | null;
  readonly latestVersion: number | null;
  readonly autoRenew: boolean;
  readonly forceRenew: boolean;
  readonly caOnly: boolean;
  readonly createdAt: string | null;
  readonly updatedAt: string | null;
  /** Expiry of the latest version. */
  readonly expiresAt: string | null;
  readonly versionInStaging: number | null;
  readonly versionInProduction: number | null;
  /** Environment name → deployed version number, for every environment that has one. */
  readonly deployed: Readonly<Record<string, number>>;
  /** Environment name → expiry of the version deployed there. */
  readonly deployedExpiresAt: Readonly<Record<string, string>>;
  /** Environment name → what its slot holds (providers with `versions: false`, which report no version numbers). */
  readonly slots?: Readonly<Record<string, SlotState>>;
}

/** A certificate with its versions and usage. */
export interface CertificateDetail extends CertificateSummary {
  readonly description: string;
  readonly versions: readonly VersionSummary[];
  readonly usage: readonly CertificateUsage[];
}

/** A CSR the provider serves for a certificate's latest version. */
export interface ProviderCsr {
  readonly csrPem: string;
  readonly version: number | null;
}

/** Deploy or undeploy. */
export type DeploymentAction = 'deploy' | 'undeploy';

/** Input for starting a deployment task. */
export interface StartDeploymentInput {
  readonly certificateId: string;
  readonly env: string;
  readonly action: DeploymentAction;
  /** Required for 'deploy'. */
  readonly version?: number;
  /**
   * The version's material, for providers that keep no versions (`capabilities.versions` false):
   * "deploy version N" there means replacing the provider's slot with N's material, which the
   * services keep locally. Ignored by providers with versions.
   */
  readonly material?: UploadedMaterial;
}

/** One environment's outcome inside a task (providers that deploy to several environments at once). */
export interface EnvironmentResult {
  readonly environment: string;
  readonly success: boolean;
  readonly message: string | null;
}

/** The normalised task states; unknown provider states count as still running. */
export type TaskStatus = 'waiting' | 'inprogress' | 'succeeded' | 'failed';

/** A provider task (a deployment or an undeployment). */
export interface ProviderTask {
  readonly id: string;
  readonly status: TaskStatus;
  /** The provider's own words about the state (e.g. its failure reason). */
  readonly detail: string | null;
  readonly submittedAt: string | null;
  readonly finishedAt: string | null;
  readonly env: string | null;
  readonly name: string | null;
  /** The certificate actions in the task, when the provider reports them. */
  readonly actions: readonly { action: DeploymentAction; certificateId: string; version: number | null }[];
  /** Per-environment outcomes when the provider reports them (a partial failure is possible). */
  readonly environmentResults?: readonly EnvironmentResult[];
}

/** What `testConnection` found. */
export interface ConnectionCheck {
  readonly ok: true;
  /** A short human summary, e.g. "Connected; 12 certificates visible". */
  readonly message: string;
  readonly certificateCount: number | null;
}

/**
 * One provider account's client. Every method throws `CertdeskError` with a `PROVIDER_*`
 * code (details: provider, httpStatus, providerCode, requestId) on failure, and
 * `PROVIDER_UNSUPPORTED` for an operation its capabilities do not include.
 */
export interface ProviderClient {
  readonly provider: ProviderKind;
  readonly capabilities: ProviderCapabilities;
  /** Every certificate visible to the account, all pages. */
  listCertificates(options?: { readonly search?: string }): Promise<CertificateSummary[]>;
  /** One certificate with its versions, deployment pointers, owner and usage. */
  getCertificate(id: string): Promise<CertificateDetail>;
  /** Details of one version. */
  getVersion(id: string, version: number): Promise<VersionDetail>;
  /** Creates a certificate and its first version; returns the certificate id. */
  createCertificate(input: CreateCertificateInput): Promise<string>;
  /** Creates a new version; returns its number. Never creates two for one call. */
  createVersion(id: string, input: CreateVersionInput): Promise<number>;
  /** The CSR of the latest version. */
  getCsr(id: string): Promise<ProviderCsr>;
  /** Deletes a certificate (it must be undeployed everywhere). */
  deleteCertificate(id: string): Promise<void>;
  /** Deletes the latest, never-deployed version. */
  deleteVersion(id: string, version: number): Promise<void>;
  /** Starts a deploy/undeploy; returns the provider task id. Never starts two for one call. */
  startDeployment(input: StartDeploymentInput): Promise<string>;
  /**
   * Providers with `asyncTasks: false`: runs the deploy/undeploy (replacing the environment's
   * slot with `input.material`) and returns the finished task, which `getTask` also answers.
   */
  deploySlot?(input: StartDeploymentInput): Promise<ProviderTask>;
  /** The current state of a task. */
  getTask(taskId: string): Promise<ProviderTask>;
  /** The deployment history of a certificate, newest first. */
  listTasks(options: { readonly certificateId: string; readonly env?: string }): Promise<ProviderTask[]>;
  /** Turns provider-side automatic renewal on or off. */
  setAutoRenew(id: string, enabled: boolean): Promise<void>;
  /** Asks the provider to renew as soon as possible. */
  forceRenew(id: string): Promise<void>;
  /** Checks the endpoint and credentials with a cheap authenticated read. */
  testConnection(): Promise<ConnectionCheck>;
}

/** True when the material asks the provider to generate a self-signed certificate. */
export function isSelfSignedMaterial(value: UploadedMaterial | SelfSignedMaterial | CreateVersionInput): value is SelfSignedMaterial {
  return typeof (value as { selfSigned?: unknown }).selfSigned === 'object' && (value as { selfSigned?: unknown }).selfSigned !== null;
}
