/**
 * Writing certificates and keys out: PEM/DER certificates, a full-chain PEM in issued-to-issuer
 * order, and password-encrypted PKCS#8 keys. PKCS#12 lives in `pkcs12-write.ts`.
 */
import { X509Certificate, createHash, type KeyObject } from 'node:crypto';
import { CertdeskError } from '../../shared/errors.js';
import { pemBlock } from './pem.js';

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function parseCertificate(der: Buffer, fileName: string): X509Certificate {
  try {
    return new X509Certificate(der);
  } catch (err) {
    throw new CertdeskError('CERTIFICATE_INVALID', `${fileName} does not hold a valid certificate.`, { file: fileName }, { cause: err });
  }
}

/** PEM text ("CERTIFICATE") for a DER certificate; CERTIFICATE_INVALID when it is not one. */
export function certificatePem(der: Buffer, fileName = 'the certificate'): string {
  parseCertificate(der, fileName);
  return pemBlock('CERTIFICATE', der);
}

/**
 * The DER bytes of a certificate given as PEM (text or bytes) or DER. With several PEM
 * certificates (a full-chain file) the first one — by convention the leaf — is returned.
 */
export function certificateDer(pemOrDer: Buffer | string, fileName = 'the certificate'): Buffer {
  const bytes = typeof pemOrDer === 'string' ? Buffer.from(pemOrDer, 'utf8') : pemOrDer;
  if (bytes.length === 0) throw new CertdeskError('FILE_EMPTY', `${fileName} is empty.`, { file: fileName });
  const text = bytes.subarray(0, Math.min(bytes.length, 64 * 1024 * 1024)).toString('latin1');
  if (text.includes('-----BEGIN ')) {
    const labels: string[] = [];
    for (const match of text.matchAll(PEM_BLOCK)) {
      const label = match[1] ?? '';
      labels.push(label);
      if (label !== 'CERTIFICATE' && label !== 'X509 CERTIFICATE') continue;
      const body = (match[2] ?? '').replace(/\s+/g, '');
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body) || body.length % 4 !== 0) {
        throw new CertdeskError('PEM_INVALID', `The PEM certificate in ${fileName} has invalid base64.`, { file: fileName });
      }
      const der = Buffer.from(body, 'base64');
      parseCertificate(der, fileName);
      return der;
    }
    if (labels.length === 0) {
      throw new CertdeskError('PEM_INVALID', `${fileName} has a PEM header without a matching END line.`, { file: fileName });
    }
    throw new CertdeskError(
      'NOT_A_CERTIFICATE',
      `${fileName} holds ${labels.map((l) => `"${l}"`).join(', ')} but no certificate.`,
      { file: fileName },
    );
  }
  parseCertificate(bytes, fileName);
  return Buffer.from(bytes);
}

/** A full-chain PEM and the certificates that were given but are not part of the chain. */
export interface FullChain {
  /** Leaf first, then each issuer in turn, as PEM. */
  readonly pem: string;
  /** The ordered chain as DER, leaf first. */
  readonly chain: readonly Buffer[];
  /** Given certificates that do not lie on the leaf's issuer path (in the order given). */
  readonly unused: readonly Buffer[];
}

/**
 * Orders `chainDers` from the leaf up: each next certificate is the issuer of the previous one
 * (issuer/subject names and key identifiers per OpenSSL's X509_check_issued, preferring a
 * candidate whose key verifies the signature), stopping at a self-signed certificate or when no
 * issuer is left. Duplicates (and copies of the leaf) are dropped; certificates not on the path
 * are returned in `unused`. A root given in `chainDers` is kept at the end.
 */
export function fullChainPem(leafDer: Buffer, chainDers: readonly Buffer[]): FullChain {
  const leaf = parseCertificate(leafDer, 'the leaf certificate');
  const seen = new Set<string>([createHash('sha256').update(leafDer).digest('hex')]);
  const pool: { der: Buffer; cert: X509Certificate }[] = [];
  chainDers.forEach((der, i) => {
    const fingerprint = createHash('sha256').update(der).digest('hex');
    const cert = parseCertificate(der, `chain certificate #${i + 1}`);
    if (seen.has(fingerprint)) return;
    seen.add(fingerprint);
    pool.push({ der, cert });
  });

  const ordered: Buffer[] = [Buffer.from(leafDer)];
  let current = leaf;
  while (pool.length > 0 && !selfSigned(current)) {
    const issuers = pool.filter((candidate) => current.checkIssued(candidate.cert));
    const subject = current;
    const next = issuers.find((candidate) => verifies(subject, candidate.cert)) ?? issuers[0];
    if (next === undefined) break;
    pool.splice(pool.indexOf(next), 1);
    ordered.push(Buffer.from(next.der));
    current = next.cert;
  }
  return {
    pem: ordered.map((der) => pemBlock('CERTIFICATE', der)).join(''),
    chain: ordered,
    unused: pool.map((entry) => Buffer.from(entry.der)),
  };
}

// Not X509Certificate.checkIssued(itself): OpenSSL also demands keyCertSign there, which a
// self-signed end-entity certificate does not have.
function selfSigned(cert: X509Certificate): boolean {
  return cert.subject === cert.issuer && verifies(cert, cert);
}

function verifies(subject: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return subject.verify(issuer.publicKey);
  } catch {
    return false;
  }
}

/**
 * A private key as encrypted PKCS#8 PEM ("ENCRYPTED PRIVATE KEY"): PBES2 with PBKDF2-HMAC-SHA256
 * (2048 iterations, 8-byte salt — Node/OpenSSL's defaults) and AES-256-CBC, readable by
 * `openssl pkey -passin`. The password is used as its UTF-8 bytes.
 */
export function encryptedPkcs8Pem(key: KeyObject, password: string): string {
  if (key.type !== 'private') {
    throw new CertdeskError('INVALID_ARGUMENT', 'Only a private key can be exported as encrypted PKCS#8.');
  }
  if (typeof password !== 'string') throw new CertdeskError('INVALID_ARGUMENT', 'The export password must be text.');
  return key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: password }).toString();
}
