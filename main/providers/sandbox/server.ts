/**
 * The CDN Pro sandbox: a loopback HTTP server that speaks the CDN Pro certificate and
 * deployment API (providers.md §1) so a new user can try every workflow, and tests can run the
 * real client over real HTTP, without a provider account.
 *
 * It verifies the `Date` + Basic HMAC-SHA1 signature (401 `AccessDenied`), decrypts uploaded
 * keys with the same Date (400 `InvalidKey`), applies the version, deployment and ownership
 * rules in `state.ts`, rate-limits per customer (429 with `x-rate-limit-retry-after-seconds` and
 * `Retry-After`), puts `Qtl-Request-Id` on every response, and obeys the fault injector.
 * State can persist to a JSON file so `certdesk sandbox` survives a restart.
 *
 * Control API (same authentication), for tests that drive a separate sandbox process:
 * `GET /_sandbox/state`, `POST|DELETE /_sandbox/faults`, `POST /_sandbox/task-failures`.
 */
import { mkdirSync, readFileSync, renameSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CertdeskError } from '../../../shared/errors.js';
import { parseBasicAuthorization, verifySignature } from '../cdnpro/auth.js';
import { CDNPRO_RATE_LIMIT, TokenBucket, realSleep, systemClock, type Clock, type RateLimitOptions } from '../rate-limiter.js';
import { FaultInjector, faultFromJson, type Fault } from './faults.js';
import { ApiError, SandboxState, emptyData, type Query, type RequestContext, type SandboxCustomer, type SandboxData } from './state.js';

/** How to run the sandbox. */
export interface SandboxOptions {
  /** 0 (default) picks a free port. */
  readonly port?: number;
  /** Loopback address to bind; default 127.0.0.1. */
  readonly host?: string;
  readonly clock?: Clock;
  /** API user of the main customer; default "sandbox". */
  readonly user?: string;
  /** API key of the main customer; default random (or the persisted one). */
  readonly apiKey?: string;
  /** Deployment task length; default 3 minutes. */
  readonly taskDurationMs?: number;
  readonly taskWaitingMs?: number;
  readonly maxVersions?: number;
  readonly maxCertificates?: number;
  /** Per-customer limit; default CDN Pro's 30/min, burst 60. `false` turns it off. */
  readonly rateLimit?: RateLimitOptions | false;
  /** Largest accepted difference between the Date header and the clock; default 15 min. */
  readonly maxClockSkewMs?: number | false;
  /** Persist state to `<dataDir>/cdnpro-sandbox.json`. */
  readonly dataDir?: string;
  /** Seed another customer's certificate shared with you (default true). */
  readonly seed?: boolean;
  /** Receives one line per request and notable events. */
  readonly log?: (line: string) => void;
}

/** One request as the sandbox saw it (for tests). */
export interface SandboxRequestRecord {
  readonly method: string;
  readonly path: string;
  readonly status: number | 'dropped';
  readonly code?: string;
  readonly fault?: Fault['kind'];
  readonly requestId: string;
}

/** API credentials of a sandbox customer. */
export interface SandboxCredentials {
  readonly customerId: number;
  readonly user: string;
  readonly apiKey: string;
}

/** A running sandbox. */
export interface SandboxHandle {
  /** Base URL, e.g. http://127.0.0.1:38360 */
  readonly url: string;
  readonly port: number;
  readonly user: string;
  readonly apiKey: string;
  readonly customerId: number;
  /** A second customer (owner of the seeded shared certificate). */
  readonly otherCustomer: SandboxCredentials;
  /** A child customer of the main one (reachable with `On-Behalf-Of`). */
  readonly childCustomer: SandboxCredentials;
  /** The seeded certificate owned by `otherCustomer` and shared with you, if seeded. */
  readonly sharedCertificateId: string | undefined;
  readonly faults: FaultInjector;
  readonly state: SandboxState;
  /** Every API request handled, oldest first (the last 5000). */
  readonly requests: SandboxRequestRecord[];
  /** The state file, when persisting. */
  readonly stateFile: string | undefined;
  close(): Promise<void>;
}

/** The port `certdesk sandbox` uses unless told otherwise. */
export const DEFAULT_SANDBOX_PORT = 38360;

const STATE_FILE = 'cdnpro-sandbox.json';
const MAX_BODY = 1024 * 1024;
const MAIN_ID = 20001;
const OTHER_ID = 20002;
const CHILD_ID = 20003;
const SHARED_NAME = 'shared-by-another-customer';

function isLoopbackBind(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function defaultCode(status: number): string {
  if (status === 401) return 'AccessDenied';
  if (status === 403) return 'AccessDenied';
  if (status === 404) return 'NotFound';
  if (status === 429) return 'TooManyRequests';
  if (status === 503) return 'ServiceUnavailable';
  if (status >= 500) return 'InternalError';
  return 'InvalidInput';
}

function freshData(options: SandboxOptions): SandboxData {
  return emptyData([
    { id: MAIN_ID, user: options.user ?? 'sandbox', apiKey: options.apiKey ?? randomBytes(16).toString('hex') },
    { id: OTHER_ID, user: 'other-customer', apiKey: randomBytes(16).toString('hex') },
    { id: CHILD_ID, user: 'child-customer', apiKey: randomBytes(16).toString('hex'), parentId: MAIN_ID },
  ]);
}

function looksLikeData(value: unknown): value is SandboxData {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return v.schema === 1 && Array.isArray(v.customers) && Array.isArray(v.certificates) && Array.isArray(v.tasks);
}

/** Loads persisted state, moving a corrupt file aside; undefined when there is none. */
function loadData(file: string, clock: Clock, log: (line: string) => void): SandboxData | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (looksLikeData(parsed)) return parsed;
  } catch {
    // fall through to "corrupt"
  }
  const aside = `${file}.corrupt-${clock.now()}`;
  renameSync(file, aside);
  log(`sandbox state file ${file} was unreadable; moved it to ${aside} and started empty`);
  return undefined;
}

function saveData(file: string, data: SandboxData): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(data), { mode: 0o600 });
  chmodSync(tmp, 0o600);
  renameSync(tmp, file);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new ApiError(413, 'RequestTooLarge', 'The request body is larger than 1 MiB'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

interface Reply {
  readonly status: number;
  readonly body?: unknown;
  readonly location?: string;
  readonly headers?: Record<string, string>;
}

/** Starts the sandbox on a loopback address. */
export async function startSandbox(options: SandboxOptions = {}): Promise<SandboxHandle> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopbackBind(host)) {
    throw new CertdeskError('INVALID_ARGUMENT', `The sandbox only listens on loopback addresses, not ${host}`);
  }
  const clock = options.clock ?? systemClock;
  const log = options.log ?? (() => undefined);
  const stateFile = options.dataDir !== undefined ? join(options.dataDir, STATE_FILE) : undefined;
  if (options.dataDir !== undefined) mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const loaded = stateFile !== undefined ? loadData(stateFile, clock, log) : undefined;
  const data = loaded ?? freshData(options);
  if (loaded !== undefined && options.apiKey !== undefined) {
    data.customers = data.customers.map((c) => (c.id === MAIN_ID ? { ...c, apiKey: options.apiKey ?? c.apiKey } : c));
  }
  const faults = new FaultInjector();
  let dirty = false;
  const state = new SandboxState(data, {
    clock,
    ...(options.taskDurationMs !== undefined ? { taskDurationMs: options.taskDurationMs } : {}),
    ...(options.taskWaitingMs !== undefined ? { taskWaitingMs: options.taskWaitingMs } : {}),
    ...(options.maxVersions !== undefined ? { maxVersions: options.maxVersions } : {}),
    ...(options.maxCertificates !== undefined ? { maxCertificates: options.maxCertificates } : {}),
    onChange: () => {
      dirty = true;
    },
    nextTaskFailure: () => faults.takeTaskFailure(),
  });
  const persist = (): void => {
    if (dirty && stateFile !== undefined) {
      saveData(stateFile, data);
    }
    dirty = false;
  };
  const customer = (id: number): SandboxCustomer => {
    const c = state.customerById(id);
    if (c === undefined) throw new CertdeskError('INTERNAL', `sandbox customer ${id} missing`);
    return c;
  };
  let sharedCertificateId = data.certificates.find((c) => c.name === SHARED_NAME && c.ownerCustomerId === OTHER_ID)?.certificateId;
  if (sharedCertificateId === undefined && options.seed !== false) {
    sharedCertificateId = state.seedCertificate(customer(OTHER_ID), SHARED_NAME, { sharingMethod: 'all', shareWith: [] }, 'shared.example.net');
  }
  persist();

  const rateLimit = options.rateLimit === undefined ? CDNPRO_RATE_LIMIT : options.rateLimit;
  const buckets = new Map<number, TokenBucket>();
  const bucketFor = (id: number): TokenBucket | undefined => {
    if (rateLimit === false) return undefined;
    let b = buckets.get(id);
    if (b === undefined) {
      b = new TokenBucket(rateLimit, clock);
      buckets.set(id, b);
    }
    return b;
  };
  const requests: SandboxRequestRecord[] = [];
  const record = (r: SandboxRequestRecord): void => {
    requests.push(r);
    if (requests.length > 5000) requests.splice(0, requests.length - 5000);
    log(`${r.method} ${r.path} → ${r.status}${r.code !== undefined ? ` ${r.code}` : ''}${r.fault !== undefined ? ` [fault ${r.fault}]` : ''}`);
  };

  let baseUrl = '';

  /** Verifies Date + Basic HMAC; returns the signing customer or throws 401. */
  const authenticate = (req: IncomingMessage): { customer: SandboxCustomer; date: string } => {
    const date = req.headers.date;
    if (date === undefined || date.trim() === '') throw new ApiError(401, 'AccessDenied', 'The Date header is required');
    const when = Date.parse(date);
    if (Number.isNaN(when)) throw new ApiError(401, 'AccessDenied', 'The Date header is not a valid HTTP date');
    const skew = options.maxClockSkewMs === undefined ? 15 * 60_000 : options.maxClockSkewMs;
    if (skew !== false && Math.abs(when - clock.now()) > skew) {
      throw new ApiError(401, 'AccessDenied', 'The Date header is too far from the current time');
    }
    const basic = parseBasicAuthorization(req.headers.authorization);
    if (basic === undefined) throw new ApiError(401, 'AccessDenied', 'Basic authentication is required');
    const found = state.customerByUser(basic.user);
    if (found === undefined || !verifySignature(found.apiKey, date, basic.password)) {
      throw new ApiError(401, 'AccessDenied', 'Authentication failed: wrong user or signature');
    }
    return { customer: found, date };
  };

  const route = (method: string, path: string, query: Query, body: unknown, caller: SandboxCustomer, ctx: RequestContext): Reply => {
    const segments = path.split('/').filter((s) => s !== '').map((s) => decodeURIComponent(s));
    const [root, collection, id, sub, subId] = segments;
    if (root !== 'cdn' || segments.length > 5) throw new ApiError(404, 'NotFound', `No such resource: ${path}`);
    const notAllowed = (): never => {
      throw new ApiError(405, 'MethodNotAllowed', `${method} is not allowed on ${path}`);
    };
    if (collection === 'certificates') {
      if (id === undefined) {
        if (method === 'GET') return { status: 200, body: state.listCertificates(caller, query) };
        if (method === 'POST') {
          const newId = state.createCertificate(caller, body, ctx);
          return { status: 201, location: `${baseUrl}/cdn/certificates/${newId}` };
        }
        return notAllowed();
      }
      if (sub === undefined) {
        if (method === 'GET') return { status: 200, body: state.getCertificate(caller, id) };
        if (method === 'PATCH') {
          const version = state.updateCertificate(caller, id, body, ctx);
          return version !== null ? { status: 201, location: `${baseUrl}/cdn/certificates/${id}/versions/${version}` } : { status: 204 };
        }
        if (method === 'DELETE') {
          state.deleteCertificate(caller, id);
          return { status: 204 };
        }
        return notAllowed();
      }
      if (sub === 'csr' && subId === undefined) {
        return method === 'GET' ? { status: 200, body: state.getCsr(caller, id, query) } : notAllowed();
      }
      if (sub === 'versions' && subId !== undefined) {
        if (method === 'GET') return { status: 200, body: state.getVersion(caller, id, subId) };
        if (method === 'DELETE') {
          state.deleteVersion(caller, id, subId);
          return { status: 204 };
        }
        return notAllowed();
      }
    }
    if (collection === 'deploymentTasks' && sub === undefined) {
      if (id === undefined) {
        if (method === 'GET') return { status: 200, body: state.listTasks(caller, query) };
        if (method === 'POST') {
          const taskId = state.createTask(caller, body, ctx);
          return { status: 201, location: `${baseUrl}/cdn/deploymentTasks/${taskId}` };
        }
        return notAllowed();
      }
      return method === 'GET' ? { status: 200, body: state.getTask(caller, id) } : notAllowed();
    }
    throw new ApiError(404, 'NotFound', `No such resource: ${path}`);
  };

  const control = (method: string, path: string, body: unknown): Reply => {
    if (method === 'GET' && path === '/_sandbox/state') {
      state.advance();
      return {
        status: 200,
        body: {
          customers: data.customers.map((c) => ({ id: c.id, user: c.user, ...(c.parentId !== undefined ? { parentId: c.parentId } : {}) })),
          certificates: data.certificates.length,
          tasks: data.tasks.length,
          faultsPending: faults.pending(),
        },
      };
    }
    if (path === '/_sandbox/faults' && method === 'DELETE') {
      faults.clear();
      return { status: 204 };
    }
    if (path === '/_sandbox/faults' && method === 'POST') {
      const parsed = faultFromJson(body);
      if (parsed === undefined) throw new ApiError(400, 'InvalidInput', 'Expected {kind, count?, method?, path?, …}');
      faults.next(parsed.count, parsed.fault, parsed.match);
      return { status: 204 };
    }
    if (path === '/_sandbox/task-failures' && method === 'POST') {
      const b = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
      faults.failNextTask(
        typeof b.detail === 'string' ? b.detail : undefined,
        typeof b.count === 'number' && Number.isInteger(b.count) && b.count > 0 ? b.count : 1,
      );
      return { status: 204 };
    }
    throw new ApiError(404, 'NotFound', `No such control endpoint: ${method} ${path}`);
  };

  const send = (res: ServerResponse, reply: Reply): void => {
    for (const [name, value] of Object.entries(reply.headers ?? {})) res.setHeader(name, value);
    if (reply.location !== undefined) res.setHeader('Location', reply.location);
    if (reply.body === undefined) {
      res.setHeader('Content-Length', '0');
      res.writeHead(reply.status);
      res.end();
      return;
    }
    const text = JSON.stringify(reply.body);
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    res.setHeader('Content-Length', String(Buffer.byteLength(text)));
    res.writeHead(reply.status);
    res.end(text);
  };

  const errorReply = (error: ApiError): Reply => ({ status: error.status, body: { code: error.code, message: error.message } });

  const rateLimited = (seconds: number): Reply => ({
    status: 429,
    headers: { 'x-rate-limit-retry-after-seconds': String(seconds), 'Retry-After': String(seconds) },
    body: { code: 'TooManyRequests', message: `API rate limit exceeded; retry after ${seconds} second(s)` },
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const requestId = randomBytes(16).toString('hex');
    res.setHeader('Qtl-Request-Id', requestId);
    const method = (req.method ?? 'GET').toUpperCase();
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    // Older examples use /cdnapi/…; both prefixes reach the same API.
    const path = url.pathname.replace(/^\/cdnapi(?=\/|$)/, '/cdn');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const isControl = path.startsWith('/_sandbox/');
    const fault = isControl ? undefined : faults.take(method, path);
    /** Authenticates, rate-limits and routes one request. */
    const handleApi = async (): Promise<Reply> => {
      if (fault?.kind === 'status') {
        return { status: fault.status, body: { code: fault.code ?? defaultCode(fault.status), message: fault.message ?? 'Injected failure' } };
      }
      if (fault?.kind === 'rate-limit') return rateLimited(fault.retryAfterSeconds);
      const text = await readBody(req);
      const auth = authenticate(req);
      let caller = auth.customer;
      const onBehalfOf = req.headers['on-behalf-of'];
      if (typeof onBehalfOf === 'string' && onBehalfOf.trim() !== '' && !isControl) {
        const child = state.customerById(Number(onBehalfOf));
        if (child === undefined || (child.id !== caller.id && child.parentId !== caller.id)) {
          throw new ApiError(403, 'AccessDenied', `Customer ${onBehalfOf} is not a child of your customer`);
        }
        caller = child;
      }
      // One bucket per customer, shared by its API accounts; failed calls count too.
      const bucket = isControl ? undefined : bucketFor(auth.customer.id);
      if (bucket !== undefined) {
        const wait = bucket.tryTake();
        if (wait > 0) return rateLimited(Math.max(1, Math.ceil(wait / 1000)));
        res.setHeader('x-rate-limit-remaining', String(Math.max(0, Math.floor(bucket.available()))));
      }
      let body: unknown;
      if (text.trim() !== '') {
        try {
          body = JSON.parse(text);
        } catch {
          throw new ApiError(400, 'InvalidInput', 'The request body is not valid JSON');
        }
      }
      const ctx: RequestContext = { date: auth.date, apiKey: auth.customer.apiKey, user: auth.customer.user, requestId };
      return isControl ? control(method, path, body) : route(method, path, query, body, caller, ctx);
    };

    if (fault?.kind === 'drop-before') {
      record({ method, path, status: 'dropped', fault: 'drop-before', requestId });
      req.socket.destroy();
      return;
    }
    let reply: Reply;
    try {
      reply = await handleApi();
    } catch (error) {
      if (error instanceof ApiError) reply = errorReply(error);
      else {
        log(`sandbox internal error: ${error instanceof Error ? error.message : String(error)}`);
        reply = { status: 500, body: { code: 'InternalError', message: 'The sandbox failed to handle the request' } };
      }
    }
    persist();
    const code = typeof reply.body === 'object' && reply.body !== null ? (reply.body as { code?: unknown }).code : undefined;
    if (fault?.kind === 'drop-after') {
      record({ method, path, status: 'dropped', fault: 'drop-after', requestId, ...(typeof code === 'string' ? { code } : {}) });
      req.socket.destroy();
      return;
    }
    // Recorded when the work is done, before any injected delay.
    record({
      method,
      path,
      status: reply.status,
      requestId,
      ...(typeof code === 'string' && reply.status >= 400 ? { code } : {}),
      ...(fault !== undefined ? { fault: fault.kind } : {}),
    });
    if (fault?.kind === 'delay') await realSleep(fault.ms);
    if (!res.destroyed) send(res, reply);
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      log(`sandbox failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!res.headersSent) {
        res.writeHead(500);
        res.end();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const main = customer(MAIN_ID);
  const other = customer(OTHER_ID);
  const child = customer(CHILD_ID);
  return {
    url: baseUrl,
    port,
    user: main.user,
    apiKey: main.apiKey,
    customerId: main.id,
    otherCustomer: { customerId: other.id, user: other.user, apiKey: other.apiKey },
    childCustomer: { customerId: child.id, user: child.user, apiKey: child.apiKey },
    sharedCertificateId,
    faults,
    state,
    requests,
    stateFile,
    close: () =>
      new Promise<void>((resolve) => {
        persist();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Where `runSandboxCommand` writes its lines. */
export interface SandboxCommandOutput {
  write(text: string): unknown;
}

/**
 * `certdesk sandbox [--port N]`: starts the sandbox (state kept in `dataDir` when given), prints
 * its URL and credentials, and returns the handle; the server keeps the process alive until closed.
 */
export async function runSandboxCommand(
  options: { port?: number; dataDir?: string; taskDurationMs?: number; out?: SandboxCommandOutput } = {},
): Promise<SandboxHandle> {
  const out = options.out ?? process.stdout;
  let handle: SandboxHandle;
  try {
    handle = await startSandbox({
      port: options.port ?? DEFAULT_SANDBOX_PORT,
      ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
      ...(options.taskDurationMs !== undefined ? { taskDurationMs: options.taskDurationMs } : {}),
    });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new CertdeskError('USAGE', `Port ${options.port ?? DEFAULT_SANDBOX_PORT} is already in use; choose another with --port N`);
    }
    throw error;
  }
  out.write(
    [
      `CDN Pro sandbox (a local simulation, not a real provider) listening on ${handle.url}`,
      `  API user: ${handle.user}`,
      `  API key:  ${handle.apiKey}`,
      `  State:    ${handle.stateFile ?? 'in memory (lost when stopped)'}`,
      `Add it as an account:`,
      `  printf %s '${handle.apiKey}' | certdesk account add --provider cdnpro --name Sandbox --endpoint ${handle.url} --user ${handle.user} --secret-stdin`,
      `Press Ctrl+C to stop.`,
      '',
    ].join('\n'),
  );
  return handle;
}
