/**
 * Shared pieces for the CDN Pro client ↔ sandbox tests: a harness on a manual clock both sides
 * share (`../../support/manual-clock.ts`), key/certificate/CA material made with the openssl CLI (independent of the
 * code under test), and a raw signed-request helper for checks the client would never send.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { authHeaders, httpDate } from '../../../main/providers/cdnpro/auth.js';
import { CdnProClient, type CdnProClientOptions } from '../../../main/providers/cdnpro/client.js';
import { startSandbox, type SandboxHandle, type SandboxOptions } from '../../../main/providers/sandbox/server.js';
import type { Clock } from '../../../main/providers/rate-limiter.js';
import { testTime, type ManualClock } from '../../support/manual-clock.js';
import { openssl, tempDir } from '../../support/openssl.js';

/** A running sandbox and a client for its main customer, on one manual clock. */
export interface Harness {
  readonly clock: ManualClock;
  readonly sandbox: SandboxHandle;
  readonly client: CdnProClient;
  readonly waits: number[];
  /** Another client for the same sandbox with different options. */
  clientWith(options?: CdnProClientOptions, account?: { user?: string; apiKey?: string; onBehalfOf?: string }): CdnProClient;
  close(): Promise<void>;
}

/** Starts a sandbox (tasks: 10 s waiting, 60 s in all; no rate limit unless asked) and a client. */
export async function harness(sandboxOptions: SandboxOptions = {}, clientOptions: CdnProClientOptions = {}): Promise<Harness> {
  const { clock, waits, clientOptions: testOptions } = testTime();
  const sandbox = await startSandbox({ clock, taskDurationMs: 60_000, taskWaitingMs: 10_000, rateLimit: false, ...sandboxOptions });
  const clientWith = (options: CdnProClientOptions = {}, account: { user?: string; apiKey?: string; onBehalfOf?: string } = {}): CdnProClient =>
    new CdnProClient(
      {
        baseUrl: sandbox.url,
        user: account.user ?? sandbox.user,
        apiKey: account.apiKey ?? sandbox.apiKey,
        ...(account.onBehalfOf !== undefined ? { onBehalfOf: account.onBehalfOf } : {}),
      },
      testOptions(options),
    );
  return { clock, sandbox, client: clientWith(clientOptions), waits, clientWith, close: () => sandbox.close() };
}

/** A key and a self-signed leaf made by openssl. */
export interface Material {
  readonly keyPem: string;
  readonly certPem: string;
}

/** openssl-made key + self-signed certificate ('rsa' = RSA 2048, 'ec' = P-256). */
export function makeMaterial(type: 'rsa' | 'ec', cn: string, days = 90): Material {
  const { dir, cleanup } = tempDir();
  try {
    const key = join(dir, 'key.pem');
    const cert = join(dir, 'cert.pem');
    const newkey = type === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
    openssl(['req', '-x509', ...newkey, '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${cn}`, '-addext', `subjectAltName=DNS:${cn}`, '-days', String(days)]);
    return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
  } finally {
    cleanup();
  }
}

/** A small CA made by openssl. */
export interface TestCa {
  readonly certPem: string;
  /** Signs a CSR (copying its SAN extension); returns the leaf PEM. */
  sign(csrPem: string, days?: number): string;
  cleanup(): void;
}

/** Makes a CA whose certificates openssl signs. */
export function makeCa(name = 'Certdesk Test CA'): TestCa {
  const { dir, cleanup } = tempDir();
  const key = join(dir, 'ca.key');
  const cert = join(dir, 'ca.pem');
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', `/CN=${name}`, '-days', '365']);
  let serial = 1;
  return {
    certPem: readFileSync(cert, 'utf8'),
    sign(csrPem: string, days = 90): string {
      const csr = join(dir, `req-${serial}.csr`);
      writeFileSync(csr, csrPem);
      serial += 1;
      return openssl(['x509', '-req', '-in', csr, '-CA', cert, '-CAkey', key, '-set_serial', String(serial), '-days', String(days), '-copy_extensions', 'copy']).toString();
    },
    cleanup,
  };
}

/** SHA-256 of a PEM certificate's DER, computed by openssl (lowercase hex). */
export function opensslFingerprint(certPem: string): string {
  const out = openssl(['x509', '-noout', '-fingerprint', '-sha256'], certPem).toString();
  return (/=([0-9A-F:]+)/i.exec(out)?.[1] ?? '').replace(/:/g, '').toLowerCase();
}

/** Sends one signed request the way the API documents it, bypassing the client. */
export async function rawRequest(
  sandbox: SandboxHandle,
  method: string,
  path: string,
  options: { body?: string; date?: string; clock?: Clock; user?: string; apiKey?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; headers: Headers; text: string; json: () => unknown }> {
  const date = options.date ?? httpDate((options.clock ?? { now: () => Date.now() }).now());
  const headers: Record<string, string> = {
    Accept: 'application/json',
    ...authHeaders({ user: options.user ?? sandbox.user, apiKey: options.apiKey ?? sandbox.apiKey }, date),
    ...(options.body !== undefined ? { 'Content-Type': 'application/json' } : {}),
    ...options.headers,
  };
  const response = await fetch(sandbox.url + path, { method, headers, ...(options.body !== undefined ? { body: options.body } : {}) });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
}
