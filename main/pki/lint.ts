/**
 * Certificate and CSR lint: what is weak, odd or about to break, in sentences an admin can act on.
 *
 * Lint never decides trust (that is `verifyChain`); it reports facts about one object. Severity:
 * 'error' for things that break clients now (expired, forbidden keys), 'warning' for things a CA,
 * CDN or browser will likely reject or that will soon break, 'info' for worth-knowing facts.
 */
import { createPublicKey } from 'node:crypto';
import type { CertificateRole, Finding } from '../../shared/pki-types.js';
import { CertdeskError } from '../../shared/errors.js';
import {
  type CertModel,
  children,
  decodeOid,
  DerError,
  EKU,
  EXT,
  EXTENSION_NAMES,
  formatIp,
  type GeneralNameModel,
  type KeyModel,
  type NameModel,
  parseAlgorithm,
  parseCertificate,
  parseGeneralNames,
  parseKey,
  parseName,
  readOnly,
  readTlv,
} from './cert-model.js';
import { isValidDnsName, normaliseDnsName, parseIp, wildcardProblem } from './hostname.js';
import { isPublicSuffix } from './public-suffix.js';
import { ekuName, isoTime, keyFindings, signatureAlgorithmInfo, verifySignedData } from './validate.js';

/** Options for `lintCertificate`. */
export interface LintOptions {
  /** The time "now" means (lint never reads the clock). */
  readonly now: Date;
  /** Warn when the certificate expires within this many days (default 30). */
  readonly expiryWindowDays?: number;
  /** Where the certificate sits; judged from the certificate when omitted. */
  readonly role?: CertificateRole;
}

const DAY_MS = 86_400_000;

function f(code: string, severity: 'error' | 'warning' | 'info', message: string): Finding {
  return { code, message, severity };
}

/** The role a certificate plays, judged from the certificate alone. */
export function roleOf(cert: CertModel): CertificateRole {
  if (!cert.basicConstraints?.ca) return 'leaf';
  return cert.selfIssued ? 'root' : 'intermediate';
}

/** CA/Browser Forum maximum validity (days) for a TLS certificate issued at `notBefore`. */
export function maxValidityDays(notBefore: Date): { days: number; since: string } {
  const t = notBefore.getTime();
  const at = (s: string): number => Date.parse(`${s}T00:00:00Z`);
  if (t >= at('2029-03-15')) return { days: 47, since: '2029-03-15' };
  if (t >= at('2027-03-15')) return { days: 100, since: '2027-03-15' };
  if (t >= at('2026-03-15')) return { days: 200, since: '2026-03-15' };
  if (t >= at('2020-09-01')) return { days: 398, since: '2020-09-01' };
  if (t >= at('2018-03-01')) return { days: 825, since: '2018-03-01' };
  if (t >= at('2015-04-01')) return { days: 1185, since: '2015-04-01' }; // 39 months
  return { days: 1826, since: '2012-07-01' }; // 60 months
}

/** Key findings for lint: forbidden keys are errors, weak or unusual ones warnings. */
function keyLint(k: KeyModel, who: string): Finding[] {
  const out: Finding[] = [];
  if (k.type === 'rsa') {
    if (k.bits < 2048) out.push(f('WEAK_KEY', k.bits < 1024 ? 'error' : 'warning', `${who} has a ${k.bits}-bit RSA key; use at least 2048 bits`));
    const e = k.exponent;
    if (e < 3n || e % 2n === 0n) {
      out.push(f('BAD_RSA_EXPONENT', 'warning', `${who} has an invalid RSA public exponent (${e}); it must be odd and at least 3 (65537 is standard)`));
    } else if (e !== 65537n) {
      out.push(f('BAD_RSA_EXPONENT', e < 65537n ? 'warning' : 'info', `${who} has an unusual RSA public exponent (${e}); 65537 is what CAs and clients expect`));
    }
    return out;
  }
  if (k.type === 'ec') {
    if (k.curve === 'P-521') out.push(f('UNUSUAL_CURVE', 'info', `${who} uses curve P-521, which some clients and CDNs do not support; P-256 or P-384 is safest`));
    else if (k.curve !== 'P-256' && k.curve !== 'P-384') {
      out.push(f('UNUSUAL_CURVE', 'warning', `${who} uses curve ${k.curve}, which browsers do not accept; use P-256 or P-384`));
    }
    return out;
  }
  const v = keyFindings(k, who);
  return [...v.errors, ...v.warnings];
}

/** Findings about DNS/IP names: syntax, wildcards, public suffixes. */
function nameLint(names: readonly GeneralNameModel[], cn: string | undefined, who: string): Finding[] {
  const out: Finding[] = [];
  const dns = names.filter((n): n is Extract<GeneralNameModel, { type: 'dns' }> => n.type === 'dns').map((n) => n.value);
  const ips = names.filter((n): n is Extract<GeneralNameModel, { type: 'ip' }> => n.type === 'ip').map((n) => formatIp(n.bytes));
  for (const d of dns) {
    const w = wildcardProblem(d);
    if (w) out.push(f('WILDCARD_MISUSE', 'warning', `${who} lists "${d}", which browsers will not match: ${w}`));
    else if (!isValidDnsName(d.replace(/^\*\./, ''))) out.push(f('INVALID_DNS_NAME', 'warning', `${who} lists "${d}", which is not a valid DNS name`));
    else if (!d.includes('*') && isPublicSuffix(d)) out.push(f('PUBLIC_SUFFIX_NAME', 'warning', `${who} lists "${d}", which is a public suffix, not a host name`));
    if (d.includes('*') && d.startsWith('*.') && d.includes('_')) out.push(f('INVALID_DNS_NAME', 'warning', `${who} lists "${d}" with an underscore`));
  }
  if (cn !== undefined) {
    const ip = parseIp(cn);
    const inSans = ip ? ips.includes(formatIp(ip)) : dns.some((d) => normaliseDnsName(d) === normaliseDnsName(cn));
    if (names.length > 0 && !inSans) out.push(f('CN_NOT_IN_SAN', 'warning', `the common name "${cn}" is not among the subjectAltNames (${[...dns, ...ips].join(', ') || 'none'}); browsers only use the subjectAltNames`));
    if (cn.includes('*')) {
      const w = wildcardProblem(cn);
      if (w) out.push(f('WILDCARD_MISUSE', 'warning', `the common name "${cn}" is not a usable wildcard: ${w}`));
    }
  }
  return out;
}

function serialLint(serial: Uint8Array): Finding[] {
  const out: Finding[] = [];
  const negative = serial.length > 0 && ((serial[0] as number) & 0x80) !== 0;
  const zero = serial.every((b) => b === 0);
  if (negative || zero) out.push(f('SERIAL_NOT_POSITIVE', 'warning', 'the serial number is zero or negative; RFC 5280 requires a positive serial number'));
  let i = 0;
  while (i < serial.length - 1 && serial[i] === 0) i++;
  const significant = serial.length - i;
  if (significant < 8) out.push(f('SERIAL_LOW_ENTROPY', 'warning', `the serial number is only ${significant} byte${significant === 1 ? '' : 's'} long; the Baseline Requirements call for at least 64 random bits`));
  if (serial.length > 20) out.push(f('SERIAL_TOO_LONG', 'warning', `the serial number is ${serial.length} bytes long; RFC 5280 allows at most 20`));
  return out;
}

/** Lints one DER certificate. Throws CertdeskError CERTIFICATE_INVALID when it cannot be parsed. */
export function lintCertificate(der: Uint8Array, opts: LintOptions): Finding[] {
  return lintCertificateModel(parseCertificate(der), opts);
}

/** Lints an already-parsed certificate (see `lintCertificate`). */
export function lintCertificateModel(cert: CertModel, opts: LintOptions): Finding[] {
  const out: Finding[] = [];
  const role = opts.role ?? roleOf(cert);
  const now = opts.now.getTime();
  const window = opts.expiryWindowDays ?? 30;
  const who = role === 'leaf' ? 'the certificate' : `${role} '${cert.label}'`;

  if (now > cert.notAfter.getTime()) out.push(f('EXPIRED', 'error', `${who} expired on ${isoTime(cert.notAfter)}`));
  else if (now < cert.notBefore.getTime()) out.push(f('NOT_YET_VALID', 'warning', `${who} is not valid until ${isoTime(cert.notBefore)}`));
  else if (cert.notAfter.getTime() - now < window * DAY_MS) {
    const days = Math.max(0, Math.floor((cert.notAfter.getTime() - now) / DAY_MS));
    out.push(f('EXPIRING_SOON', 'warning', `${who} expires on ${isoTime(cert.notAfter)}, in ${days} day${days === 1 ? '' : 's'}`));
  }

  out.push(...keyLint(cert.key, who));

  const sig = signatureAlgorithmInfo(cert.signatureAlgorithm);
  if (sig?.weak) {
    out.push(
      role === 'root'
        ? f('WEAK_SIGNATURE_ALGORITHM', 'info', `${who} is self-signed with ${sig.name}; harmless on a trusted root, whose signature is not checked`)
        : f('WEAK_SIGNATURE_ALGORITHM', 'error', `${who} is signed with ${sig.name}; browsers reject ${sig.weak.toUpperCase()} signatures`),
    );
  } else if (!sig) out.push(f('UNSUPPORTED_SIGNATURE_ALGORITHM', 'warning', `${who} is signed with an algorithm browsers do not accept (${cert.signatureAlgorithm.oid})`));

  if (cert.version !== 3) out.push(f('NOT_V3', 'warning', `${who} is an X.509 v${cert.version} certificate; only v3 certificates are accepted for TLS`));
  for (const p of cert.problems) out.push(f(p.code, 'warning', `${who}: ${p.message}`));
  for (const e of cert.extensions) {
    const known = Object.values(EXT) as string[];
    if (e.critical && !known.includes(e.oid)) out.push(f('UNKNOWN_CRITICAL_EXTENSION', 'warning', `${who} has a critical extension clients do not understand (${EXTENSION_NAMES[e.oid] ?? e.oid}); they will reject it`));
  }
  out.push(...serialLint(cert.serial));

  if (role === 'leaf') {
    const names = cert.subjectAltName?.names ?? [];
    if (!cert.subjectAltName) out.push(f('SAN_MISSING', 'warning', 'the certificate has no subjectAltName; browsers ignore the common name, so it is valid for no host name'));
    out.push(...nameLint(names, cert.subject.commonNames[0], who));
    const lifetime = cert.notAfter.getTime() - cert.notBefore.getTime() + 1000;
    const max = maxValidityDays(cert.notBefore);
    if (lifetime > max.days * DAY_MS) {
      const days = Math.round(lifetime / DAY_MS);
      out.push(f('VALIDITY_TOO_LONG', 'warning', `the certificate is valid for ${days} days; publicly-trusted certificates issued since ${max.since} may be valid for at most ${max.days} days`));
    }
    if (cert.basicConstraints?.ca) out.push(f('LEAF_IS_CA', 'warning', 'the certificate is a CA certificate (basicConstraints cA=TRUE); a server certificate must not be a CA'));
    const eku = cert.extKeyUsage;
    if (!eku) out.push(f('EKU_MISSING', 'warning', 'the certificate has no extended key usage; publicly-trusted server certificates must list server authentication'));
    else if (!eku.oids.includes(EKU.serverAuth)) out.push(f('EKU_NO_SERVER_AUTH', 'warning', `the certificate is for ${eku.oids.map(ekuName).join(', ')}, not for server authentication`));
  }

  if (role !== 'root') {
    if (cert.ocsp.length === 0 && cert.crlDistributionPoints.length === 0) {
      out.push(f('REVOCATION_INFO_MISSING', 'warning', `${who} has neither an OCSP URL nor a CRL distribution point, so clients cannot check revocation`));
    } else if (cert.ocsp.length === 0) {
      out.push(f('OCSP_MISSING', 'info', `${who} has no OCSP URL (revocation is published by CRL only, as Let's Encrypt does since 2025)`));
    }
    if (cert.caIssuers.length === 0) out.push(f('AIA_MISSING', 'info', `${who} has no CA Issuers URL, so clients cannot fetch a missing intermediate`));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// CSR

/** What lint needs from a PKCS#10 request. */
interface CsrModel {
  readonly subject: NameModel;
  readonly key: KeyModel;
  readonly names: readonly GeneralNameModel[] | null;
  readonly signatureValid: { ok: true } | { ok: false; message: string };
}

function parseCsr(der: Uint8Array): CsrModel {
  const outer = readOnly(der, 0x30);
  const [infoT, algT, sigT, extra] = children(outer.value);
  if (!infoT || !algT || !sigT || extra || infoT.tag !== 0x30 || sigT.tag !== 0x03) throw new DerError('not a CertificationRequest');
  const [versionT, subjectT, spkiT, attrsT] = children(infoT.value);
  if (!versionT || !subjectT || !spkiT || versionT.tag !== 0x02) throw new DerError('CertificationRequestInfo is missing fields');
  const subject = parseName(subjectT.raw);
  const [spkiAlgT, spkiBits] = children(spkiT.value);
  if (!spkiAlgT || !spkiBits) throw new DerError('malformed SubjectPublicKeyInfo');
  const key = parseKey(parseAlgorithm(spkiAlgT), spkiBits.value);
  let names: GeneralNameModel[] | null = null;
  if (attrsT && attrsT.tag === 0xa0) {
    for (const attr of children(attrsT.value)) {
      const [typeT, valuesT] = children(attr.value);
      if (!typeT || !valuesT || decodeOid(typeT.value) !== '1.2.840.113549.1.9.14') continue;
      const [extsT] = children(valuesT.value);
      if (!extsT) continue;
      for (const e of children(extsT.value)) {
        const parts = children(e.value);
        const oidT = parts[0];
        const valT = parts[parts.length - 1];
        if (oidT && valT && decodeOid(oidT.value) === EXT.subjectAltName) names = parseGeneralNames(readTlv(valT.value).value);
      }
    }
  }
  let pub = null;
  try {
    pub = createPublicKey({ key: Buffer.from(spkiT.raw), format: 'der', type: 'spki' });
  } catch {
    pub = null;
  }
  const check = verifySignedData(infoT.raw, parseAlgorithm(algT), sigT.value.subarray(1), pub, 'the request', 'its own public key');
  return { subject, key, names, signatureValid: check.ok ? { ok: true } : { ok: false, message: check.message } };
}

/** Lints a DER PKCS#10 CSR before it goes to a CA. Throws CertdeskError CSR_INVALID when unreadable. */
export function lintCsr(der: Uint8Array, fileName = 'CSR'): Finding[] {
  let csr: CsrModel;
  try {
    csr = parseCsr(der);
  } catch (err) {
    throw new CertdeskError('CSR_INVALID', `${fileName} is not a valid PKCS#10 certificate request: ${err instanceof Error ? err.message : String(err)}`, { file: fileName }, { cause: err });
  }
  const out: Finding[] = [];
  if (!csr.signatureValid.ok) out.push(f('CSR_SIGNATURE_INVALID', 'error', `${csr.signatureValid.message}; a CA will refuse it`));
  out.push(...keyLint(csr.key, 'the request'));
  const cn = csr.subject.commonNames[0];
  const names = csr.names ?? [];
  if (!csr.names) {
    out.push(f('SAN_MISSING', 'warning', 'the request has no subjectAltName; most CAs copy the common name into one, but browsers only use subjectAltNames'));
    if (cn !== undefined && !parseIp(cn)) {
      const w = wildcardProblem(cn);
      if (w) out.push(f('WILDCARD_MISUSE', 'warning', `the common name "${cn}" is not a usable wildcard: ${w}`));
      else if (!isValidDnsName(cn.replace(/^\*\./, ''))) out.push(f('INVALID_DNS_NAME', 'warning', `the common name "${cn}" is not a valid DNS name`));
      else if (!cn.includes('*') && isPublicSuffix(cn)) out.push(f('PUBLIC_SUFFIX_NAME', 'warning', `the common name "${cn}" is a public suffix, not a host name`));
    }
  }
  out.push(...nameLint(names, csr.names ? cn : undefined, 'the request'));
  if (cn === undefined && names.length === 0) out.push(f('NO_NAMES', 'warning', 'the request names no host: it has neither a common name nor subjectAltNames'));
  return out;
}
