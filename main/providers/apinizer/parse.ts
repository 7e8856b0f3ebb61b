/**
 * Readers for Apinizer Management API certificate responses (providers.md §2).
 *
 * `{success, resultList:[{name, description, certificateEnvironmentList:[…]}]}` for list and get,
 * `{success, deploymentResult:{success, message, environmentResults:[…]}}` for create, update and
 * delete. Unknown fields are ignored; `base64EncodedContent` is optional (the list leaves it out
 * "for performance"); a `sha1Thumbprint` is accepted in any case, with or without separators.
 * Apinizer keeps no version numbers, so a certificate's environments are reported as slots
 * (fingerprint, validity, subject, content) for the services to match to local versions.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CertdeskError } from '../../../shared/errors.js';
import { isObject, isoTime, nonEmpty, objects, str, type Json } from '../json-fields.js';
import type { CertificateDetail, CertificateSummary, EnvironmentResult, SlotState } from '../types.js';

/** ISO 8601 UTC without milliseconds, or null (the reader in ../json-fields.ts). */
export { isoTime };

/** One environment's copy of a certificate, as Apinizer lists it. */
export interface ApinizerEnvironmentEntry {
  readonly environmentName: string;
  readonly startDate: string | null;
  readonly endDate: string | null;
  /** Base64 of the certificate (DER), when the response includes it. */
  readonly base64EncodedContent: string | null;
  /** Lowercase hex, separators removed. */
  readonly sha1Thumbprint: string | null;
  readonly subjectDn: string | null;
  readonly alias: string | null;
}

/** A certificate with its environments. */
export interface ApinizerCertificate {
  readonly name: string;
  readonly description: string;
  readonly environments: readonly ApinizerEnvironmentEntry[];
}

/** What a create, update or delete reported. */
export interface ApinizerDeploymentResult {
  readonly success: boolean;
  readonly message: string | null;
  readonly environmentResults: readonly EnvironmentResult[];
}

function badResponse(what: string, why = 'an unexpected response'): CertdeskError {
  return new CertdeskError('PROVIDER_ERROR', `Apinizer sent ${why} for ${what}`, { provider: 'apinizer' });
}

/** A hex thumbprint in any spelling → lowercase hex without separators. */
export function normaliseThumbprint(value: unknown): string | null {
  const text = nonEmpty(value);
  if (text === null) return null;
  const compact = text.replace(/[\s:-]/g, '').toLowerCase();
  return compact === '' ? null : compact;
}

/** Throws PROVIDER_REJECTED when a 200 envelope says `success: false`. */
function checkEnvelope(json: unknown, what: string): Json {
  if (!isObject(json)) throw badResponse(what);
  if (json.success === false && !isObject(json.deploymentResult)) {
    const said = nonEmpty(json.error_description) ?? nonEmpty(json.message) ?? nonEmpty(json.error);
    throw new CertdeskError('PROVIDER_REJECTED', `Apinizer refused to ${what}${said !== null ? `: ${said}` : ''}`, { provider: 'apinizer' });
  }
  return json;
}

function parseEnvironment(entry: Json): ApinizerEnvironmentEntry | null {
  const environmentName = nonEmpty(entry.environmentName);
  if (environmentName === null) return null;
  return {
    environmentName,
    startDate: isoTime(entry.startDate),
    endDate: isoTime(entry.endDate),
    base64EncodedContent: nonEmpty(entry.base64EncodedContent),
    sha1Thumbprint: normaliseThumbprint(entry.sha1Thumbprint),
    subjectDn: nonEmpty(entry.subjectDn),
    alias: nonEmpty(entry.alias),
  };
}

/** Reads one certificate object. */
function parseCertificate(entry: Json): ApinizerCertificate | null {
  const name = nonEmpty(entry.name);
  if (name === null) return null;
  return {
    name,
    description: str(entry.description) ?? '',
    environments: objects(entry.certificateEnvironmentList)
      .map(parseEnvironment)
      .filter((e): e is ApinizerEnvironmentEntry => e !== null),
  };
}

/** Reads a list or get response (`resultList`; a bare array or a single object is tolerated). */
export function parseCertificateList(json: unknown, what = 'list certificates'): ApinizerCertificate[] {
  let entries: Json[];
  if (Array.isArray(json)) entries = objects(json);
  else {
    const body = checkEnvelope(json, what);
    if (Array.isArray(body.resultList)) entries = objects(body.resultList);
    else if (isObject(body.result)) entries = [body.result];
    else if (nonEmpty(body.name) !== null) entries = [body];
    else if (body.resultList === undefined || body.resultList === null) entries = [];
    else throw badResponse(what);
  }
  return entries.map(parseCertificate).filter((c): c is ApinizerCertificate => c !== null);
}

/** Reads the `deploymentResult` of a create, update or delete. */
export function parseDeploymentResult(json: unknown, what: string): ApinizerDeploymentResult {
  if (!isObject(json)) throw badResponse(what);
  const result = isObject(json.deploymentResult) ? json.deploymentResult : undefined;
  const environmentResults = objects(result?.environmentResults).map((r): EnvironmentResult => ({
    environment: nonEmpty(r.environmentName) ?? nonEmpty(r.environment) ?? '(unnamed)',
    success: r.success === true,
    message: nonEmpty(r.message) ?? nonEmpty(r.error_description) ?? nonEmpty(r.error),
  }));
  const overall =
    json.success !== false && (result === undefined || result.success !== false) && environmentResults.every((r) => r.success);
  const message = nonEmpty(result?.message) ?? nonEmpty(json.message) ?? nonEmpty(json.error_description);
  return { success: overall, message, environmentResults };
}

/** Base64 content (DER, or PEM text base64-encoded) → a PEM certificate, or null when it is neither. */
export function certificatePemFromContent(base64: string | null): string | null {
  if (base64 === null) return null;
  const bytes = Buffer.from(base64.replace(/\s+/g, ''), 'base64');
  if (bytes.length === 0) return null;
  const asText = bytes.toString('latin1');
  if (asText.includes('-----BEGIN CERTIFICATE-----')) {
    const block = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/.exec(asText);
    return block !== null ? `${block[0].replace(/\r\n?/g, '\n')}\n` : null;
  }
  try {
    return new X509Certificate(bytes).toString();
  } catch {
    return null;
  }
}

/** The slot an environment entry describes; SHA-256 when the content is there, else Apinizer's SHA-1. */
export function slotFromEntry(entry: ApinizerEnvironmentEntry): SlotState {
  const pem = certificatePemFromContent(entry.base64EncodedContent);
  let fingerprint = entry.sha1Thumbprint;
  let fingerprintAlgorithm: SlotState['fingerprintAlgorithm'] =
    fingerprint === null ? 'unknown' : /^[0-9a-f]{40}$/.test(fingerprint) ? 'sha1' : /^[0-9a-f]{64}$/.test(fingerprint) ? 'sha256' : 'unknown';
  if (pem !== null) {
    fingerprint = createHash('sha256').update(new X509Certificate(pem).raw).digest('hex');
    fingerprintAlgorithm = 'sha256';
  }
  return {
    fingerprint,
    fingerprintAlgorithm,
    notBefore: entry.startDate,
    expiresAt: entry.endDate,
    subject: entry.subjectDn,
    certificatePem: pem,
  };
}

/** The summary of a certificate: no versions, one slot per environment it is deployed in. */
export function toSummary(cert: ApinizerCertificate): CertificateSummary {
  const slots: Record<string, SlotState> = {};
  const deployedExpiresAt: Record<string, string> = {};
  for (const entry of cert.environments) {
    slots[entry.environmentName] = slotFromEntry(entry);
    if (entry.endDate !== null) deployedExpiresAt[entry.environmentName] = entry.endDate;
  }
  const ends = Object.values(deployedExpiresAt).sort();
  return {
    id: cert.name,
    name: cert.name,
    owner: null,
    latestVersion: null,
    autoRenew: false,
    forceRenew: false,
    caOnly: false,
    createdAt: null,
    updatedAt: null,
    // No "latest version" on Apinizer: the soonest expiry is the one that matters.
    expiresAt: ends[0] ?? null,
    versionInStaging: null,
    versionInProduction: null,
    deployed: {},
    deployedExpiresAt,
    slots,
  };
}

/** The detail of a certificate: the summary plus its description; no versions, no usage. */
export function toDetail(cert: ApinizerCertificate): CertificateDetail {
  return { ...toSummary(cert), description: cert.description, versions: [], usage: [] };
}
