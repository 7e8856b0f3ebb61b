/**
 * A test-only Gcore simulator: a loopback `node:http` server with the CDN certificate API
 * (`/cdn/sslData`, `/cdn/resources/{id}`; providers.md §3.1) and the web security resource API
 * (`{prefix}/resources[/{id}]`; §3.2), written from the published contracts so the clients run
 * over real HTTP against the documented behaviour.
 *
 * CDN: `Authorization: APIKey <key>`; upload/replace validate the case-sensitive
 * `sslCertificate`/`sslPrivateKey` fields (a wrongly cased field is dropped, hence missing),
 * parse the chain, check the key belongs to the leaf, enforce unique names; PUT keeps the id;
 * DELETE is refused while a CDN resource uses the certificate; lists are `{count, next,
 * previous, results}` with `limit`/`offset` and a bare array without (the older API); errors
 * are `{errors:{field:[…]}}` or `{message}`. `automated` certificates are issued after they are
 * attached to a resource, over `issuanceMs` of the injected clock, with `/status`, `renew`,
 * `force-retry` and an injectable failure (optionally rate-limited with `retry_after`).
 * Web security: `Authorization: Bearer <token>`; GET answers `{resource: {…}}` (as the FAQ's
 * example reads it) or the bare object; PUT needs the full object (missing fields are 400),
 * a PKCS#8 key (`BEGIN PRIVATE KEY`) that matches the leaf, and the chain in leaf → issuer
 * order, then sets `service_ssl_expire` from the leaf. The key is never returned.
 * Faults: the CDN Pro sandbox's injector (`status`, `rate-limit` → 429 + `Retry-After`,
 * `drop-before`, `drop-after`, `delay`). Every request is recorded with its parsed body.
 */
import { createPrivateKey, randomBytes, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector } from '../../main/providers/sandbox/faults.js';
import { systemClock, type Clock } from '../../main/providers/rate-limiter.js';
import { answerWithFaults, listenOnLoopback, readBody, type SimAnswer } from './http-sim.js';

type Json = Record<string, unknown>;

/** How to run the simulator. */
export interface GcoreSimulatorOptions {
  readonly clock?: Clock;
  readonly apiKey?: string;
  readonly protectionToken?: string;
  /** Where the web security API lives; default '/security/v2'. */
  readonly protectionPrefix?: string;
  /** Wrap GET resource answers as `{resource}` (default true, like the FAQ). */
  readonly wrapResource?: boolean;
  /** Return the stored `service_ssl_key` on GET too (to check the client never surfaces it). */
  readonly exposeKey?: boolean;
  /** POST /cdn/sslData answers 201 with the object (default) or with an empty body. */
  readonly createReturnsBody?: boolean;
  /** Always answer lists with a bare array. */
  readonly legacyList?: boolean;
  /** How long Let's Encrypt issuance takes on the injected clock; default 60 s. */
  readonly issuanceMs?: number;
  /** CDN resource ids that exist; default [1001, 1002]. */
  readonly cdnResources?: readonly number[];
}

/** One request as the simulator saw it. */
export interface GcoreRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number | 'dropped';
  readonly authorization: string | undefined;
  /** The JSON body, or undefined. */
  readonly body: unknown;
  readonly rawBody: string;
}

/** A CDN certificate as held. */
export interface SimSslData {
  readonly id: number;
  name: string;
  automated: boolean;
  certificatePem: string | null;
  privateKeyPem: string | null;
  notBefore: string | null;
  notAfter: string | null;
  subjectCn: string | null;
  issuer: string | null;
  /** Let's Encrypt attempts. */
  attempts: { id: number; started: number; resource: number; failure?: { error: string; details: string; retryAfter?: string } }[];
}

/** A running simulator. */
export interface GcoreSimulator {
  readonly url: string;
  readonly apiKey: string;
  readonly protectionToken: string;
  /** The web security base that needs no `/v2` fallback, e.g. http://127.0.0.1:P/security/v2. */
  readonly protectionBase: string;
  readonly faults: FaultInjector;
  readonly requests: GcoreRequestRecord[];
  readonly sslData: Map<number, SimSslData>;
  /** CDN resource id → its SSL settings. */
  readonly cdnResources: Map<number, { sslEnabled: boolean; sslData: number | null }>;
  /** Protected resources by id (the stored objects, key included). */
  readonly protectedResources: Map<number, Json>;
  /** The next Let's Encrypt attempt fails. */
  failNextIssuance(error?: string, details?: string, retryAfter?: string): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Json,
  ) {
    super(JSON.stringify(body));
  }
}

function fieldError(field: string, message: string): HttpError {
  return new HttpError(400, { errors: { [field]: [message] } });
}

function iso(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function certificates(pem: string): X509Certificate[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => new X509Certificate(m[0]));
}

function cnOf(cert: X509Certificate): string | null {
  return /(?:^|\n)CN=([^\n]*)/.exec(cert.subject)?.[1] ?? null;
}

/** Parses and checks a chain + key; returns the leaf. */
function checkMaterial(chainPem: string, keyPem: string, fields: { crt: string; key: string }, requirePkcs8: boolean): X509Certificate {
  let chain: X509Certificate[];
  try {
    chain = certificates(chainPem);
  } catch {
    throw fieldError(fields.crt, 'Certificate is not valid PEM');
  }
  const leaf = chain[0];
  if (leaf === undefined) throw fieldError(fields.crt, 'No certificate found');
  for (let i = 0; i + 1 < chain.length; i += 1) {
    const child = chain[i];
    const parent = chain[i + 1];
    if (child !== undefined && parent !== undefined && !child.checkIssued(parent)) {
      throw fieldError(fields.crt, 'Certificate chain is in the wrong order (expected leaf, intermediate, root)');
    }
  }
  if (requirePkcs8 && !/^-----BEGIN PRIVATE KEY-----/.test(keyPem.trim())) throw fieldError(fields.key, 'Private key must be PEM "BEGIN PRIVATE KEY"');
  let key;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    throw fieldError(fields.key, 'Private key is not valid');
  }
  if (!leaf.checkPrivateKey(key)) throw fieldError(fields.key, 'Private key does not match the certificate');
  return leaf;
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(text !== '' ? { 'Content-Type': 'application/json' } : {}), 'Content-Length': Buffer.byteLength(text), 'X-Request-ID': randomBytes(6).toString('hex'), ...headers });
  res.end(text);
}

/** Fields a protected resource must carry back in a PUT (the writable ones). */
const PROTECTED_WRITABLE = [
  'name',
  'active',
  'is_waf_enabled',
  'is_redirect_to_https_enabled',
  'service_https2http',
  'service_iphash',
  'service_geoip_mode',
  'service_geoip_list',
  'service_wwwredir',
  'feature_multiple_origins',
  'feature_wildcard_aliases',
  'tls_enabled',
] as const;

/** Starts the simulator on 127.0.0.1 (a free port). */
export async function startGcoreSimulator(options: GcoreSimulatorOptions = {}): Promise<GcoreSimulator> {
  const clock = options.clock ?? systemClock;
  const apiKey = options.apiKey ?? `gcore-${randomBytes(12).toString('hex')}`;
  const protectionToken = options.protectionToken ?? `ddos-${randomBytes(12).toString('hex')}`;
  const prefix = options.protectionPrefix ?? '/security/v2';
  const issuanceMs = options.issuanceMs ?? 60_000;
  const faults = new FaultInjector();
  const requests: GcoreRequestRecord[] = [];
  const sslData = new Map<number, SimSslData>();
  const cdnResources = new Map<number, { sslEnabled: boolean; sslData: number | null }>();
  for (const id of options.cdnResources ?? [1001, 1002]) cdnResources.set(id, { sslEnabled: false, sslData: null });
  const protectedResources = new Map<number, Json>();
  const created = iso(clock.now() - 86_400_000);
  for (const [id, name] of [
    [501, 'shop.example.com'],
    [502, 'api.example.com'],
  ] as const) {
    protectedResources.set(id, {
      id,
      created,
      updated: created,
      name,
      client: 42,
      active: true,
      enabled: true,
      is_waf_enabled: false,
      is_redirect_to_https_enabled: true,
      status: 'active',
      service_ip: '192.0.2.10',
      service_https2http: 0,
      service_iphash: 0,
      service_geoip_mode: 0,
      service_geoip_list: '',
      service_wwwredir: 0,
      feature_multiple_origins: false,
      feature_wildcard_aliases: false,
      ssl_type: null,
      service_ssl_expire: 0,
      service_ssl_status: '',
      tls_enabled: ['1.2', '1.3'],
      wait_for_le: 0,
    });
  }
  let nextSslId = 7001;
  let nextAttemptId = 1;
  const issuanceFailures: { error: string; details: string; retryAfter?: string }[] = [];

  const used = (id: number): boolean => [...cdnResources.values()].some((r) => r.sslEnabled && r.sslData === id);

  /** Settles finished Let's Encrypt attempts (issues the certificate on success). */
  const settle = (cert: SimSslData): void => {
    const last = cert.attempts.at(-1);
    if (last === undefined || last.failure !== undefined || clock.now() < last.started + issuanceMs) return;
    if (cert.notAfter === null || Date.parse(cert.notAfter) < last.started + issuanceMs) {
      cert.notBefore = iso(last.started + issuanceMs);
      cert.notAfter = iso(last.started + issuanceMs + 90 * 86_400_000);
      cert.issuer = "Let's Encrypt";
    }
  };

  const detail = (cert: SimSslData): Json => {
    settle(cert);
    return {
      id: cert.id,
      name: cert.name,
      automated: cert.automated,
      cert_issuer: cert.issuer,
      cert_subject_cn: cert.subjectCn,
      cert_subject_alt: cert.subjectCn,
      validity_not_before: cert.notBefore,
      validity_not_after: cert.notAfter,
      hasRelatedResources: used(cert.id),
      deleted: false,
    };
  };

  const startAttempt = (cert: SimSslData, resource: number): void => {
    const failure = issuanceFailures.shift();
    cert.attempts.push({ id: nextAttemptId++, started: clock.now(), resource, ...(failure !== undefined ? { failure } : {}) });
  };

  const statusOf = (cert: SimSslData): Json => {
    settle(cert);
    const statuses = cert.attempts.map((a) => {
      const done = a.failure !== undefined || clock.now() >= a.started + issuanceMs;
      return {
        attempt: a,
        done,
        status: done
          ? {
              id: a.id,
              created: iso(a.started),
              status: a.failure !== undefined ? 'Failed' : 'Done',
              error: a.failure?.error ?? null,
              details: a.failure?.details ?? null,
              retry_after: a.failure?.retryAfter ?? null,
            }
          : null,
      };
    });
    const last = statuses.at(-1);
    return {
      id: cert.id,
      active: last !== undefined && !last.done,
      attempts_count: cert.attempts.length,
      started: last !== undefined ? iso(last.attempt.started) : null,
      finished: last?.done === true ? iso(last.attempt.failure !== undefined ? last.attempt.started : last.attempt.started + issuanceMs) : null,
      next_attempt_time: null,
      resource: last?.attempt.resource ?? null,
      latest_status: [...statuses].reverse().find((s) => s.status !== null)?.status ?? null,
      statuses: statuses.map((s) => s.status).filter((s) => s !== null),
    };
  };

  const storeMaterial = (cert: SimSslData, body: Json): void => {
    const crt = body.sslCertificate;
    const key = body.sslPrivateKey;
    if (typeof crt !== 'string' || crt.trim() === '') throw fieldError('sslCertificate', 'This field is required.');
    if (typeof key !== 'string' || key.trim() === '') throw fieldError('sslPrivateKey', 'This field is required.');
    const leaf = checkMaterial(crt, key, { crt: 'sslCertificate', key: 'sslPrivateKey' }, false);
    cert.certificatePem = crt;
    cert.privateKeyPem = key;
    cert.notBefore = iso(Date.parse(leaf.validFrom));
    cert.notAfter = iso(Date.parse(leaf.validTo));
    cert.subjectCn = cnOf(leaf);
    cert.issuer = /(?:^|\n)CN=([^\n]*)/.exec(leaf.issuer)?.[1] ?? leaf.issuer;
  };

  const requireName = (body: Json, exceptId?: number): string => {
    const name = body.name;
    if (typeof name !== 'string' || name.trim() === '') throw fieldError('name', 'This field is required.');
    for (const other of sslData.values()) if (other.name === name && other.id !== exceptId) throw fieldError('name', 'ssl data with this name already exists.');
    return name;
  };

  const handleCdn = (method: string, path: string, query: URLSearchParams, body: unknown): { status: number; body: unknown } => {
    const json = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Json) : {};
    if (path === '/cdn/sslData') {
      if (method === 'GET') {
        let all = [...sslData.values()];
        if (query.get('automated') !== null) all = all.filter((c) => String(c.automated) === query.get('automated'));
        const items = all.map(detail);
        const limitText = query.get('limit');
        if (limitText === null || options.legacyList === true) return { status: 200, body: items };
        const limit = Number(limitText);
        if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw fieldError('limit', 'Ensure this value is less than or equal to 1000.');
        const offset = Number(query.get('offset') ?? '0');
        const results = items.slice(offset, offset + limit);
        return { status: 200, body: { count: items.length, next: offset + limit < items.length ? `?limit=${limit}&offset=${offset + limit}` : null, previous: null, results } };
      }
      if (method === 'POST') {
        const name = requireName(json);
        const cert: SimSslData = {
          id: nextSslId++,
          name,
          automated: json.automated === true,
          certificatePem: null,
          privateKeyPem: null,
          notBefore: null,
          notAfter: null,
          subjectCn: null,
          issuer: null,
          attempts: [],
        };
        if (!cert.automated) storeMaterial(cert, json);
        sslData.set(cert.id, cert);
        return { status: 201, body: options.createReturnsBody === false ? undefined : detail(cert) };
      }
      throw new HttpError(405, { message: `Method "${method}" not allowed.` });
    }
    const m = /^\/cdn\/sslData\/(\d+)(?:\/(status|renew|force-retry))?$/.exec(path);
    if (m !== null) {
      const cert = sslData.get(Number(m[1]));
      if (cert === undefined) throw new HttpError(404, { message: 'Not found.' });
      const sub = m[2];
      if (sub === 'status' && method === 'GET') return { status: 200, body: statusOf(cert) };
      if ((sub === 'renew' || sub === 'force-retry') && method === 'POST') {
        if (!cert.automated) throw new HttpError(400, { message: "Only automated (Let's Encrypt) certificates can be renewed." });
        const resource = [...cdnResources.entries()].find(([, r]) => r.sslData === cert.id)?.[0];
        if (resource === undefined) throw new HttpError(400, { message: 'The certificate is not attached to any CDN resource.' });
        if (sub === 'force-retry' && cert.attempts.at(-1)?.failure === undefined) throw new HttpError(400, { message: 'The last attempt did not fail.' });
        startAttempt(cert, resource);
        return { status: 201, body: undefined };
      }
      if (sub !== undefined) throw new HttpError(405, { message: `Method "${method}" not allowed.` });
      if (method === 'GET') return { status: 200, body: detail(cert) };
      if (method === 'PUT') {
        const name = requireName(json, cert.id);
        storeMaterial(cert, json);
        cert.name = name;
        cert.automated = false;
        return { status: 200, body: detail(cert) };
      }
      if (method === 'DELETE') {
        if (used(cert.id)) throw new HttpError(400, { message: 'The SSL certificate is used by a CDN resource and cannot be deleted.' });
        sslData.delete(cert.id);
        return { status: 204, body: undefined };
      }
      throw new HttpError(405, { message: `Method "${method}" not allowed.` });
    }
    const r = /^\/cdn\/resources\/(\d+)$/.exec(path);
    if (r !== null) {
      const id = Number(r[1]);
      const resource = cdnResources.get(id);
      if (resource === undefined) throw new HttpError(404, { message: 'Not found.' });
      if (method === 'GET') return { status: 200, body: { id, ...resource } };
      if (method === 'PATCH') {
        const enabled = typeof json.sslEnabled === 'boolean' ? json.sslEnabled : resource.sslEnabled;
        if ('sslData' in json && json.sslData !== null) {
          if (!enabled) throw fieldError('sslData', 'sslData can only be set together with sslEnabled: true.');
          const cert = typeof json.sslData === 'number' ? sslData.get(json.sslData) : undefined;
          if (cert === undefined) throw fieldError('sslData', 'SSL certificate not found.');
          resource.sslData = cert.id;
          if (cert.automated) startAttempt(cert, id);
        }
        resource.sslEnabled = enabled;
        if (!enabled) resource.sslData = null;
        return { status: 200, body: { id, ...resource } };
      }
      throw new HttpError(405, { message: `Method "${method}" not allowed.` });
    }
    throw new HttpError(404, { message: 'Not found.' });
  };

  const publicResource = (stored: Json): Json => {
    const copy: Json = { ...stored };
    if (options.exposeKey !== true) delete copy.service_ssl_key;
    return copy;
  };

  const handleProtection = (method: string, path: string, query: URLSearchParams, body: unknown): { status: number; body: unknown } => {
    if (path === `${prefix}/resources` && method === 'GET') {
      const all = [...protectedResources.values()].map(publicResource);
      const limit = Number(query.get('limit') ?? all.length);
      const offset = Number(query.get('offset') ?? 0);
      return { status: 200, body: { count: all.length, results: all.slice(offset, offset + limit) } };
    }
    const m = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}/resources/(\\d+)$`).exec(path);
    if (m === null) throw new HttpError(404, { message: 'Not found.' });
    const id = Number(m[1]);
    const stored = protectedResources.get(id);
    if (stored === undefined) throw new HttpError(404, { message: 'Resource not found.' });
    if (method === 'GET') return { status: 200, body: options.wrapResource === false ? publicResource(stored) : { resource: publicResource(stored) } };
    if (method === 'PUT') {
      if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new HttpError(400, { message: 'A JSON object is required.' });
      const json = body as Json;
      for (const field of PROTECTED_WRITABLE) if (!(field in json)) throw fieldError(field, 'This field is required.');
      const sslType = json.ssl_type;
      if (sslType !== null && sslType !== undefined && sslType !== '' && sslType !== 'custom' && sslType !== 'le') throw fieldError('ssl_type', 'Must be custom or le.');
      const next: Json = { ...stored };
      for (const field of PROTECTED_WRITABLE) next[field] = json[field];
      next.ssl_type = sslType ?? null;
      if (sslType === 'custom') {
        const crt = json.service_ssl_crt;
        const key = json.service_ssl_key;
        if (typeof crt !== 'string' || crt.trim() === '') throw fieldError('service_ssl_crt', 'This field is required for a custom certificate.');
        if (typeof key !== 'string' || key.trim() === '') throw fieldError('service_ssl_key', 'This field is required for a custom certificate.');
        const leaf = checkMaterial(crt, key, { crt: 'service_ssl_crt', key: 'service_ssl_key' }, true);
        next.service_ssl_crt = crt;
        next.service_ssl_key = key;
        next.service_ssl_expire = Math.floor(Date.parse(leaf.validTo) / 1000);
        next.service_ssl_status = 'active';
      } else if (sslType === null || sslType === '' || sslType === undefined) {
        delete next.service_ssl_crt;
        delete next.service_ssl_key;
        next.service_ssl_expire = 0;
        next.service_ssl_status = '';
      }
      next.updated = iso(clock.now());
      protectedResources.set(id, next);
      return { status: 200, body: publicResource(next) };
    }
    throw new HttpError(405, { message: `Method "${method}" not allowed.` });
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const raw = (await readBody(req)).toString('utf8');
    let body: unknown;
    let badJson = false;
    if (raw.trim() !== '') {
      try {
        body = JSON.parse(raw);
      } catch {
        badJson = true;
      }
    }
    const base = { method, path: url.pathname, query: Object.fromEntries(url.searchParams), authorization: req.headers.authorization, body, rawBody: raw };
    await answerWithFaults({
      req,
      res,
      fault: faults.take(method, url.pathname),
      record: (status) => requests.push({ ...base, status }),
      send,
      faultAnswer: (fault): SimAnswer =>
        fault.kind === 'status'
          ? {
              status: fault.status,
              body: fault.code !== undefined ? { errors: { [fault.code]: [fault.message ?? 'Injected failure'] } } : { message: fault.message ?? 'Injected failure' },
            }
          : { status: 429, body: { message: 'Request was throttled.' }, headers: { 'Retry-After': String(fault.retryAfterSeconds) } },
      handle: () => {
        try {
          const isProtection = url.pathname.startsWith(`${prefix}/`);
          if (!isProtection && !url.pathname.startsWith('/cdn/')) throw new HttpError(404, { message: 'Not found.' });
          const expected = isProtection ? `Bearer ${protectionToken}` : `APIKey ${apiKey}`;
          if (req.headers.authorization !== expected) throw new HttpError(401, { message: 'Invalid authentication credentials.' });
          if (badJson) throw new HttpError(400, { message: 'JSON parse error.' });
          return isProtection ? handleProtection(method, url.pathname, url.searchParams, body) : handleCdn(method, url.pathname, url.searchParams, body);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          return { status: error.status, body: error.body };
        }
      },
    });
  };

  const server = await listenOnLoopback(onRequest, (res) => send(res, 500, { message: 'Internal server error.' }));
  const url = server.url;
  return {
    url,
    apiKey,
    protectionToken,
    protectionBase: `${url}${prefix}`,
    faults,
    requests,
    sslData,
    cdnResources,
    protectedResources,
    failNextIssuance: (error = 'ValidationError', details = 'The CA could not validate the domain', retryAfter) => {
      issuanceFailures.push({ error, details, ...(retryAfter !== undefined ? { retryAfter } : {}) });
    },
    close: () => server.close(),
  };
}
