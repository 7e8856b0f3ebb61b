/**
 * A realistic drop for import tests, made by OpenSSL at test time: a root CA, an intermediate CA
 * and a leaf for `www.example.test` with its private key, as the separate files an administrator
 * gets from a CA, plus a password-protected PKCS#12 of the key, leaf and intermediate.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openssl } from './openssl.js';

/** The files of a drop (paths) and their contents. */
export interface ChainMaterial {
  readonly dir: string;
  /** Leaf private key, unencrypted PKCS#8 PEM. */
  readonly keyFile: string;
  /** Leaf certificate PEM. */
  readonly certFile: string;
  /** Intermediate then root, PEM. */
  readonly chainFile: string;
  /** PKCS#12 (key + leaf + intermediate), protected by `pfxPassword`. */
  readonly pfxFile: string;
  readonly pfxPassword: string;
  readonly leafSubject: string;
  readonly hostnames: readonly string[];
}

function write(dir: string, name: string, content: string): string {
  const file = join(dir, name);
  writeFileSync(file, content);
  return file;
}

/** Makes root → intermediate → leaf (EC P-256 leaf, RSA CAs) in `dir`. */
export function makeChainMaterial(dir: string): ChainMaterial {
  const hostnames = ['www.example.test', 'example.test'];
  const rootKey = write(dir, 'root.key', openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']).toString());
  const interKey = write(dir, 'inter.key', openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']).toString());
  const keyFile = write(dir, 'www.example.test.key', openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']).toString());
  const caExt = write(dir, 'ca.ext', 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n');
  const leafExt = write(
    dir,
    'leaf.ext',
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\nsubjectAltName=${hostnames.map((h) => `DNS:${h}`).join(',')}\n`,
  );
  const rootCert = join(dir, 'root.crt');
  openssl(['req', '-x509', '-new', '-key', rootKey, '-subj', '/O=Certdesk Test/CN=Certdesk Test Root', '-days', '3650', '-sha256', '-out', rootCert, '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
  const interCsr = openssl(['req', '-new', '-key', interKey, '-subj', '/O=Certdesk Test/CN=Certdesk Test Intermediate']);
  const interCert = join(dir, 'inter.crt');
  openssl(['x509', '-req', '-CA', rootCert, '-CAkey', rootKey, '-CAcreateserial', '-days', '1825', '-sha256', '-extfile', caExt, '-out', interCert], interCsr);
  const leafCsr = openssl(['req', '-new', '-key', keyFile, '-subj', '/CN=www.example.test']);
  const certFile = join(dir, 'www.example.test.crt');
  openssl(['x509', '-req', '-CA', interCert, '-CAkey', interKey, '-CAcreateserial', '-days', '90', '-sha256', '-extfile', leafExt, '-out', certFile], leafCsr);
  const chainFile = join(dir, 'chain.pem');
  openssl(['x509', '-in', interCert, '-out', join(dir, 'inter.pem')]);
  openssl(['x509', '-in', rootCert, '-out', join(dir, 'root.pem')]);
  writeFileSync(chainFile, Buffer.concat([openssl(['x509', '-in', interCert]), openssl(['x509', '-in', rootCert])]));
  const pfxPassword = 'correct horse';
  const pfxFile = join(dir, 'www.example.test.p12');
  openssl(['pkcs12', '-export', '-inkey', keyFile, '-in', certFile, '-certfile', interCert, '-passout', `pass:${pfxPassword}`, '-out', pfxFile]);
  return { dir, keyFile, certFile, chainFile, pfxFile, pfxPassword, leafSubject: 'CN=www.example.test', hostnames };
}
