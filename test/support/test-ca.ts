/**
 * A small two-level CA made with the openssl CLI (independent of the code under test): a root,
 * an intermediate, and leaves signed by the intermediate from a key or a CSR.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl, tempDir } from './openssl.js';

/** A CA that signs leaves; every file lives in `dir` until `cleanup`. */
export interface TestCa {
  readonly dir: string;
  readonly rootPem: string;
  readonly intermediatePem: string;
  /** The chain file a private CA hands out: intermediate then root (Certdesk leaves the root out of uploads). */
  readonly chainPem: string;
  /** Signs a CSR (PEM) with the intermediate, copying its SANs; returns the leaf PEM. */
  signCsr(csrPem: string, options?: { days?: number }): string;
  /** A fresh key (PEM, unencrypted PKCS#8) and a leaf for it signed by the intermediate. */
  issue(cn: string, options?: { type?: 'rsa' | 'ec'; days?: number }): { keyPem: string; certPem: string };
  cleanup(): void;
}

const LEAF_EXT = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature,keyEncipherment', 'extendedKeyUsage=serverAuth'];

/** Makes a root and an intermediate (EC P-256). */
export function makeTestCa(name = 'Certdesk Test'): TestCa {
  const { dir, cleanup } = tempDir('certdesk-ca-');
  const p = (f: string): string => join(dir, f);
  writeFileSync(p('root.ext'), 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\n');
  writeFileSync(
    p('int.ext'),
    'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
  );
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('root.key'), '-out', p('root.pem'), '-subj', `/CN=${name} Root`, '-days', '3650', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', p('int.key'), '-out', p('int.csr'), '-subj', `/CN=${name} Intermediate`]);
  openssl(['x509', '-req', '-in', p('int.csr'), '-CA', p('root.pem'), '-CAkey', p('root.key'), '-set_serial', '1000', '-days', '1825', '-extfile', p('int.ext'), '-out', p('int.pem')]);
  let serial = 2000;
  const signCsr = (csrPem: string, options: { days?: number } = {}): string => {
    serial += 1;
    const csr = p(`leaf-${serial}.csr`);
    writeFileSync(csr, csrPem);
    writeFileSync(p('leaf.ext'), `${LEAF_EXT.join('\n')}\nauthorityKeyIdentifier=keyid\n`);
    return openssl([
      'x509', '-req', '-in', csr, '-CA', p('int.pem'), '-CAkey', p('int.key'), '-set_serial', String(serial), '-days', String(options.days ?? 90),
      '-copy_extensions', 'copy', '-extfile', p('leaf.ext'),
    ]).toString();
  };
  return {
    dir,
    rootPem: readFileSync(p('root.pem'), 'utf8'),
    intermediatePem: readFileSync(p('int.pem'), 'utf8'),
    chainPem: readFileSync(p('int.pem'), 'utf8') + readFileSync(p('root.pem'), 'utf8'),
    signCsr,
    issue(cn, options = {}) {
      const key = p(`key-${serial + 1}.pem`);
      const newkey = options.type === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
      const csr = openssl(['req', '-new', ...newkey, '-nodes', '-keyout', key, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`]).toString();
      const certPem = signCsr(csr, options.days !== undefined ? { days: options.days } : {});
      return { keyPem: readFileSync(key, 'utf8'), certPem };
    },
    cleanup,
  };
}
