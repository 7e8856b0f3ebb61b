/**
 * Interop: `verifyChain` against `openssl verify -x509_strict -purpose sslserver` on chains made
 * by the openssl CLI. Intended differences (asserted, so a change in either side is noticed):
 * - A leaf without extendedKeyUsage: OpenSSL accepts it for sslserver; Certdesk follows the
 *   CA/Browser Forum profile and requires serverAuth in an EKU (EKU_MISSING).
 * - A leaf with cA=TRUE presented as a server certificate: OpenSSL accepts it; Certdesk, like the
 *   Web PKI profile, refuses a CA certificate as a TLS leaf (LEAF_IS_CA).
 * - A SHA-1 signed leaf: refused by Certdesk (browsers stopped accepting SHA-1 in 2017); OpenSSL
 *   3.0 at its default security level accepts it.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyChain } from '../../main/pki/chain.js';
import { openssl, tempDir } from '../support/openssl.js';

const { dir, cleanup } = tempDir('certdesk-chain-openssl-');
afterAll(cleanup);

let serial = 1000;
interface Made {
  readonly name: string;
  readonly pem: string;
  readonly der: Buffer;
  readonly key: string;
  readonly file: string;
}

/** Makes a certificate with the openssl CLI; self-signed without `issuer`. */
function make(name: string, ext: readonly string[], o: { issuer?: Made; days?: number; subj?: string; md?: string; rsa?: boolean } = {}): Made {
  const key = join(dir, `${name}.key`);
  const file = join(dir, `${name}.pem`);
  const cfg = join(dir, `${name}.cnf`);
  writeFileSync(cfg, `[req]\ndistinguished_name=dn\nprompt=no\n[dn]\nCN=${name}\n[v3]\n${ext.join('\n')}\n`);
  openssl(['genpkey', '-algorithm', o.rsa ? 'RSA' : 'EC', ...(o.rsa ? ['-pkeyopt', 'rsa_keygen_bits:2048'] : ['-pkeyopt', 'ec_paramgen_curve:P-256']), '-out', key]);
  const md = `-${o.md ?? 'sha256'}`;
  if (!o.issuer) {
    openssl(['req', '-x509', '-new', '-config', cfg, '-extensions', 'v3', '-key', key, md, '-days', String(o.days ?? 3650), '-set_serial', String(serial++), '-out', file]);
  } else {
    const csr = join(dir, `${name}.csr`);
    openssl(['req', '-new', '-config', cfg, '-key', key, '-out', csr]);
    openssl(['x509', '-req', '-in', csr, '-CA', o.issuer.file, '-CAkey', o.issuer.key, md, '-days', String(o.days ?? 365), '-set_serial', String(serial++), '-extfile', cfg, '-extensions', 'v3', '-out', file]);
  }
  const pem = readFileSync(file, 'utf8');
  const der = openssl(['x509', '-in', file, '-outform', 'DER']);
  return { name, pem, der, key, file };
}

const CA = ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,keyCertSign,cRLSign', 'subjectKeyIdentifier=hash', 'authorityKeyIdentifier=keyid'];
const LEAF = (host: string): string[] => [
  'basicConstraints=critical,CA:FALSE',
  'keyUsage=critical,digitalSignature',
  'extendedKeyUsage=serverAuth',
  `subjectAltName=DNS:${host}`,
  'subjectKeyIdentifier=hash',
  'authorityKeyIdentifier=keyid',
];

function opensslVerdict(leaf: Made, chain: readonly Made[], anchors: readonly Made[], o: { host?: string; at?: Date } = {}): boolean {
  const caFile = join(dir, `ca-${serial++}.pem`);
  writeFileSync(caFile, anchors.map((a) => a.pem).join(''));
  const args = ['verify', '-x509_strict', '-purpose', 'sslserver', '-CAfile', caFile];
  if (chain.length > 0) {
    const untrusted = join(dir, `untrusted-${serial++}.pem`);
    writeFileSync(untrusted, chain.map((a) => a.pem).join(''));
    args.push('-untrusted', untrusted);
  }
  if (o.host) args.push(isIP(o.host) ? '-verify_ip' : '-verify_hostname', o.host);
  if (o.at) args.push('-attime', String(Math.floor(o.at.getTime() / 1000)));
  args.push(leaf.file);
  try {
    openssl(args);
    return true;
  } catch {
    return false;
  }
}

interface Case {
  readonly name: string;
  readonly leaf: Made;
  readonly chain: readonly Made[];
  readonly anchors: readonly Made[];
  readonly host?: string;
  readonly at?: Date;
  readonly ours: boolean;
  /** Set when OpenSSL is expected to disagree (see the file comment). */
  readonly opensslDiffers?: true;
}

const root = make('Interop Root', CA);
const inter = make('Interop Intermediate', [...CA.slice(0, 1).map(() => 'basicConstraints=critical,CA:TRUE,pathlen:0'), ...CA.slice(1)], { issuer: root });
const leaf = make('www.example.com', LEAF('www.example.com'), { issuer: inter });
const otherRoot = make('Other Root', CA);
const notCa = make('Not A CA', ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,keyCertSign', ...CA.slice(2)], { issuer: root });
const leafUnderNotCa = make('a.example.com', LEAF('a.example.com'), { issuer: notCa });
const pathLenRoot = make('PathLen0 Root', ['basicConstraints=critical,CA:TRUE,pathlen:0', ...CA.slice(1)]);
const interUnderPathLen = make('Inter Under PathLen', CA, { issuer: pathLenRoot });
const leafUnderPathLen = make('b.example.com', LEAF('b.example.com'), { issuer: interUnderPathLen });
const clientInter = make('Client Only CA', [...CA, 'extendedKeyUsage=clientAuth'], { issuer: root });
const leafUnderClient = make('c.example.com', LEAF('c.example.com'), { issuer: clientInter });
const ncRoot = make('NC Root', [...CA, 'nameConstraints=critical,permitted;DNS:example.org']);
const leafUnderNc = make('d.example.com', LEAF('d.example.com'), { issuer: ncRoot });
const ncOkRoot = make('NC OK Root', [...CA, 'nameConstraints=critical,permitted;DNS:example.com,permitted;IP:192.0.2.0/255.255.255.0']);
const leafUnderNcOk = make('e.example.com', LEAF('e.example.com'), { issuer: ncOkRoot });
const shortLeaf = make('short.example.com', LEAF('short.example.com'), { issuer: inter, days: 1 });
const noEkuLeaf = make('noeku.example.com', LEAF('noeku.example.com').filter((l) => !l.startsWith('extendedKeyUsage')), { issuer: inter });
const caLeaf = make('caleaf.example.com', ['basicConstraints=critical,CA:TRUE', 'keyUsage=critical,digitalSignature,keyCertSign', 'extendedKeyUsage=serverAuth', 'subjectAltName=DNS:caleaf.example.com', ...CA.slice(2)], { issuer: root });
const rsaRoot = make('RSA Root', CA, { rsa: true });
const sha1Leaf = make('sha1.example.com', LEAF('sha1.example.com'), { issuer: rsaRoot, md: 'sha1' });
const ipLeaf = make('ip-leaf', [...LEAF('x.example.com').slice(0, 3), 'subjectAltName=IP:192.0.2.10', ...CA.slice(2)], { issuer: inter });

const now = new Date();
const day = 86_400_000;
const cases: readonly Case[] = [
  { name: 'good chain', leaf, chain: [inter], anchors: [root], host: 'www.example.com', ours: true },
  { name: 'good chain, root also in the pool', leaf, chain: [root, inter], anchors: [root], ours: true },
  { name: 'missing intermediate', leaf, chain: [], anchors: [root], ours: false },
  { name: 'untrusted root', leaf, chain: [inter, root], anchors: [otherRoot], ours: false },
  { name: 'issuer is not a CA', leaf: leafUnderNotCa, chain: [notCa], anchors: [root], ours: false },
  { name: 'pathLen 0 root with an intermediate', leaf: leafUnderPathLen, chain: [interUnderPathLen], anchors: [pathLenRoot], ours: false },
  { name: 'intermediate EKU without serverAuth', leaf: leafUnderClient, chain: [clientInter], anchors: [root], ours: false },
  { name: 'name constraints violated', leaf: leafUnderNc, chain: [], anchors: [ncRoot], ours: false },
  { name: 'name constraints satisfied', leaf: leafUnderNcOk, chain: [], anchors: [ncOkRoot], ours: true },
  { name: 'host mismatch', leaf, chain: [inter], anchors: [root], host: 'api.example.com', ours: false },
  { name: 'IP SAN match', leaf: ipLeaf, chain: [inter], anchors: [root], host: '192.0.2.10', ours: true },
  { name: 'expired leaf', leaf: shortLeaf, chain: [inter], anchors: [root], at: new Date(now.getTime() + 3 * day), ours: false },
  { name: 'not yet valid', leaf, chain: [inter], anchors: [root], at: new Date(now.getTime() - 3 * day), ours: false },
  { name: 'leaf without EKU', leaf: noEkuLeaf, chain: [inter], anchors: [root], ours: false, opensslDiffers: true },
  { name: 'CA certificate as leaf', leaf: caLeaf, chain: [], anchors: [root], ours: false, opensslDiffers: true },
  { name: 'SHA-1 signed leaf', leaf: sha1Leaf, chain: [], anchors: [rsaRoot], ours: false, opensslDiffers: true },
];

describe('verifyChain agrees with openssl verify', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const r = verifyChain({ leaf: c.leaf.der, pool: c.chain.map((x) => x.der), anchors: c.anchors.map((x) => x.der), at: c.at ?? now, host: c.host });
    expect(r.valid, JSON.stringify(r.errors)).toBe(c.ours);
    const theirs = opensslVerdict(c.leaf, c.chain, c.anchors, { host: c.host, at: c.at });
    expect(theirs).toBe(c.opensslDiffers ? !c.ours : c.ours);
  });
});
