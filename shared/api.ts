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
  readonly account: string;
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

/** A certificate that needs attention. */
export interface ExpiryAlert {
  readonly account: string;
  readonly certificate: string;
  readonly certificateName: string;
  readonly states: readonly ('expiring' | 'renewed-not-deployed' | 'staging-differs' | 'not-owner')[];
  readonly daysLeft: number | null;
}

/** What the application menu asks the renderer to do. */
export const MENU_COMMANDS = ['import-files', 'generate-csr', 'show-certificates', 'show-tasks', 'show-expiry', 'show-keys', 'toggle-dark-mode'] as const;
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

/** `csr.create`: a CSR for a vault key, or for a new key generated in main. */
export const CsrRequestSchema = z.union([
  z.strictObject({ keyId, ...csrNames }),
  z.strictObject({ newKeyType: KeyTypeSchema, label, ...csrNames }),
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
