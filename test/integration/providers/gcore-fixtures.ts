/**
 * Material for the Gcore client tests, made by the openssl CLI (independent of the code under
 * test): a root → intermediate → leaf chain whose leaf key is PKCS#1 (RSA) or SEC1 (EC), the
 * formats Gcore's web security API does not take as they are.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, tempDir } from '../../support/openssl.js';

/** A three-level chain and the leaf's key in its traditional PEM form. */
export interface ChainMaterial {
  readonly rootPem: string;
  readonly intermediatePem: string;
  readonly leafPem: string;
  /** `BEGIN RSA PRIVATE KEY` or `BEGIN EC PRIVATE KEY`. */
  readonly leafKeyPem: string;
}

/** Builds root → intermediate → leaf (CN and SAN `cn`), leaf valid for `days`. */
export function makeChain(cn: string, keyType: 'rsa' | 'ec', days = 90): ChainMaterial {
  const { dir, cleanup } = tempDir();
  try {
    const p = (name: string): string => join(dir, name);
    const caExt = p('ca.ext');
    writeFileSync(caExt, 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
    const leafExt = p('leaf.ext');
    writeFileSync(leafExt, `basicConstraints=CA:FALSE\nsubjectAltName=DNS:${cn}\nauthorityKeyIdentifier=keyid\n`);
    openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('root.key'), '-out', p('root.pem'), '-subj', '/CN=Gcore Test Root', '-days', '365', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('int.key'), '-out', p('int.csr'), '-subj', '/CN=Gcore Test Intermediate']);
    openssl(['x509', '-req', '-in', p('int.csr'), '-CA', p('root.pem'), '-CAkey', p('root.key'), '-set_serial', '2', '-days', '200', '-extfile', caExt, '-out', p('int.pem')]);
    if (keyType === 'rsa') openssl(['genrsa', '-traditional', '-out', p('leaf.key'), '2048']);
    else openssl(['ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', p('leaf.key')]);
    openssl(['req', '-new', '-key', p('leaf.key'), '-out', p('leaf.csr'), '-subj', `/CN=${cn}`]);
    openssl(['x509', '-req', '-in', p('leaf.csr'), '-CA', p('int.pem'), '-CAkey', p('int.key'), '-set_serial', String(Date.now()), '-days', String(days), '-extfile', leafExt, '-out', p('leaf.pem')]);
    return {
      rootPem: readFileSync(p('root.pem'), 'utf8'),
      intermediatePem: readFileSync(p('int.pem'), 'utf8'),
      leafPem: readFileSync(p('leaf.pem'), 'utf8'),
      leafKeyPem: readFileSync(p('leaf.key'), 'utf8'),
    };
  } finally {
    cleanup();
  }
}

/** notAfter of a PEM certificate as ISO 8601 without milliseconds, computed by openssl. */
export function opensslNotAfter(pem: string): string {
  const out = openssl(['x509', '-noout', '-enddate'], pem).toString();
  const text = /notAfter=(.*)/.exec(out)?.[1]?.trim() ?? '';
  return new Date(Date.parse(text)).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** SHA-256 of a PEM certificate's DER, computed by openssl (lowercase hex). */
export function opensslSha256(pem: string): string {
  const out = openssl(['x509', '-noout', '-fingerprint', '-sha256'], pem).toString();
  return (/=([0-9A-F:]+)/i.exec(out)?.[1] ?? '').replace(/:/g, '').toLowerCase();
}
