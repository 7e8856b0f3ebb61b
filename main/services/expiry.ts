/**
 * Expiry and attention states of a certificate, per environment: pure, with `now` passed in.
 *
 * States (cli.md `states`):
 * - `expiring`: what is deployed in some environment expires within the window (default 30
 *   days) or has expired; for a certificate deployed nowhere, its latest version is judged.
 * - `renewed-not-deployed`: a newer version exists than the one in production (and, when both
 *   expiries are known, it lasts longer: a renewal, not an older placeholder).
 * - `staging-differs`: staging and production both hold a version, and not the same one.
 * - `not-owner`: the provider names an owner and it is not the account's customer.
 */

/** An attention state of a certificate. */
export type CertificateState = 'expiring' | 'renewed-not-deployed' | 'staging-differs' | 'not-owner';

/** The states in the order they are reported. */
export const CERTIFICATE_STATES: readonly CertificateState[] = ['expiring', 'renewed-not-deployed', 'staging-differs', 'not-owner'];

/** Default warning window, in days. */
export const DEFAULT_EXPIRY_WINDOW_DAYS = 30;

const DAY_MS = 86_400_000;

/** What the assessment looks at. */
export interface ExpiryInput {
  /** Environment → deployed version number. */
  readonly deployed: Readonly<Record<string, number>>;
  /** Environment → expiry of what is deployed there (ISO 8601). */
  readonly deployedExpiresAt: Readonly<Record<string, string>>;
  readonly latestVersion: number | null;
  /** Expiry of the latest version. */
  readonly latestExpiresAt: string | null;
  /** Expiry of a version by number, when known (to tell a renewal from an older placeholder). */
  readonly versionExpiresAt?: (version: number) => string | null;
  /** The provider's owner of the certificate. */
  readonly owner: string | null;
  /** The account's own customer id, when known. */
  readonly customerId?: string | null;
  readonly now: Date;
  readonly windowDays?: number;
}

/** One environment's expiry. */
export interface EnvironmentExpiry {
  readonly env: string;
  readonly version: number | null;
  readonly notAfter: string | null;
  /** Whole days until `notAfter` (negative once expired), or null when unknown. */
  readonly daysLeft: number | null;
  readonly expired: boolean;
  readonly expiring: boolean;
}

/** The assessment of one certificate. */
export interface ExpiryReport {
  readonly environments: readonly EnvironmentExpiry[];
  readonly states: readonly CertificateState[];
  /** The fewest days left over the deployed environments (or the latest version when deployed nowhere). */
  readonly daysLeft: number | null;
}

/** Whole days from `now` until `notAfter` (rounded down; negative once expired); null for an unreadable time. */
export function daysLeft(notAfter: string, now: Date): number | null {
  const t = Date.parse(notAfter);
  if (Number.isNaN(t)) return null;
  return Math.floor((t - now.getTime()) / DAY_MS);
}

function judge(env: string, version: number | null, notAfter: string | null, now: Date, windowDays: number): EnvironmentExpiry {
  const left = notAfter !== null ? daysLeft(notAfter, now) : null;
  const t = notAfter !== null ? Date.parse(notAfter) : Number.NaN;
  const expired = !Number.isNaN(t) && t <= now.getTime();
  const expiring = !Number.isNaN(t) && t - now.getTime() <= windowDays * DAY_MS;
  return { env, version, notAfter, daysLeft: left, expired, expiring };
}

/** Days left per environment and the certificate's attention states. */
export function assessCertificate(input: ExpiryInput): ExpiryReport {
  const windowDays = input.windowDays ?? DEFAULT_EXPIRY_WINDOW_DAYS;
  const envNames = [...new Set([...Object.keys(input.deployed), ...Object.keys(input.deployedExpiresAt)])].sort();
  const environments = envNames.map((env) => {
    const version = input.deployed[env] ?? null;
    const notAfter = input.deployedExpiresAt[env] ?? (version !== null ? (input.versionExpiresAt?.(version) ?? null) : null);
    return judge(env, version, notAfter, input.now, windowDays);
  });
  const judged = environments.length > 0 ? environments : [judge('latest', input.latestVersion, input.latestExpiresAt, input.now, windowDays)];

  const states = new Set<CertificateState>();
  if (judged.some((e) => e.expiring)) states.add('expiring');

  const production = input.deployed.production;
  if (production !== undefined && input.latestVersion !== null && input.latestVersion > production) {
    const newer = input.latestExpiresAt ?? input.versionExpiresAt?.(input.latestVersion) ?? null;
    const live = input.deployedExpiresAt.production ?? input.versionExpiresAt?.(production) ?? null;
    const lastsLonger = newer === null || live === null || Date.parse(newer) > Date.parse(live);
    if (lastsLonger) states.add('renewed-not-deployed');
  }

  const staging = input.deployed.staging;
  if (staging !== undefined && production !== undefined && staging !== production) states.add('staging-differs');

  const customer = input.customerId ?? null;
  if (input.owner !== null && customer !== null && input.owner !== customer) states.add('not-owner');

  const lefts = judged.map((e) => e.daysLeft).filter((d): d is number => d !== null);
  return {
    environments,
    states: CERTIFICATE_STATES.filter((s) => states.has(s)),
    daysLeft: lefts.length > 0 ? Math.min(...lefts) : null,
  };
}
