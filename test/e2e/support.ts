/** Test material for the provider e2e specs: a CA (OpenSSL), leaves with chosen names, certificates set up through the real services. */
import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openssl } from '../support/openssl.js';
import { makeTestCa, type TestCa } from '../support/test-ca.js';
import type { LaunchedApp } from './fixtures.js';

/** A leaf written to files: its key, certificate and the CA chain (intermediate + root). */
export interface LeafFiles {
  readonly key: string;
  readonly cert: string;
  readonly chain: string;
  readonly keyPem: string;
  readonly certPem: string;
}

/** A CA and a scratch folder for one test. */
export interface Material {
  readonly ca: TestCa;
  readonly dir: string;
  /** Issues a leaf for `names` (the first is the CN), valid `days`, as files named after `base`. */
  leaf(base: string, names: readonly string[], days?: number): LeafFiles;
  /** Writes text to the scratch folder; returns the path. */
  write(name: string, text: string): string;
  cleanup(): void;
}

/** A CA (made by OpenSSL, independent of the code under test) and a scratch folder. */
export function makeMaterial(name: string): Material {
  const ca = makeTestCa(name);
  const dir = mkdtempSync(join(tmpdir(), 'certdesk-e2e-pki-'));
  const write = (file: string, text: string): string => {
    const path = join(dir, file);
    writeFileSync(path, text, { mode: 0o600 });
    return path;
  };
  return {
    ca,
    dir,
    write,
    leaf(base, names, days = 90) {
      const keyFile = join(dir, `${base}.key`);
      const csr = openssl([
        'req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', keyFile,
        '-subj', `/CN=${names[0] ?? 'example.com'}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`,
      ]).toString();
      const certPem = ca.signCsr(csr, { days });
      const keyPem = openssl(['pkey', '-in', keyFile]).toString();
      return { key: write(`${base}.key`, keyPem), cert: write(`${base}.pem`, certPem), chain: write('chain.pem', ca.chainPem), keyPem, certPem };
    },
    cleanup() {
      ca.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}


/** Creates a certificate with one version per leaf through the real services (set-up, not under test). */
export async function seedCertificate(app: LaunchedApp, name: string, leaves: readonly LeafFiles[], chainPem: string): Promise<void> {
  const chain = chainPem
    .split(/(?=-----BEGIN CERTIFICATE-----)/)
    .filter((b) => b.includes('BEGIN CERTIFICATE'))
    .map((pem) => ({ der: new Uint8Array(new X509Certificate(pem).raw), file: 'chain.pem' }));
  const [first, ...rest] = leaves;
  if (first === undefined) throw new Error('seedCertificate needs a leaf');
  const material = (leaf: LeafFiles) => ({
    kind: 'upload' as const,
    certificates: [{ der: new Uint8Array(new X509Certificate(leaf.certPem).raw), file: leaf.cert }, ...chain],
    key: { key: createPrivateKey(leaf.keyPem), file: leaf.key },
  });
  await app.container.versions.createCertificate('Sandbox', name, material(first));
  for (const leaf of rest) await app.container.versions.addVersion('Sandbox', name, material(leaf));
}

/** Deploys through the real services and waits for the end (set-up, not under test). */
export async function seedDeployment(app: LaunchedApp, name: string, env: 'staging' | 'production', version: number): Promise<void> {
  const task = await app.container.deployments.start({ account: 'Sandbox', certificate: name, env, action: 'deploy', version });
  const done = await app.container.deployments.wait(task.id);
  if (done.status !== 'succeeded') throw new Error(`set-up deployment of ${name} v${version} to ${env} ${done.status}: ${done.detail ?? ''}`);
}
