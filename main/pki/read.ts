/**
 * `readMaterial`: whatever a user drops (PEM in any arrangement, DER, PKCS#7, PKCS#12) → the
 * certificates, private keys and CSRs inside, or a CertdeskError naming the file and the problem.
 *
 * Pure and synchronous. Input is bounded (MAX_INPUT_BYTES), the DER walker bounds nesting and
 * never allocates on a length field, and key-derivation work is capped in pkcs12-read.ts.
 */
import { createPrivateKey } from 'node:crypto';
import { CertdeskError, type ErrorCode } from '../../shared/errors.js';
import { DerError, TAG, children, ctxTag, oid, readTlv, seq, smallInt, toBuffer, type Tlv } from './der.js';
import { decodeCertificate, decodeCsr } from './inspect.js';
import { MAX_INPUT_BYTES, type CsrObject, type CertificateObject, type PkiObject, type PrivateKeyObject, type ReadOptions } from './objects.js';
import { bytesToText, looksLikePem, parsePem, type PemBlock } from './pem.js';
import { decryptEncryptedPrivateKeyInfo, decryptLegacyPem, readPkcs12 } from './pkcs12-read.js';

export { classifyCertificate } from './inspect.js';

type KeyFormat = PrivateKeyObject['format'];

/** What a DER structure turned out to be. */
type DerKind =
  | 'certificate'
  | 'csr'
  | 'crl'
  | 'pkcs8'
  | 'pkcs8-encrypted'
  | 'pkcs1'
  | 'sec1'
  | 'dsa-private-key'
  | 'public-key'
  | 'pkcs7'
  | 'pkcs12'
  | 'unknown';

const OID_PKCS7_SIGNED_DATA = '1.2.840.113549.1.7.2';
const OID_PKCS7_PREFIX = '1.2.840.113549.1.7.';
const OID_DATA = '1.2.840.113549.1.7.1';

/** Key algorithm OIDs Node can load from PKCS#8; anything else is UNSUPPORTED_ALGORITHM. */
const KEY_ALGORITHMS: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.1': 'RSA',
  '1.2.840.113549.1.1.10': 'RSA-PSS',
  '1.2.840.10045.2.1': 'EC',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.3.101.110': 'X25519',
  '1.3.101.111': 'X448',
  '1.2.840.10040.4.1': 'DSA',
  '1.2.840.113549.1.3.1': 'DH',
  '1.2.840.10046.2.1': 'DH',
};

/** Where in the file we are, for messages: "cert.pem" or "cert.pem (PEM block 2, CERTIFICATE)". */
interface Where {
  readonly file: string;
  readonly label: string;
}

function fail(code: ErrorCode, where: Where, problem: string): CertdeskError {
  return new CertdeskError(code, `${where.label}: ${problem}`, { file: where.file });
}

/**
 * Reads every certificate, private key and CSR in `bytes`.
 *
 * Synchronous. Throws a CertdeskError (FILE_TOO_LARGE, FILE_EMPTY, UNRECOGNISED_FORMAT,
 * PEM_INVALID, DER_INVALID, DER_TRUNCATED, …, PASSWORD_REQUIRED, WRONG_PASSWORD) whose message
 * names `opts.fileName`. PUBLIC KEY and parameter blocks are skipped silently.
 */
export function readMaterial(bytes: Uint8Array, opts: ReadOptions): PkiObject[] {
  const file = opts.fileName;
  if (bytes.length > MAX_INPUT_BYTES) {
    throw new CertdeskError(
      'FILE_TOO_LARGE',
      `${file} is too large to be a certificate or key file (${bytes.length.toLocaleString('en-US')} bytes; the limit is ${MAX_INPUT_BYTES / 1024 / 1024} MiB)`,
      { file },
    );
  }
  try {
    return readAny(toBuffer(bytes), opts);
  } catch (err) {
    if (err instanceof CertdeskError) throw err;
    if (err instanceof DerError) {
      throw new CertdeskError(err.truncated ? 'DER_TRUNCATED' : 'DER_INVALID', `${file}: ${err.message}`, { file });
    }
    // Anything else is a bug or a library surprise; still report it as a CertdeskError.
    const detail = err instanceof Error ? err.message : String(err);
    throw new CertdeskError('INTERNAL', `${file}: could not be read (${detail.slice(0, 200)})`, { file }, { cause: err });
  }
}

function isBlank(b: Buffer): boolean {
  for (const x of b) if (x !== 0x20 && x !== 0x09 && x !== 0x0a && x !== 0x0d && x !== 0x00) return false;
  return true;
}

function readAny(buf: Buffer, opts: ReadOptions): PkiObject[] {
  const file = opts.fileName;
  const where: Where = { file, label: file };
  const bom = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? 3 : 0;
  if (isBlank(buf.subarray(bom))) {
    throw new CertdeskError('FILE_EMPTY', `${file} is empty`, { file });
  }
  // Binary DER first: a DER file starts with a SEQUENCE and parses to its end (bar padding).
  if (buf[0] === TAG.SEQUENCE) {
    const elements = derElements(buf);
    if (elements !== null) return elements.flatMap((t) => readDer(buf.subarray(t.start, t.end), where, opts.password));
  }
  const text = bytesToText(buf);
  if (looksLikePem(text)) return readPem(text, opts);
  if (buf[0] === TAG.SEQUENCE) {
    // Looks like DER but does not parse: report why (truncation, bad length, trailing bytes…).
    let p = 0;
    while (p < buf.length && buf[p] === TAG.SEQUENCE) p = readTlv(buf, p).end;
    throw new DerError(`${buf.length - p} unexpected bytes follow the DER data (from byte ${p})`, false);
  }
  // Bare base64 of a DER file (a PEM body without its BEGIN/END lines).
  const b64 = text.replace(/^\ufeff|^ï»¿/, '').replace(/\s+/g, '');
  if (b64.length >= 16 && /^[A-Za-z0-9+/]+={0,2}$/.test(b64)) {
    const der = Buffer.from(b64, 'base64');
    if (der[0] === TAG.SEQUENCE && derElements(der) !== null) {
      return derElements(der)?.flatMap((t) => readDer(der.subarray(t.start, t.end), where, opts.password)) ?? [];
    }
  }
  throw new CertdeskError(
    'UNRECOGNISED_FORMAT',
    `${file} does not contain a certificate, private key, CSR, PKCS#7 or PKCS#12 (it is neither PEM text nor DER)`,
    { file },
  );
}

/** Top-level DER elements covering the buffer (trailing whitespace/NULs allowed), or null. */
function derElements(buf: Buffer): Tlv[] | null {
  const out: Tlv[] = [];
  let p = 0;
  try {
    while (p < buf.length) {
      if (buf[p] !== TAG.SEQUENCE) return isBlank(buf.subarray(p)) && out.length > 0 ? out : null;
      const t = readTlv(buf, p);
      out.push(t);
      p = t.end;
      if (out.length > 10_000) return null;
    }
  } catch {
    return null;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// PEM

/** Labels that are skipped without complaint (public keys and parameters carry nothing to import). */
const SKIPPED_LABELS: ReadonlySet<string> = new Set([
  'PUBLIC KEY',
  'RSA PUBLIC KEY',
  'EC PARAMETERS',
  'DH PARAMETERS',
  'X9.42 DH PARAMETERS',
  'DSA PARAMETERS',
  'SSL SESSION PARAMETERS',
]);

type Expect = 'certificate' | 'csr' | 'key' | 'encrypted-key' | 'pkcs7' | 'crl';

const LABELS: Readonly<Record<string, Expect>> = {
  CERTIFICATE: 'certificate',
  'X509 CERTIFICATE': 'certificate',
  'TRUSTED CERTIFICATE': 'certificate',
  'CERTIFICATE REQUEST': 'csr',
  'NEW CERTIFICATE REQUEST': 'csr',
  'PRIVATE KEY': 'key',
  'RSA PRIVATE KEY': 'key',
  'EC PRIVATE KEY': 'key',
  'ENCRYPTED PRIVATE KEY': 'encrypted-key',
  PKCS7: 'pkcs7',
  'PKCS #7 SIGNED DATA': 'pkcs7',
  CMS: 'pkcs7',
  'X509 CRL': 'crl',
};

function readPem(text: string, opts: ReadOptions): PkiObject[] {
  const file = opts.fileName;
  const blocks = parsePem(text, file);
  const out: PkiObject[] = [];
  const unsupported: string[] = [];
  let skipped = 0;
  for (const block of blocks) {
    const where: Where = { file, label: `${file} (PEM block ${block.index}, ${block.label})` };
    if (SKIPPED_LABELS.has(block.label)) {
      skipped++;
      continue;
    }
    const expected = LABELS[block.label];
    if (expected === undefined) {
      unsupported.push(block.label);
      continue;
    }
    try {
      out.push(...readPemBlock(block, expected, where, opts.password));
    } catch (err) {
      if (err instanceof DerError) throw derFailure(err, where, expected);
      throw err;
    }
  }
  if (out.length === 0 && unsupported.length > 0) {
    const hint = unsupported.includes('OPENSSH PRIVATE KEY')
      ? ' (convert an OpenSSH key with `ssh-keygen -p -m PKCS8 -f KEY`)'
      : unsupported.includes('DSA PRIVATE KEY')
        ? ' (DSA keys are not supported)'
        : '';
    throw new CertdeskError(
      unsupported.includes('DSA PRIVATE KEY') ? 'UNSUPPORTED_ALGORITHM' : 'UNSUPPORTED_FORMAT',
      `${file} contains only PEM blocks Certdesk does not import: ${[...new Set(unsupported)].join(', ')}${hint}`,
      { file },
    );
  }
  if (out.length === 0 && skipped === 0 && blocks.length === 0) {
    throw new CertdeskError('PEM_INVALID', `${file}: no complete PEM block found`, { file });
  }
  return out;
}

function derFailure(err: DerError, where: Where, expected: Expect | DerKind): CertdeskError {
  if (err.truncated) return fail('DER_TRUNCATED', where, err.message);
  return fail(invalidCodeFor(expected), where, `the ${describeKind(expected)} is malformed (${err.message})`);
}

function invalidCodeFor(kind: Expect | DerKind): ErrorCode {
  switch (kind) {
    case 'certificate':
      return 'CERTIFICATE_INVALID';
    case 'csr':
      return 'CSR_INVALID';
    case 'key':
    case 'encrypted-key':
    case 'pkcs8':
    case 'pkcs8-encrypted':
    case 'pkcs1':
    case 'sec1':
    case 'dsa-private-key':
      return 'KEY_INVALID';
    case 'pkcs7':
      return 'PKCS7_INVALID';
    case 'pkcs12':
      return 'PKCS12_INVALID';
    default:
      return 'DER_INVALID';
  }
}

function describeKind(kind: Expect | DerKind): string {
  switch (kind) {
    case 'certificate':
      return 'certificate';
    case 'csr':
      return 'certificate signing request';
    case 'key':
    case 'pkcs8':
    case 'pkcs1':
    case 'sec1':
    case 'dsa-private-key':
      return 'private key';
    case 'encrypted-key':
    case 'pkcs8-encrypted':
      return 'encrypted private key';
    case 'pkcs7':
      return 'PKCS#7 bundle';
    case 'pkcs12':
      return 'PKCS#12 file';
    case 'crl':
      return 'certificate revocation list';
    case 'public-key':
      return 'public key';
    case 'unknown':
      return 'DER data';
  }
}

function readPemBlock(block: PemBlock, expected: Expect, where: Where, password: string | undefined): PkiObject[] {
  let der = block.der;
  let legacyEncrypted = false;
  const procType = block.headers.get('Proc-Type');
  if (procType !== undefined && /ENCRYPTED/i.test(procType)) {
    if (expected !== 'key') throw fail('PEM_INVALID', where, 'only private keys can carry Proc-Type: ENCRYPTED');
    const dek = block.headers.get('DEK-Info');
    if (dek === undefined) throw fail('PEM_INVALID', where, 'the encrypted key has no DEK-Info header');
    der = decryptLegacyPem(dek, der, password, where.file);
    legacyEncrypted = true;
  }
  if (block.label === 'TRUSTED CERTIFICATE') {
    // OpenSSL's X509_AUX form: the certificate followed by trust settings; keep the certificate.
    const t = readTlv(der, 0, der.length);
    der = der.subarray(t.start, t.end);
  } else {
    const t = readTlv(der, 0);
    if (t.end !== der.length) throw new DerError(`${der.length - t.end} unexpected bytes follow the DER structure`, false);
  }
  const kind = classifyDer(der);
  const family: Record<Expect, readonly DerKind[]> = {
    // Some tools label a PKCS#7 certificate bundle "CERTIFICATE"; read the certificates in it.
    certificate: ['certificate', 'pkcs7'],
    csr: ['csr'],
    key: ['pkcs8', 'pkcs1', 'sec1'],
    'encrypted-key': ['pkcs8-encrypted'],
    pkcs7: ['pkcs7'],
    crl: ['crl'],
  };
  if (!family[expected].includes(kind)) {
    if (kind === 'unknown') throw fail(invalidCodeFor(expected), where, `the ${describeKind(expected)} is malformed (unexpected structure)`);
    throw fail(
      expected === 'certificate' ? 'NOT_A_CERTIFICATE' : invalidCodeFor(expected),
      where,
      `the block is labelled ${block.label} but contains a ${describeKind(kind)}`,
    );
  }
  if (legacyEncrypted) {
    if (kind !== 'pkcs1' && kind !== 'sec1' && kind !== 'pkcs8') throw fail('KEY_INVALID', where, 'the decrypted key is not a private key');
    return [loadPrivateKey(der, kind, 'legacy-encrypted-pem', true, where)];
  }
  return readClassified(der, kind, where, password);
}

// ---------------------------------------------------------------------------------------------
// DER

function readDer(der: Buffer, where: Where, password: string | undefined): PkiObject[] {
  const kind = classifyDer(der);
  try {
    return readClassified(der, kind, where, password);
  } catch (err) {
    if (err instanceof DerError) throw derFailure(err, where, kind);
    throw err;
  }
}

function readClassified(der: Buffer, kind: DerKind, where: Where, password: string | undefined): PkiObject[] {
  switch (kind) {
    case 'certificate':
      return [certificate(der, where)];
    case 'csr':
      return [csr(der, where)];
    case 'pkcs8':
    case 'pkcs1':
    case 'sec1':
      return [loadPrivateKey(der, kind, kind, false, where)];
    case 'pkcs8-encrypted': {
      const plain = decryptEncryptedPrivateKeyInfo(der, password, where.file);
      return [loadPrivateKey(plain, 'pkcs8', 'pkcs8-encrypted', true, where)];
    }
    case 'pkcs7':
      return readPkcs7(der, where);
    case 'pkcs12':
      return readPkcs12(der, password, where.file).map((item) =>
        item.kind === 'certificate'
          ? certificate(item.der, where)
          : loadPrivateKey(item.pkcs8, 'pkcs8', 'pkcs12', item.encrypted, where),
      );
    case 'public-key':
      return [];
    case 'dsa-private-key':
      throw fail('UNSUPPORTED_ALGORITHM', where, 'DSA private keys are not supported');
    case 'crl':
      throw fail('UNSUPPORTED_FORMAT', where, 'this is a certificate revocation list, which Certdesk does not import');
    case 'unknown':
      throw fail('UNRECOGNISED_FORMAT', where, 'the DER data is not a certificate, private key, CSR, PKCS#7 or PKCS#12');
  }
}

/** Runs a decoder that names `where.label` in its messages, keeping `details.file` the bare file name. */
function relabel<T>(where: Where, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (err instanceof CertdeskError && err.details.file !== where.file) {
      throw new CertdeskError(err.code, err.message, { ...err.details, file: where.file });
    }
    throw err;
  }
}

function certificate(der: Buffer, where: Where): CertificateObject {
  relabel(where, () => decodeCertificate(der, where.label));
  return { kind: 'certificate', der: Buffer.from(der) };
}

function csr(der: Buffer, where: Where): CsrObject {
  relabel(where, () => decodeCsr(der, where.label));
  return { kind: 'csr', der: Buffer.from(der) };
}

/** Is `t` an AlgorithmIdentifier (SEQUENCE starting with an OID)? */
function isAlgId(buf: Buffer, t: Tlv | undefined): boolean {
  if (t === undefined || t.tag !== TAG.SEQUENCE) return false;
  return t.valueEnd > t.valueStart && buf[t.valueStart] === TAG.OID;
}

/** Is `t` a Name (SEQUENCE OF SET)? */
function isName(buf: Buffer, t: Tlv | undefined): boolean {
  if (t === undefined || t.tag !== TAG.SEQUENCE) return false;
  return t.valueEnd === t.valueStart || buf[t.valueStart] === TAG.SET;
}

function isTime(t: Tlv | undefined): boolean {
  return t !== undefined && (t.tag === TAG.UTC_TIME || t.tag === TAG.GENERALIZED_TIME);
}

/** Works out what a DER structure is from its shape (RFC 5280, 2986, 5958, 8017, 5915, 2315, 7292). */
export function classifyDer(der: Buffer): DerKind {
  let c: Tlv[];
  try {
    const top = readTlv(der, 0);
    if (top.tag !== TAG.SEQUENCE) return 'unknown';
    c = children(der, top);
  } catch (err) {
    if (err instanceof DerError && err.truncated) throw err;
    return 'unknown';
  }
  const [c0, c1, c2] = c;
  if (c0 === undefined) return 'unknown';
  try {
    if (c0.tag === TAG.INTEGER) {
      const v = c0.valueEnd - c0.valueStart === 1 ? (der[c0.valueStart] as number) : -1;
      if (c1?.tag === TAG.SEQUENCE && c.length <= 3) {
        const ci = children(der, c1);
        if (ci[0] !== undefined && ci[0].tag === TAG.OID && oid(der, ci[0]).startsWith(OID_PKCS7_PREFIX)) return 'pkcs12';
      }
      if ((v === 0 || v === 1) && isAlgId(der, c1) && c2?.tag === TAG.OCTET_STRING) return 'pkcs8';
      if (v === 1 && c1?.tag === TAG.OCTET_STRING) return 'sec1';
      if ((v === 0 || v === 1) && c.length >= 9 && c.slice(0, 9).every((t) => t.tag === TAG.INTEGER)) return 'pkcs1';
      if (v === 0 && c.length === 6 && c.every((t) => t.tag === TAG.INTEGER)) return 'dsa-private-key';
      return 'unknown';
    }
    if (c0.tag === TAG.OID) {
      const o = oid(der, c0);
      if (o === OID_PKCS7_SIGNED_DATA && c1?.tag === ctxTag(0, true)) return 'pkcs7';
      if (o.startsWith(OID_PKCS7_PREFIX)) return 'pkcs7';
      return 'unknown';
    }
    if (c0.tag === TAG.SEQUENCE) {
      if (isAlgId(der, c0) && c1?.tag === TAG.OCTET_STRING && c.length === 2) return 'pkcs8-encrypted';
      if (isAlgId(der, c0) && c1?.tag === TAG.BIT_STRING && c.length === 2) return 'public-key';
      if (isAlgId(der, c1) && c2?.tag === TAG.BIT_STRING) return classifySigned(der, c0);
    }
  } catch (err) {
    if (err instanceof DerError && err.truncated) throw err;
    return 'unknown';
  }
  return 'unknown';
}

/** A signed object's to-be-signed part: certificate, CSR or CRL? */
function classifySigned(der: Buffer, tbs: Tlv): DerKind {
  const f = children(der, tbs);
  let i = 0;
  if (f[0]?.tag === ctxTag(0, true)) return 'certificate';
  if (f[0]?.tag === TAG.INTEGER) {
    // CSR: version, subject Name, SPKI, [0] attributes.
    if (isName(der, f[1]) && f[2]?.tag === TAG.SEQUENCE && isAlgId(der, children(der, f[2])[0])) return 'csr';
    i = 1;
  }
  // v1 certificate: serial, signature AlgId, issuer, validity SEQUENCE; CRL: [version], AlgId, issuer, thisUpdate Time.
  if (isAlgId(der, f[i]) && isName(der, f[i + 1])) {
    if (isTime(f[i + 2])) return 'crl';
    if (i === 1 && f[i + 2]?.tag === TAG.SEQUENCE) return 'certificate';
  }
  return 'unknown';
}

// ---------------------------------------------------------------------------------------------
// Private keys

const NODE_TYPE: Readonly<Record<'pkcs8' | 'pkcs1' | 'sec1', 'pkcs8' | 'pkcs1' | 'sec1'>> = { pkcs8: 'pkcs8', pkcs1: 'pkcs1', sec1: 'sec1' };

/** Loads unencrypted PKCS#8/PKCS#1/SEC1 DER into a Node KeyObject. */
function loadPrivateKey(der: Buffer, kind: DerKind, format: KeyFormat, encrypted: boolean, where: Where): PrivateKeyObject {
  if (kind !== 'pkcs8' && kind !== 'pkcs1' && kind !== 'sec1') {
    throw fail('KEY_INVALID', where, `the private key is not PKCS#8, PKCS#1 or SEC1 (${describeKind(kind)})`);
  }
  if (kind === 'pkcs8') {
    const [, algT] = seq(der, readTlv(der, 0), 'PrivateKeyInfo');
    const [algOidT] = seq(der, algT, 'private key algorithm');
    const algOid = oid(der, algOidT);
    if (KEY_ALGORITHMS[algOid] === undefined) throw fail('UNSUPPORTED_ALGORITHM', where, `the private key uses algorithm ${algOid}, which Certdesk does not support`);
    if (KEY_ALGORITHMS[algOid] === 'DSA' || KEY_ALGORITHMS[algOid] === 'DH') {
      throw fail('UNSUPPORTED_ALGORITHM', where, `${KEY_ALGORITHMS[algOid]} private keys are not supported`);
    }
  }
  if (kind === 'sec1') {
    const c = seq(der, readTlv(der, 0), 'ECPrivateKey');
    if (!c.some((t) => t.tag === ctxTag(0, true))) {
      throw fail('KEY_INVALID', where, 'the EC private key does not name its curve (SEC1 key without parameters)');
    }
  }
  if (kind === 'pkcs1') {
    const [v] = seq(der, readTlv(der, 0), 'RSAPrivateKey');
    if (smallInt(der, v, 'RSAPrivateKey version') > 1) throw fail('KEY_INVALID', where, 'the RSA private key has an unknown version');
  }
  let key;
  try {
    key = createPrivateKey({ key: der, format: 'der', type: NODE_TYPE[kind] });
  } catch (err) {
    const reason = err instanceof Error ? err.message.replace(/^error:[0-9A-F]+:/, '').slice(0, 120) : 'unknown error';
    throw fail('KEY_INVALID', where, `the private key could not be loaded (${reason})`);
  }
  return { kind: 'private-key', key, format, encrypted };
}

// ---------------------------------------------------------------------------------------------
// PKCS#7

/** Certificates from a PKCS#7 / CMS SignedData bundle (RFC 2315 / 5652); CRLs and signers ignored. */
function readPkcs7(der: Buffer, where: Where): PkiObject[] {
  const [typeT, contentT] = seq(der, readTlv(der, 0), 'ContentInfo');
  const type = oid(der, typeT);
  if (type === OID_DATA || type !== OID_PKCS7_SIGNED_DATA) {
    throw fail('UNSUPPORTED_FORMAT', where, `the PKCS#7 file holds ${type === OID_DATA ? 'plain data' : `content type ${type}`}, not a certificate bundle`);
  }
  if (contentT === undefined || contentT.tag !== ctxTag(0, true)) throw fail('PKCS7_INVALID', where, 'the PKCS#7 SignedData has no content');
  const [sd] = children(der, contentT);
  const f = seq(der, sd, 'SignedData');
  expect3(f, where);
  const out: PkiObject[] = [];
  for (const t of f.slice(3)) {
    if (t.tag !== ctxTag(0, true)) continue;
    for (const cert of children(der, t)) {
      // CertificateChoices: only plain certificates (SEQUENCE); attribute certificates are [1]/[2].
      if (cert.tag !== TAG.SEQUENCE) continue;
      out.push(certificate(der.subarray(cert.start, cert.end), where));
    }
  }
  return out;
}

function expect3(f: Tlv[], where: Where): void {
  if (f.length < 3 || f[0]?.tag !== TAG.INTEGER || f[1]?.tag !== TAG.SET || f[2]?.tag !== TAG.SEQUENCE) {
    throw fail('PKCS7_INVALID', where, 'the PKCS#7 SignedData is malformed');
  }
}
