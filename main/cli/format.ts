/**
 * Human-readable rendering of inspected objects for terminal output.
 */
import type { CertificateInfo, CsrInfo, Finding, ObjectInfo, PrivateKeyInfo, PublicKeyInfo, San } from '../../shared/pki-types.js';

/** "RSA 2048", "EC P-256"… */
export function describeKey(pk: PublicKeyInfo): string {
  switch (pk.algorithm) {
    case 'RSA':
    case 'RSA-PSS':
      return `${pk.algorithm} ${pk.bits}`;
    case 'EC':
      return `EC ${pk.curve}`;
    case 'Ed25519':
    case 'Ed448':
      return pk.algorithm;
    default:
      return `unknown (${pk.oid})`;
  }
}

/** "DNS:a, IP:192.0.2.1" */
export function describeSans(sans: readonly San[]): string {
  return sans.length === 0 ? '(none)' : sans.map((s) => `${s.type.toUpperCase()}:${s.value}`).join(', ');
}

function findings(list: readonly Finding[], indent: string): string[] {
  return list.map((f) => `${indent}! ${f.severity ?? 'warning'} ${f.code}: ${f.message}`);
}

function daysLeft(notAfter: string, now: Date): string {
  const days = Math.floor((Date.parse(notAfter) - now.getTime()) / 86_400_000);
  return days < 0 ? `expired ${-days} days ago` : `expires in ${days} days`;
}

function certificate(c: CertificateInfo, now: Date): string[] {
  return [
    `  certificate (${c.role})  ${c.subject || '(empty subject)'}`,
    `    issuer     ${c.issuer}`,
    `    names      ${describeSans(c.sans)}`,
    `    valid      ${c.notBefore} → ${c.notAfter} (${daysLeft(c.notAfter, now)})`,
    `    key        ${describeKey(c.publicKey)}  spki-sha256 ${c.spkiSha256}`,
    `    serial     ${c.serialNumber}`,
    `    sha256     ${c.fingerprints.sha256}`,
    `    signature  ${c.signatureAlgorithm}${c.isCA ? `  CA${c.pathLength !== null ? ` pathlen ${c.pathLength}` : ''}` : ''}`,
    ...(c.extendedKeyUsage.length ? [`    usage      ${[...c.keyUsage, ...c.extendedKeyUsage].join(', ')}`] : []),
    ...findings(c.warnings, '    '),
  ];
}

function key(k: PrivateKeyInfo): string[] {
  return [`  private key  ${describeKey(k.publicKey)}  (${k.format}${k.encrypted ? ', was encrypted' : ''})  spki-sha256 ${k.spkiSha256}`];
}

function csr(c: CsrInfo): string[] {
  return [
    `  CSR  ${c.subject || '(empty subject)'}`,
    `    names      ${describeSans(c.sans)}`,
    `    key        ${describeKey(c.publicKey)}  spki-sha256 ${c.spkiSha256}`,
    `    signature  ${c.signatureAlgorithm} (${c.signatureValid ? 'valid' : 'INVALID'})`,
    ...findings(c.warnings, '    '),
  ];
}

/** Renders one inspected object as indented lines. */
export function renderObject(o: ObjectInfo, now: Date): string[] {
  switch (o.kind) {
    case 'certificate':
      return certificate(o, now);
    case 'private-key':
      return key(o);
    case 'csr':
      return csr(o);
  }
}
