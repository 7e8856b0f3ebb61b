/**
 * The typed contract between the renderer and main: what `window.certdesk` offers.
 *
 * ONE declaration: `API` below lists every method once, with its IPC channel, a zod schema for its
 * arguments and its result type. `CertdeskApi` (what the renderer calls) and `ApiImplementation`
 * (what main implements) are derived from it; `createApi` (shared/api-client.ts) builds the client
 * from it for the preload and the e2e bridge; `createHandlers` (main/ipc/handlers.ts) registers one
 * handler per entry and parses every argument with its schema before a service sees it.
 *
 * Nothing here returns private key material or account secrets: keys are described by id,
 * algorithm and SPKI fingerprint. This module stays free of Node, DOM and Electron.
 */
import { z } from 'zod';
import { KEY_TYPES, type Finding, type KeyType, type ObjectInfo, type San, type SubjectFields } from './pki-types.js';

// ---------------------------------------------------------------------------------------------
// Result and event shapes
// ---------------------------------------------------------------------------------------------

/** Facts about the running app. */
export interface AppInfo {
  readonly name: string;
  readonly version: string;
  readonly platform: string;
}

/** One upload of a key to a provider (key custody). */
export interface KeyUploadSummary {
  readonly provider: string;
  readonly account: string;
  readonly certificate: string;
  readonly version: number;
  readonly at: string;
}

/** A private key held in the vault, as the renderer sees it: never the key itself. */
export interface KeySummary {
  readonly id: string;
  readonly algorithm: 'RSA' | 'EC';
  readonly bits?: number;
  readonly curve?: string;
  readonly keyType: KeyType;
  /** Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo. */
  readonly spkiSha256: string;
  readonly label: string;
  readonly createdAt: string;
  readonly source: 'generated' | 'imported';
  readonly uploads: readonly KeyUploadSummary[];
}

/** A key put in the vault by `keys.import`. */
export interface ImportedKeySummary extends KeySummary {
  /** The file it came from. */
  readonly file: string;
  /** True when the same key (same SPKI) was already in the vault and was not stored twice. */
  readonly existing: boolean;
}

/** An error carried as data (per file, per SAN…), never thrown across the boundary. */
export interface ErrorInfo {
  readonly code: string;
  readonly message: string;
}

/** What one file held: the objects found, or why it could not be read (e.g. `PASSWORD_REQUIRED`). */
export type FileInspection =
  | { readonly name: string; readonly ok: true; readonly objects: readonly ObjectInfo[] }
  | { readonly name: string; readonly ok: false; readonly error: ErrorInfo };

/** Where the private key of a certificate was found. */
export type KeyLocation =
  | { readonly where: 'file'; readonly file: string }
  | { readonly where: 'vault'; readonly keyId: string; readonly label: string };

/** A certificate paired (or not) with its private key by SubjectPublicKeyInfo. */
export interface KeyMatch {
  readonly certificateSha256: string;
  readonly subject: string;
  readonly spkiSha256: string;
  /** Every place the key was found: the dropped files and the vault. Empty when nowhere. */
  readonly keys: readonly KeyLocation[];
}

/** The outcome of building and validating a chain (the `certdesk verify --json` shape). */
export interface ChainValidation {
  readonly valid: boolean;
  /** SHA-256 fingerprints, leaf first. */
  readonly chain: readonly string[];
  readonly errors: readonly Finding[];
  readonly warnings: readonly Finding[];
}

/** One certificate of a cleaned bundle. */
export interface BundleCertificate {
  readonly sha256: string;
  readonly subject: string;
}

/** The cleaned bundle of every certificate found: leaf first, issued-to-issuer order, no root. */
export interface BundleSummary {
  readonly leaf: BundleCertificate;
  readonly chain: readonly BundleCertificate[];
  readonly removed: readonly (BundleCertificate & { readonly reason: string })[];
  /** Leaf then intermediates as PEM. */
  readonly pem: string;
  readonly findings: readonly Finding[];
  /** Chain validation against the Mozilla root store, now. */
  readonly validation: ChainValidation;
}

/** Everything `pki.inspect` found in a set of files. */
export interface InspectResult {
  readonly files: readonly FileInspection[];
  /** One entry per leaf certificate found. */
  readonly matches: readonly KeyMatch[];
  /** SPKI fingerprints of private keys in the files that match no certificate given. */
  readonly unmatchedKeys: readonly string[];
  /** The cleaned bundle, or null when no certificate was found. */
  readonly bundle: BundleSummary | null;
  /** Why no bundle could be built although certificates were found. */
  readonly bundleError: ErrorInfo | null;
}

/** One SAN as typed or pasted, checked by main's rules. */
export type SanCheck =
  | { readonly input: string; readonly ok: true; readonly san: San }
  | { readonly input: string; readonly ok: false; readonly message: string };

/** What the CSR would contain, checked and linted, before any key is made. */
export interface CsrPreview {
  /** The subject DN as it will be written. */
  readonly subject: string;
  /** The SANs as they will be written (the common name first when it is a host name). */
  readonly sans: readonly San[];
  readonly findings: readonly Finding[];
}

/** A created CSR: the key stays in the vault. */
export interface CsrCreated {
  readonly keyId: string;
  readonly csrPem: string;
  readonly spkiSha256: string;
  readonly subject: string;
  readonly sans: readonly San[];
  /** Lint of the signed request. */
  readonly findings: readonly Finding[];
  /** The pending request recorded for it. */
  readonly pendingRequestId: string;
}

/** A CSR waiting for its signed certificate. */
export interface PendingRequestSummary {
  readonly id: string;
  readonly keyId: string;
  readonly subject: string;
  readonly sans: readonly San[];
  readonly createdAt: string;
  readonly target?: { readonly account: string; readonly certificate: string };
  /** The target certificate's name, while it is in the inventory. */
  readonly targetName?: string;
}

/** The colour scheme. */
export const THEMES = ['system', 'light', 'dark'] as const;
/** One of the colour schemes; `system` follows the OS. */
export type Theme = (typeof THEMES)[number];

/** User preferences. */
export interface Settings {
  readonly theme: Theme;
  /** A certificate counts as expiring this many days before its notAfter. */
  readonly expiryThresholdDays: number;
}

/** The preferences of a fresh installation. */
export const DEFAULT_SETTINGS: Settings = { theme: 'system', expiryThresholdDays: 30 };

/** What the save dialog did. */
export type SaveResult = { readonly saved: true; readonly path: string } | { readonly saved: false };

/** A deployment task as events carry it (the store's TaskRecord, minus nothing secret). */
export interface TaskSummary {
  readonly id: string;
  /** Account id. */
  readonly account: string;
  /** The account's name, for display. */
  readonly accountName: string;
  readonly certificate: string;
  readonly certificateName: string;
  readonly env: string;
  readonly action: 'deploy' | 'undeploy';
  readonly version: number | null;
  readonly status: 'waiting' | 'inprogress' | 'succeeded' | 'failed';
  readonly progress: number;
  readonly providerTaskId: string | null;
  readonly submittedAt: string;
  readonly finishedAt: string | null;
  readonly detail: string | null;
  readonly error: (ErrorInfo & { readonly httpStatus?: number; readonly providerCode?: string; readonly requestId?: string }) | null;
  readonly updatedAt: string;
}

/** Providers an account can belong to. */
export const PROVIDER_KINDS = ['cdnpro', 'apinizer', 'gcore'] as const;
/** A provider an account belongs to. */
export type ProviderKind = (typeof PROVIDER_KINDS)[number];

/** A provider account as the renderer sees it: never its secret, which stays in the OS keychain. */
export interface AccountSummary {
  readonly id: string;
  readonly name: string;
  readonly provider: ProviderKind;
  /** "CDN Pro", "Apinizer", "Gcore". */
  readonly providerLabel: string;
  readonly endpoint: string;
  readonly user: string | null;
  readonly project: string | null;
  readonly customerId: string | null;
  /** Where certificates of this account can be deployed, e.g. staging and production. */
  readonly environments: readonly string[];
  readonly mode: 'cdn' | 'protection' | null;
  /** The embedded CDN Pro sandbox: a local simulation, not a real provider. */
  readonly isSandbox: boolean;
  readonly createdAt: string;
}

/** What testing an account's connection found. */
export interface ConnectionResult {
  readonly account: string;
  /** A short human summary, e.g. "Connected to CDN Pro as sandbox; 3 certificates visible". */
  readonly message: string;
  readonly certificateCount: number | null;
}

/** Attention states of a certificate, in the order they are reported. */
export const CERTIFICATE_STATES = ['expiring', 'renewed-not-deployed', 'staging-differs', 'not-owner'] as const;
/** One attention state. */
export type CertificateState = (typeof CERTIFICATE_STATES)[number];

/** What one environment holds and when it expires. */
export interface EnvironmentStatus {
  readonly env: string;
  /** The version deployed there, or null when nothing (or an unknown certificate) is. */
  readonly version: number | null;
  readonly deployed: boolean;
  readonly notAfter: string | null;
  /** Whole days until notAfter (negative once expired); null when unknown. */
  readonly daysLeft: number | null;
  readonly expiring: boolean;
  readonly expired: boolean;
}

/** One certificate of the inventory, across accounts. */
export interface CertificateRow {
  /** Unique across accounts: `<account id>/<certificate id>`. */
  readonly key: string;
  /** The provider's id of the certificate. */
  readonly id: string;
  readonly name: string;
  readonly accountId: string;
  /** The account's name. */
  readonly account: string;
  readonly provider: ProviderKind;
  readonly providerLabel: string;
  readonly isSandbox: boolean;
  readonly owner: string | null;
  /** Why this certificate can only be looked at (e.g. another customer owns it), or null. */
  readonly readOnly: string | null;
  readonly latestVersion: number | null;
  /** Expiry of the latest version. */
  readonly latestNotAfter: string | null;
  readonly staging: number | null;
  readonly production: number | null;
  /** Every environment of the account, in deployment order (staging before production). */
  readonly environments: readonly EnvironmentStatus[];
  /** The fewest days left over what is deployed (the latest version when deployed nowhere). */
  readonly daysLeft: number | null;
  readonly states: readonly CertificateState[];
  /** The names (SANs, subject CN) of the versions Certdesk has seen, for search. */
  readonly names: readonly string[];
  /** SHA-256 fingerprints of the versions Certdesk has seen, for search. */
  readonly fingerprints: readonly string[];
}

/** How reading one account's certificates went. */
export interface AccountInventoryStatus {
  readonly accountId: string;
  readonly account: string;
  readonly isSandbox: boolean;
  /** When the certificates shown were read from the provider; null when never. */
  readonly refreshedAt: string | null;
  /** Why the last read failed (the certificates shown are then the ones seen before). */
  readonly error: ErrorInfo | null;
}

/** Every certificate of every account. */
export interface CertificateInventory {
  readonly certificates: readonly CertificateRow[];
  readonly accounts: readonly AccountInventoryStatus[];
  /** Days before expiry that count as expiring (the user's setting). */
  readonly thresholdDays: number;
}

/** A certificate of a chain. */
export interface ChainEntry {
  readonly subject: string;
  readonly sha256: string;
}

/** One certificate of a validated path, leaf first. */
export interface ChainPathEntry {
  readonly subject: string;
  readonly issuer: string;
  readonly notAfter: string;
  /** True when it had expired at the time of the check. */
  readonly expired: boolean;
  readonly sha256: string;
  readonly role: 'leaf' | 'intermediate' | 'root';
  /** Where it came from: the version's own certificate, the chain stored with it, or the trust store. */
  readonly source: 'version' | 'chain' | 'trust store';
}

/**
 * A version's chain validated as a browser would (`certdesk verify`), now.
 *
 * valid: a path to a trusted root with no problem; incomplete: an issuer is missing, so no trusted
 * root is reached; untrusted: the path ends at a root the trust store does not hold; invalid: a
 * certificate on the path is wrong (expired, wrong usage…); unknown: Certdesk could not check it.
 */
export interface ChainCheck {
  readonly verdict: 'valid' | 'incomplete' | 'untrusted' | 'invalid' | 'unknown';
  /** One line in plain words, e.g. "Chain valid — trusted by ISRG Root X1". */
  readonly summary: string;
  /** The path validation settled on (as far as it got), leaf → intermediates → root. */
  readonly path: readonly ChainPathEntry[];
  /** What validation found: errors first, then warnings. */
  readonly problems: readonly Finding[];
}

/** One immutable version of a certificate. */
export interface VersionInfo {
  readonly version: number;
  /** Uploaded (a CA-signed certificate and its key), generated (a new key with a self-signed placeholder) or renewed (a CA-signed certificate for the pending CSR, key carried over). */
  readonly source: 'uploaded' | 'generated' | 'renewed';
  readonly createdAt: string;
  readonly subject: string;
  /** Null when only the provider holds the certificate and did not say. */
  readonly issuer: string | null;
  readonly sans: readonly San[];
  readonly notBefore: string | null;
  readonly notAfter: string | null;
  /** SHA-256 of the leaf (or the provider's fingerprint). */
  readonly fingerprint: string | null;
  readonly spkiSha256: string | null;
  /** The vault key of this version, when Certdesk holds it. */
  readonly keyId: string | null;
  /** e.g. "EC P-256", "RSA 2048". */
  readonly keyAlgorithm: string | null;
  readonly comment: string;
  readonly deployedIn: readonly string[];
  /** Intermediates uploaded with it, leaf's issuer first; null when unknown. */
  readonly chain: readonly ChainEntry[] | null;
  readonly selfSigned: boolean | null;
  /** Lint of the leaf, now. */
  readonly findings: readonly Finding[];
  /** The chain validated now against the trust store; null when Certdesk does not hold the certificate. */
  readonly chainCheck: ChainCheck | null;
}

/** One deployment of a certificate (Certdesk's tasks and the provider's). */
export interface HistoryEntry {
  readonly id: string;
  readonly version: number | null;
  readonly env: string;
  readonly action: 'deploy' | 'undeploy';
  readonly status: 'waiting' | 'inprogress' | 'succeeded' | 'failed';
  readonly submittedAt: string;
  readonly finishedAt: string | null;
  readonly detail: string | null;
}

/** What a provider can do, as far as the screens care. */
export interface ProviderAbilities {
  /** The provider keeps numbered versions itself (else Certdesk keeps them). */
  readonly versions: boolean;
  readonly asyncTasks: boolean;
  /** Private keys are uploaded with certificates. */
  readonly keyUpload: boolean;
  /** The provider serves the CSR of a version's key. */
  readonly serverSideCsr: boolean;
}

/** A certificate with its versions (newest first) and deployment history (newest first). */
export interface CertificateDetail {
  readonly certificate: CertificateRow;
  readonly abilities: ProviderAbilities;
  readonly versions: readonly VersionInfo[];
  readonly history: readonly HistoryEntry[];
  /** Tasks of this certificate still running. */
  readonly running: readonly TaskSummary[];
  /** Why it cannot be deleted now (deployed somewhere, a task running), or null. */
  readonly deleteBlocked: string | null;
}

/** A version just created. */
export interface VersionCreated {
  readonly certificate: CertificateRow;
  readonly version: VersionInfo;
  /** Things to know (root left out of the upload, chain remarks…). */
  readonly warnings: readonly string[];
  /** True when no key came with the certificate and the latest version's key was kept (the pending CSR's). */
  readonly keyCarriedOver: boolean;
}

/** The CSR of a certificate's latest version. */
export interface CertificateCsr {
  readonly certificate: string;
  readonly version: number | null;
  readonly csrPem: string;
}

/** What a re-key starts from: the names of a certificate's latest version, for a new key and CSR. */
export interface RekeyTemplate {
  /** Account id and certificate id: the target of the request. */
  readonly account: string;
  readonly certificate: string;
  readonly certificateName: string;
  readonly version: number;
  readonly subject: SubjectFields;
  /** SANs as the wizard takes them (`IP:`, `EMAIL:` prefixes; host names bare). */
  readonly sans: readonly string[];
  /** The key type closest to the current key's (the same, where Certdesk generates it). */
  readonly keyType: KeyType;
  /** The current version's key algorithm as shown ("EC P-256"), when known. */
  readonly currentKey: string | null;
  /** The provider takes a new version only with a key of this algorithm (CDN Pro keeps RSA or EC); null: any. */
  readonly keyFamily: 'rsa' | 'ec' | null;
  /** Subject attributes and names a new request cannot repeat, as `OU=…`, `URI:…`. */
  readonly omitted: readonly string[];
}

/** One side of a field of a deployment diff. */
export interface Change<T> {
  readonly from: T | null;
  readonly to: T;
  readonly changed: boolean;
}

/** What changes in an environment if a version is deployed there: the confirmation's field-level diff. */
export interface DeploymentDiff {
  readonly certificate: string;
  readonly env: string;
  /** The version about to be deployed. */
  readonly to: VersionInfo;
  /** The version in the environment now, or null when it holds none. */
  readonly from: VersionInfo | null;
  /** `newer`, `older` (a rollback), `same` (redeploy) or `first` (nothing there now). */
  readonly direction: 'newer' | 'older' | 'same' | 'first';
  /** Names as `DNS:host` / `IP:addr`; `removed` are names the environment would stop serving. */
  readonly sans: { readonly added: readonly string[]; readonly removed: readonly string[]; readonly unchanged: readonly string[] };
  readonly subject: Change<string>;
  readonly issuer: Change<string | null>;
  /** Algorithm and SPKI fingerprint. */
  readonly key: Change<{ readonly algorithm: string | null; readonly spkiSha256: string | null }>;
  readonly validity: Change<{ readonly notBefore: string | null; readonly notAfter: string | null }>;
  /** True when the version to deploy expires before the one there now. */
  readonly expiresSooner: boolean;
  /** Plain-language warnings for the confirmation. */
  readonly warnings: readonly string[];
}

/** One expiry date on the timeline: a certificate in an environment (or its latest version when deployed nowhere). */
export interface ExpiryEntry {
  readonly key: string;
  readonly accountId: string;
  readonly account: string;
  readonly certificateId: string;
  readonly certificate: string;
  /** The environment, or `latest` for a certificate deployed nowhere. */
  readonly env: string;
  readonly version: number | null;
  readonly notAfter: string;
  readonly daysLeft: number;
  readonly expiring: boolean;
  readonly expired: boolean;
}

/** The expiry screen's data. */
export interface ExpiryOverview {
  readonly now: string;
  readonly thresholdDays: number;
  /** Soonest first. */
  readonly entries: readonly ExpiryEntry[];
  /** Certificates needing attention, most urgent first. */
  readonly attention: readonly ExpiryAlert[];
}

/** Key export formats: encrypted PKCS#8 PEM, or PKCS#12 with the key's certificate and chain. */
export const KEY_EXPORT_FORMATS = ['pkcs8-encrypted', 'pkcs12'] as const;
/** A key export format. */
export type KeyExportFormat = (typeof KEY_EXPORT_FORMATS)[number];

/** A certificate that needs attention. */
export interface ExpiryAlert {
  /** The account's name. */
  readonly account: string;
  /** The account's id, when known. */
  readonly accountId?: string;
  /** The certificate's provider id. */
  readonly certificate: string;
  readonly certificateName: string;
  readonly states: readonly ('expiring' | 'renewed-not-deployed' | 'staging-differs' | 'not-owner')[];
  readonly daysLeft: number | null;
}

/** What the application menu asks the renderer to do. */
export const MENU_COMMANDS = ['import-files', 'generate-csr', 'show-certificates', 'show-tasks', 'show-expiry', 'show-keys', 'toggle-dark-mode', 'show-help'] as const;
/** One application-menu command. */
export type MenuCommand = (typeof MENU_COMMANDS)[number];

/** Events main sends to the renderer, by name. */
export interface CertdeskEvents {
  readonly taskProgress: { readonly task: TaskSummary };
  readonly taskFinished: { readonly task: TaskSummary };
  readonly expiryAlert: ExpiryAlert;
  /** Certificates of an account (or of every account: null) changed. */
  readonly inventoryChanged: { readonly account: string | null };
  /** The user chose an application-menu item (or pressed its shortcut). */
  readonly menuCommand: { readonly command: MenuCommand };
}

/** Event channel names, `domain:verb`. */
export const EVENT_CHANNELS = {
  taskProgress: 'task:progress',
  taskFinished: 'task:finished',
  expiryAlert: 'expiry:alert',
  inventoryChanged: 'inventory:changed',
  menuCommand: 'menu:command',
} as const satisfies { readonly [E in keyof CertdeskEvents]: string };

/** Undoes a subscription. */
export type Unsubscribe = () => void;

/** Subscriptions to main's events; each returns its unsubscribe function. */
export interface CertdeskEventsApi {
  onTaskProgress(listener: (event: CertdeskEvents['taskProgress']) => void): Unsubscribe;
  onTaskFinished(listener: (event: CertdeskEvents['taskFinished']) => void): Unsubscribe;
  onExpiryAlert(listener: (event: CertdeskEvents['expiryAlert']) => void): Unsubscribe;
  onInventoryChanged(listener: (event: CertdeskEvents['inventoryChanged']) => void): Unsubscribe;
  onMenuCommand(listener: (event: CertdeskEvents['menuCommand']) => void): Unsubscribe;
}

/** Which event each `on…` subscription listens to. */
export const EVENT_SUBSCRIPTIONS = {
  onTaskProgress: 'taskProgress',
  onTaskFinished: 'taskFinished',
  onExpiryAlert: 'expiryAlert',
  onInventoryChanged: 'inventoryChanged',
  onMenuCommand: 'menuCommand',
} as const satisfies { readonly [K in keyof CertdeskEventsApi]: keyof CertdeskEvents };

// ---------------------------------------------------------------------------------------------
// Argument schemas
// ---------------------------------------------------------------------------------------------

/** The largest file the renderer may send (10 MiB, as `MAX_INPUT_BYTES` in main/pki/objects.ts). */
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
/** The most files one call may carry. */
export const MAX_FILES = 32;
/** The longest text `dialogs.saveText` writes (1 MiB). */
export const MAX_SAVE_TEXT = 1024 * 1024;
/** The most SANs one CSR may name. */
export const MAX_SANS = 500;

const text = (max: number) => z.string().max(max);
const keyId = z.string().regex(/^k_[0-9a-f]{16}$/, 'must be a vault key id (k_ and 16 hex digits)');
const label = z.string().max(200).optional();
const password = z.string().max(1024).optional();

/** Bytes of one file: a Uint8Array of at most 10 MiB. */
export const FileBytesSchema = z
  .custom<Uint8Array>((v) => v instanceof Uint8Array, { message: 'must be the bytes of a file (Uint8Array)' })
  .refine((v) => v.byteLength <= MAX_FILE_BYTES, { message: `a file may be at most ${MAX_FILE_BYTES / 1024 / 1024} MiB` });

/** A file the renderer read (File.arrayBuffer()) or text the user pasted, with an optional password. */
export const InputFileSchema = z.strictObject({
  name: z.string().min(1).max(255),
  bytes: FileBytesSchema,
  password,
});
/** A file sent to main. */
export type InputFile = z.input<typeof InputFileSchema>;

const files = z.array(InputFileSchema).min(1).max(MAX_FILES);

/** One of the key types Certdesk generates. */
export const KeyTypeSchema = z.enum(KEY_TYPES);

/** Subject fields; main checks them in depth (lengths, character sets, country code). */
export const SubjectSchema = z.strictObject({
  commonName: text(64),
  organization: text(64).optional(),
  organizationalUnit: text(64).optional(),
  locality: text(128).optional(),
  state: text(128).optional(),
  country: text(2).optional(),
  email: text(255).optional(),
}) satisfies z.ZodType<SubjectFields>;

/** SANs as typed: `DNS:name`, `IP:address`, `EMAIL:address` or a bare host name / IP address. */
export const SanListSchema = z.array(text(300)).max(MAX_SANS);

const csrNames = { subject: SubjectSchema, sans: SanListSchema };

/** The certificate a request's signed result is meant for (account id, certificate id). */
const requestTarget = z.strictObject({ account: z.string().min(1).max(200), certificate: z.string().min(1).max(200) }).optional();

/** `csr.create`: a CSR for a vault key, or for a new key generated in main. */
export const CsrRequestSchema = z.union([
  z.strictObject({ keyId, ...csrNames, target: requestTarget }),
  z.strictObject({ newKeyType: KeyTypeSchema, label, ...csrNames, target: requestTarget }),
]);
/** What `csr.create` takes. */
export type CsrRequest = z.input<typeof CsrRequestSchema>;

/** Every preference. */
export const SettingsSchema = z.strictObject({
  theme: z.enum(THEMES),
  expiryThresholdDays: z.number().int().min(1).max(365),
}) satisfies z.ZodType<Settings>;

/** `settings.set`: any subset of the preferences. */
export const SettingsPatchSchema = SettingsSchema.partial();

/** `dialogs.saveText`: a file name (no folders) and the text to write. */
export const SaveTextSchema = z.strictObject({
  defaultName: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[^/\\:\0]+$/, 'must be a file name without folders'),
  content: text(MAX_SAVE_TEXT),
});

const ref = (what: string) => z.string().trim().min(1, `must name the ${what}`).max(300);
const accountRef = ref('account');
const certificateRef = ref('certificate');
const envName = z.string().trim().min(1, 'must name the environment').max(100);
const comment = text(500).optional();

/** `accounts.add`: the description and the secret, which goes to the keychain and never comes back. */
export const AccountInputSchema = z.strictObject({
  provider: z.enum(PROVIDER_KINDS),
  name: z.string().trim().min(1, 'an account needs a name').max(100),
  endpoint: z.string().trim().min(1, 'an account needs its endpoint URL').max(500),
  user: text(200).optional(),
  project: text(200).optional(),
  customerId: text(100).optional(),
  environments: z.array(text(100)).max(20).optional(),
  mode: z.enum(['cdn', 'protection']).optional(),
  secret: z.string().min(1, 'an account needs its secret (API key, token or password)').max(4096),
});
/** What `accounts.add` takes. */
export type AccountInput = z.input<typeof AccountInputSchema>;

/** What a new version is made of: dropped or pasted files, or a fresh key with a self-signed placeholder. */
export const VersionMaterialSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('files'), files }),
  z.strictObject({
    kind: z.literal('self-signed'),
    commonName: z.string().trim().min(1, 'a self-signed placeholder needs a common name').max(64),
    sans: SanListSchema,
    keyType: KeyTypeSchema,
    days: z.number().int().min(1).max(3650).optional(),
  }),
]);
/** What a version is made of. */
export type VersionMaterialInput = z.input<typeof VersionMaterialSchema>;

const certificateTarget = { account: accountRef, certificate: certificateRef };

/** `keys.export`: a vault key, the format and the password protecting the file. */
export const KeyExportSchema = z.strictObject({
  id: keyId,
  format: z.enum(KEY_EXPORT_FORMATS),
  password: z.string().min(1, 'an exported key needs a password').max(1024),
  /** PKCS#12 with 3DES/SHA-1 for old Windows and Java. */
  legacy: z.boolean().optional(),
});

// ---------------------------------------------------------------------------------------------
// The method table
// ---------------------------------------------------------------------------------------------

/** A phantom carrying a method's result type (no runtime value). */
export interface Returns<R> {
  readonly __returns?: R;
}

/** One API method: its channel, the schema of its argument list, and (as a type) its result. */
export interface MethodSpec<A extends z.ZodTuple = z.ZodTuple, R = unknown> {
  readonly channel: `${string}:${string}`;
  readonly args: A;
  readonly returns: Returns<R>;
}

function method<A extends z.ZodTuple, R>(channel: `${string}:${string}`, args: A, returns: Returns<R>): MethodSpec<A, R> {
  return { channel, args, returns };
}

/** Declares a method's result type. */
function returns<R>(): Returns<R> {
  return {};
}

const none = z.tuple([]);

/** Every method the renderer may call, by namespace. */
export const API = {
  app: {
    /** Name, version and platform of the running app. */
    info: method('app:info', none, returns<AppInfo>()),
  },
  keys: {
    /** Every key in the vault, oldest first. */
    list: method('keys:list', none, returns<KeySummary[]>()),
    /** Generates a key in main and seals it in the vault. */
    generate: method('keys:generate', z.tuple([z.strictObject({ type: KeyTypeSchema, label })]), returns<KeySummary>()),
    /** Puts every private key found in the files into the vault (a key already there is not stored twice). */
    import: method('keys:import', z.tuple([z.strictObject({ files, label })]), returns<ImportedKeySummary[]>()),
    /** Deletes a key; `CONFLICT` while CSRs wait on it unless `force`. */
    delete: method('keys:delete', z.tuple([z.strictObject({ id: keyId, force: z.boolean().optional() })]), returns<void>()),
    /** Writes a key, encrypted with `password`, where the user chooses (main's save dialog); PKCS#12 adds its certificate and chain. */
    export: method('keys:export', z.tuple([KeyExportSchema]), returns<SaveResult>()),
  },
  pki: {
    /** What each file holds (errors as data per file), keys paired with certificates, the cleaned bundle. */
    inspect: method('pki:inspect', z.tuple([z.strictObject({ files })]), returns<InspectResult>()),
    /** Builds and validates the chain of the leaf found in the files, now, optionally for a host. */
    verify: method(
      'pki:verify',
      z.tuple([z.strictObject({ files, host: text(253).optional() })]),
      returns<ChainValidation>(),
    ),
  },
  csr: {
    /** Checks SANs as typed or pasted, one result per entry. */
    checkSans: method('csr:check-sans', z.tuple([SanListSchema]), returns<SanCheck[]>()),
    /** Validates and lints what a CSR would contain, without making a key. */
    preview: method('csr:preview', z.tuple([z.strictObject(csrNames)]), returns<CsrPreview>()),
    /** Creates a CSR (the key is generated in main and sealed, never returned) and records it as pending. */
    create: method('csr:create', z.tuple([CsrRequestSchema]), returns<CsrCreated>()),
    /** CSRs still waiting for their signed certificate, newest first. */
    pending: method('csr:pending', none, returns<PendingRequestSummary[]>()),
  },
  settings: {
    /** The current preferences. */
    get: method('settings:get', none, returns<Settings>()),
    /** Changes some preferences; returns all of them. */
    set: method('settings:set', z.tuple([SettingsPatchSchema]), returns<Settings>()),
  },
  dialogs: {
    /** Asks where to save `content` (main's native save dialog) and writes it there. */
    saveText: method('dialogs:save-text', z.tuple([SaveTextSchema]), returns<SaveResult>()),
  },
  accounts: {
    /** Every provider account, oldest first (the Sandbox account is created on first use). */
    list: method('accounts:list', none, returns<AccountSummary[]>()),
    /** Adds an account; its secret goes to the OS keychain and is never returned. */
    add: method('accounts:add', z.tuple([AccountInputSchema]), returns<AccountSummary>()),
    /** Checks the endpoint and credentials with a cheap authenticated read. */
    test: method('accounts:test', z.tuple([z.strictObject({ account: accountRef })]), returns<ConnectionResult>()),
    /** Removes an account, its keychain secret and what Certdesk cached about it. */
    remove: method('accounts:remove', z.tuple([z.strictObject({ account: accountRef })]), returns<void>()),
  },
  certificates: {
    /** Every certificate of every account with its states; read again from the providers when `refresh` (or when old). */
    list: method('certificates:list', z.tuple([z.strictObject({ refresh: z.boolean().optional() }).optional()]), returns<CertificateInventory>()),
    /** One certificate with its versions and deployment history, read from its provider. */
    show: method('certificates:show', z.tuple([z.strictObject(certificateTarget)]), returns<CertificateDetail>()),
    /** Creates a certificate with its first version. */
    create: method(
      'certificates:create',
      z.tuple([z.strictObject({ account: accountRef, name: z.string().trim().min(1, 'a certificate needs a name').max(200), material: VersionMaterialSchema, comment })]),
      returns<VersionCreated>(),
    ),
    /** Deletes a certificate deployed nowhere (CONFLICT, naming the environments, otherwise). */
    delete: method('certificates:delete', z.tuple([z.strictObject(certificateTarget)]), returns<void>()),
  },
  versions: {
    /** Adds a version: dropped files (a certificate without its key keeps the latest version's key), or a self-signed placeholder for a new key. */
    add: method('versions:add', z.tuple([z.strictObject({ ...certificateTarget, material: VersionMaterialSchema, comment })]), returns<VersionCreated>()),
    /** The CSR of the latest version, for the CA. */
    csr: method('versions:csr', z.tuple([z.strictObject(certificateTarget)]), returns<CertificateCsr>()),
    /** The subject, names and key type of the latest version, to re-key it (a new key and CSR for the same names). */
    rekeyTemplate: method('versions:rekey-template', z.tuple([z.strictObject(certificateTarget)]), returns<RekeyTemplate>()),
  },
  deployments: {
    /** Starts deploying a version to an environment, or undeploying it; main follows the task and sends its progress. */
    start: method(
      'deployments:start',
      z.tuple([z.strictObject({ ...certificateTarget, env: envName, action: z.enum(['deploy', 'undeploy']), version: z.number().int().min(1).optional() })]),
      returns<TaskSummary>(),
    ),
    /** Deploys the version in staging to production. */
    promote: method('deployments:promote', z.tuple([z.strictObject(certificateTarget)]), returns<TaskSummary>()),
    /** Deploys an earlier version to an environment. */
    rollback: method('deployments:rollback', z.tuple([z.strictObject({ ...certificateTarget, env: envName, version: z.number().int().min(1) })]), returns<TaskSummary>()),
    /** What would change in `env` if `version` were deployed there. */
    diff: method('deployments:diff', z.tuple([z.strictObject({ ...certificateTarget, env: envName, version: z.number().int().min(1) })]), returns<DeploymentDiff>()),
  },
  tasks: {
    /** Every deployment task, newest first. */
    list: method('tasks:list', none, returns<TaskSummary[]>()),
    /** One task, read again from its provider while it runs. */
    get: method('tasks:get', z.tuple([z.strictObject({ id: z.string().regex(/^t_[0-9a-f]{16}$/, 'must be a task id (t_ and 16 hex digits)') })]), returns<TaskSummary>()),
    /** Starts a failed task again (a new task). */
    retry: method('tasks:retry', z.tuple([z.strictObject({ id: z.string().regex(/^t_[0-9a-f]{16}$/, 'must be a task id (t_ and 16 hex digits)') })]), returns<TaskSummary>()),
  },
  expiry: {
    /** Expiry dates of every certificate in every environment, and the attention list. */
    overview: method('expiry:overview', none, returns<ExpiryOverview>()),
  },
} as const;

/** The method table's type. */
export type ApiTable = typeof API;

type ClientMethod<S> = S extends MethodSpec<infer A, infer R> ? (...args: z.input<A>) => Promise<R> : never;
type ServerMethod<S> = S extends MethodSpec<infer A, infer R> ? (...args: z.output<A>) => Promise<R> : never;

/** Everything the renderer may call: `window.certdesk`. */
export type CertdeskApi = {
  readonly [N in keyof ApiTable]: { readonly [M in keyof ApiTable[N]]: ClientMethod<ApiTable[N][M]> };
} & { readonly events: CertdeskEventsApi };

/** What main implements: one function per method, receiving arguments already parsed by their schema. */
export type ApiImplementation = {
  readonly [N in keyof ApiTable]: { readonly [M in keyof ApiTable[N]]: ServerMethod<ApiTable[N][M]> };
};

/** Every method as `[namespace, name, spec]`, in declaration order. */
export function apiMethods(): readonly (readonly [string, string, MethodSpec])[] {
  const out: (readonly [string, string, MethodSpec])[] = [];
  for (const [ns, methods] of Object.entries(API)) {
    for (const [name, spec] of Object.entries(methods as Record<string, MethodSpec>)) out.push([ns, name, spec]);
  }
  return out;
}

/** Every IPC channel, `domain:verb`, one per API method (`API.keys.list.channel` names one). */
export const CHANNELS: readonly string[] = Object.freeze(apiMethods().map(([, , spec]) => spec.channel));
