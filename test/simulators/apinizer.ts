/**
 * A test-only Apinizer Management API ("apiops") simulator: a loopback `node:http` server that
 * implements the certificate endpoints as documented (providers.md §2), so the client runs over
 * real HTTP against the documented behaviour rather than against mocks.
 *
 * - Auth: `Authorization: Bearer <token>` (a personal token, or one issued by
 *   `POST /apiops/auth/token` with form-encoded client credentials; issued tokens expire).
 * - Paths must end in `/` (except `/apiops/auth/token`, documented without one); names are
 *   URL-decoded; an unknown project is 404 `not_found`.
 * - Create/replace take `multipart/form-data` (parsed here) with every documented field
 *   required; not-found and duplicates are 400 `bad_request` with the documented messages.
 * - Create/update/delete answer with per-environment `environmentResults`; `failEnvironment`
 *   makes the next operation fail in one environment (a partial failure).
 * - List leaves out `base64EncodedContent` (the docs say it is excluded for performance); get
 *   includes it (base64 of the DER).
 * - Fault injection (the CDN Pro sandbox's injector): `status` → `{error, error_description}`,
 *   `rate-limit` → `{error:"rate_limit_exceeded", retry_after}` (a `Retry-After` header only
 *   when asked), `drop-before`, `drop-after`, `delay`.
 * Every request is recorded with its parsed form, so tests can assert on what was sent.
 */
import { createHash, randomBytes, X509Certificate } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { FaultInjector } from '../../main/providers/sandbox/faults.js';
import { systemClock, type Clock } from '../../main/providers/rate-limiter.js';
import { answerWithFaults, listenOnLoopback, readBody, type SimAnswer } from './http-sim.js';

/** How to run the simulator. */
export interface ApinizerSimulatorOptions {
  readonly environments?: readonly string[];
  readonly projects?: readonly string[];
  /** The personal API access token; default random. */
  readonly token?: string;
  /** Username → password for `POST /apiops/auth/token`. */
  readonly users?: Readonly<Record<string, string>>;
  readonly tokenTtlSeconds?: number;
  readonly clock?: Clock;
  /** Also send `Retry-After` with a rate-limit answer (the docs only mention the body field). */
  readonly rateLimitHeader?: boolean;
  /** Status of a rate-limit answer (not documented; default 429). */
  readonly rateLimitStatus?: number;
  /** Include `base64EncodedContent` in list answers too. */
  readonly listIncludesContent?: boolean;
}

/** A parsed multipart file part. */
export interface ReceivedFile {
  readonly name: string;
  readonly filename: string;
  readonly contentType: string;
  readonly content: string;
}

/** One request as the simulator saw it. */
export interface ApinizerRequestRecord {
  readonly method: string;
  /** Path as sent (still URL-encoded), without the query. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly status: number | 'dropped';
  readonly authorization: string | undefined;
  readonly contentType: string | undefined;
  /** Text fields of a multipart or form-encoded body. */
  readonly fields: Readonly<Record<string, string>>;
  readonly files: readonly ReceivedFile[];
  readonly rawBody: string;
}

/** A certificate in one environment. */
export interface SimEnvironmentEntry {
  readonly der: Buffer;
  readonly alias: string;
}

/** A certificate as the simulator holds it. */
export interface SimCertificate {
  readonly name: string;
  description: string;
  readonly environments: Map<string, SimEnvironmentEntry>;
}

/** A running simulator. */
export interface ApinizerSimulator {
  /** The manager URL, e.g. http://127.0.0.1:PORT (the API is under /apiops/). */
  readonly url: string;
  readonly token: string;
  readonly faults: FaultInjector;
  readonly requests: ApinizerRequestRecord[];
  /** The certificates of a project (default: the first). */
  certificates(project?: string): Map<string, SimCertificate>;
  /** The next operation that touches `env` fails there with `message` (`count` times). */
  failEnvironment(env: string, message?: string, count?: number): void;
  /** Makes every issued (client-credentials) token expire now. */
  expireIssuedTokens(): void;
  close(): Promise<void>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
  }
}

function badRequest(description: string): HttpError {
  return new HttpError(400, 'bad_request', description);
}

/** Minimal RFC 7578 parser: text fields and file parts. */
export function parseMultipart(body: Buffer, contentType: string): { fields: Record<string, string>; files: ReceivedFile[] } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  const marker = boundary?.[1] ?? boundary?.[2]?.trim();
  if (marker === undefined) throw badRequest('multipart boundary missing');
  const text = body.toString('utf8');
  const fields: Record<string, string> = {};
  const files: ReceivedFile[] = [];
  const sections = text.split(`--${marker}`);
  // sections[0] is the preamble; the last one starts with "--" (the closing delimiter).
  for (const section of sections.slice(1)) {
    if (section.startsWith('--')) break;
    const part = section.replace(/^\r\n/, '');
    const split = part.indexOf('\r\n\r\n');
    if (split < 0) throw badRequest('malformed multipart part');
    const headerText = part.slice(0, split);
    let content = part.slice(split + 4);
    if (content.endsWith('\r\n')) content = content.slice(0, -2);
    const disposition = /content-disposition:\s*form-data;([^\r\n]*)/i.exec(headerText)?.[1] ?? '';
    const name = /\bname="([^"]*)"/i.exec(disposition)?.[1];
    if (name === undefined) throw badRequest('multipart part without a name');
    const filename = /\bfilename="([^"]*)"/i.exec(disposition)?.[1];
    if (filename !== undefined) {
      const partType = /content-type:\s*([^\r\n]+)/i.exec(headerText)?.[1]?.trim() ?? 'application/octet-stream';
      files.push({ name, filename, contentType: partType, content });
    } else {
      fields[name] = content;
    }
  }
  return { fields, files };
}

function subjectDn(cert: X509Certificate): string {
  return cert.subject
    .split('\n')
    .filter((l) => l !== '')
    .reverse()
    .join(', ');
}

function reply(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), 'X-Request-Id': randomBytes(6).toString('hex'), ...headers });
  res.end(text);
}

/** Starts the simulator on 127.0.0.1 (a free port). */
export async function startApinizerSimulator(options: ApinizerSimulatorOptions = {}): Promise<ApinizerSimulator> {
  const clock = options.clock ?? systemClock;
  const environments = new Set(options.environments ?? ['production', 'staging', 'development']);
  const projects = new Map<string, Map<string, SimCertificate>>();
  for (const p of options.projects ?? ['MyProject']) projects.set(p, new Map());
  const personalToken = options.token ?? `pat-${randomBytes(16).toString('hex')}`;
  const users = options.users ?? { admin: 'admin-password' };
  const issued = new Map<string, number>();
  const faults = new FaultInjector();
  const requests: ApinizerRequestRecord[] = [];
  const envFailures: { env: string; message: string }[] = [];

  const takeEnvFailure = (env: string): string | undefined => {
    const i = envFailures.findIndex((f) => f.env === env);
    if (i < 0) return undefined;
    const [hit] = envFailures.splice(i, 1);
    return hit?.message;
  };

  const checkAuth = (req: IncomingMessage): void => {
    const header = req.headers.authorization ?? '';
    const m = /^Bearer (\S+)$/.exec(header);
    if (m === null) throw new HttpError(401, 'invalid_token', 'Token is invalid or expired');
    const token = m[1] ?? '';
    if (token === personalToken) return;
    const expires = issued.get(token);
    if (expires === undefined) throw new HttpError(401, 'invalid_token', 'Token is invalid or expired');
    if (clock.now() >= expires) throw new HttpError(401, 'token_expired', 'Token has expired');
  };

  const parseCertificate = (files: readonly ReceivedFile[]): Buffer => {
    const file = files.find((f) => f.name === 'pemEncodedFile');
    if (file === undefined || file.content.trim() === '') throw badRequest('pemEncodedFile value can not be empty!');
    const block = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(file.content);
    if (block === null) throw badRequest('pemEncodedFile is not a valid PEM encoded certificate!');
    const der = Buffer.from((block[1] ?? '').replace(/\s+/g, ''), 'base64');
    try {
      new X509Certificate(der);
    } catch {
      throw badRequest('pemEncodedFile is not a valid PEM encoded certificate!');
    }
    return der;
  };

  const requireField = (fields: Record<string, string>, name: string): string => {
    const value = fields[name];
    if (value === undefined || value.trim() === '') throw badRequest(`${name} value can not be empty!`);
    return value.trim();
  };

  /** Deploys `der` to `envs`, replacing the certificate's environment set; per-environment results. */
  const deploy = (
    project: Map<string, SimCertificate>,
    cert: SimCertificate,
    envs: readonly string[],
    alias: string,
    der: Buffer,
  ): { environmentName: string; success: boolean; message: string }[] => {
    for (const env of envs) if (!environments.has(env)) throw badRequest(`Environment (${env}) is not found!`);
    for (const other of project.values()) {
      if (other.name === cert.name) continue;
      for (const env of envs) {
        if (other.environments.get(env)?.alias === alias) throw badRequest(`Alias (${alias}) is already used for another certificate, try changing this value!`);
      }
    }
    // "Old certificate is deleted and new one is created": environments not listed are dropped.
    for (const env of [...cert.environments.keys()]) if (!envs.includes(env)) cert.environments.delete(env);
    return envs.map((env) => {
      const failure = takeEnvFailure(env);
      if (failure !== undefined) {
        cert.environments.delete(env);
        return { environmentName: env, success: false, message: failure };
      }
      cert.environments.set(env, { der, alias });
      return { environmentName: env, success: true, message: 'Deployed successfully' };
    });
  };

  const deploymentBody = (results: { success: boolean }[], verb: 'Deployment' | 'Undeployment'): unknown => {
    const ok = results.every((r) => r.success);
    return {
      success: true,
      deploymentResult: {
        success: ok,
        message: ok ? `${verb} completed successfully` : `${verb} completed with errors`,
        environmentResults: results,
      },
    };
  };

  const describe = (cert: SimCertificate, withContent: boolean): unknown => ({
    name: cert.name,
    description: cert.description,
    certificateEnvironmentList: [...cert.environments.entries()].map(([env, entry]) => {
      const x = new X509Certificate(entry.der);
      return {
        environmentName: env,
        startDate: new Date(x.validFrom).toISOString(),
        endDate: new Date(x.validTo).toISOString(),
        ...(withContent ? { base64EncodedContent: entry.der.toString('base64') } : {}),
        sha1Thumbprint: createHash('sha1').update(entry.der).digest('hex').toUpperCase(),
        subjectDn: subjectDn(x),
        alias: entry.alias,
      };
    }),
  });

  /** The API itself; returns status and body. */
  const handle = (
    req: IncomingMessage,
    pathname: string,
    query: URLSearchParams,
    body: Buffer,
    form: { fields: Record<string, string>; files: ReceivedFile[] },
  ): { status: number; body: unknown } => {
    const method = req.method ?? 'GET';
    if (pathname === '/apiops/auth/token') {
      if (method !== 'POST') throw new HttpError(405, 'method_not_allowed', 'Use POST');
      if (!/application\/x-www-form-urlencoded/i.test(req.headers['content-type'] ?? '')) throw badRequest('Content-Type must be application/x-www-form-urlencoded');
      const params = new URLSearchParams(body.toString('utf8'));
      const id = params.get('client_id') ?? '';
      if (params.get('grant_type') !== 'client_credentials' || users[id] === undefined || users[id] !== params.get('client_secret')) {
        throw new HttpError(401, 'unauthorized_client', 'Bad credentials');
      }
      const token = `tok-${randomBytes(16).toString('hex')}`;
      const ttl = options.tokenTtlSeconds ?? 3600;
      issued.set(token, clock.now() + ttl * 1000);
      return { status: 200, body: { access_token: token, token_type: 'Bearer', expires_in: ttl } };
    }
    checkAuth(req);
    if (!pathname.endsWith('/')) throw new HttpError(404, 'not_found', `No endpoint ${method} ${pathname}`);
    const m = /^\/apiops\/projects\/([^/]+)\/certificates\/(?:([^/]+)\/)?$/.exec(pathname);
    if (m === null) throw new HttpError(404, 'not_found', `No endpoint ${method} ${pathname}`);
    const projectName = decodeURIComponent(m[1] ?? '');
    const certName = m[2] !== undefined ? decodeURIComponent(m[2]) : undefined;
    const project = projects.get(projectName);
    if (project === undefined) throw new HttpError(404, 'not_found', `Project(${projectName}) was not found or user does not have privilege to access it!`);

    if (certName === undefined) {
      if (method === 'GET') {
        return { status: 200, body: { success: true, resultList: [...project.values()].map((c) => describe(c, options.listIncludesContent === true)) } };
      }
      if (method === 'POST') {
        const name = requireField(form.fields, 'certificateName');
        const alias = requireField(form.fields, 'alias');
        const description = form.fields.certificateDescription ?? '';
        const envs = requireField(form.fields, 'environmentList')
          .split(',')
          .map((e) => e.trim())
          .filter((e) => e !== '');
        if (envs.length === 0) throw badRequest('environmentList value can not be empty!');
        const der = parseCertificate(form.files);
        if (project.has(name)) throw badRequest(`Certificate (name: ${name}) is already exist!`);
        const cert: SimCertificate = { name, description, environments: new Map() };
        const results = deploy(project, cert, envs, alias, der);
        project.set(name, cert);
        return { status: 200, body: deploymentBody(results, 'Deployment') };
      }
      throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
    }

    const cert = project.get(certName);
    if (method === 'GET') {
      if (cert === undefined) throw badRequest(`Certificate (name: ${certName}) is not found!`);
      return { status: 200, body: { success: true, resultList: [describe(cert, true)] } };
    }
    if (method === 'PUT') {
      const jwks = query.get('updateReferencedJwks');
      if (jwks !== null && jwks !== 'true' && jwks !== 'false') throw badRequest('updateReferencedJwks must be true or false');
      const scope = query.get('updateScope');
      if (jwks === 'true' && scope !== 'SAME_PROJECT' && scope !== 'ALL_PROJECTS') throw badRequest('updateScope is required when updateReferencedJwks is true (SAME_PROJECT or ALL_PROJECTS)');
      if (scope !== null && scope !== 'SAME_PROJECT' && scope !== 'ALL_PROJECTS') throw badRequest(`updateScope (${scope}) is not valid`);
      if (cert === undefined) throw badRequest(`Certificate (name: ${certName}) is not found!`);
      const sentName = form.fields.certificateName;
      if (sentName !== undefined && sentName !== certName) throw badRequest('certificateName can not be changed!');
      const alias = requireField(form.fields, 'alias');
      const description = requireField(form.fields, 'certificateDescription');
      const envs = requireField(form.fields, 'environmentList')
        .split(',')
        .map((e) => e.trim())
        .filter((e) => e !== '');
      const der = parseCertificate(form.files);
      const results = deploy(project, cert, envs, alias, der);
      cert.description = description;
      return { status: 200, body: deploymentBody(results, 'Deployment') };
    }
    if (method === 'DELETE') {
      if (cert === undefined) throw badRequest(`Certificate (name: ${certName}) is not found!`);
      const results = [...cert.environments.keys()].map((env) => {
        const failure = takeEnvFailure(env);
        return failure !== undefined
          ? { environmentName: env, success: false, message: failure }
          : { environmentName: env, success: true, message: 'Undeployed successfully' };
      });
      project.delete(certName);
      return { status: 200, body: deploymentBody(results, 'Undeployment') };
    }
    throw new HttpError(405, 'method_not_allowed', `${method} is not allowed here`);
  };

  const onRequest = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    const method = req.method ?? 'GET';
    const body = await readBody(req);
    const contentType = req.headers['content-type'];
    let form: { fields: Record<string, string>; files: ReceivedFile[] } = { fields: {}, files: [] };
    let formError: HttpError | undefined;
    try {
      if (contentType !== undefined && /multipart\/form-data/i.test(contentType)) form = parseMultipart(body, contentType);
      else if (contentType !== undefined && /x-www-form-urlencoded/i.test(contentType)) form = { fields: Object.fromEntries(new URLSearchParams(body.toString('utf8'))), files: [] };
    } catch (error) {
      formError = error instanceof HttpError ? error : badRequest('unreadable form');
    }
    const base = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      authorization: req.headers.authorization,
      contentType,
      fields: form.fields,
      files: form.files,
      rawBody: body.toString('utf8'),
    };
    await answerWithFaults({
      req,
      res,
      fault: faults.take(method, url.pathname),
      record: (status) => requests.push({ ...base, status }),
      send: reply,
      faultAnswer: (fault): SimAnswer =>
        fault.kind === 'status'
          ? { status: fault.status, body: { error: fault.code ?? (fault.status >= 500 ? 'internal_error' : 'bad_request'), error_description: fault.message ?? 'Injected failure' } }
          : {
              status: options.rateLimitStatus ?? 429,
              body: { error: 'rate_limit_exceeded', error_description: 'Rate limit exceeded. Please try again later.', retry_after: fault.retryAfterSeconds },
              headers: options.rateLimitHeader === true ? { 'Retry-After': String(fault.retryAfterSeconds) } : {},
            },
      handle: () => {
        try {
          if (formError !== undefined) throw formError;
          return handle(req, url.pathname, url.searchParams, body, form);
        } catch (error) {
          if (!(error instanceof HttpError)) throw error;
          return { status: error.status, body: { error: error.error, error_description: error.description } };
        }
      },
    });
  };

  const server = await listenOnLoopback(onRequest, (res) =>
    reply(res, 500, { error: 'internal_error', error_description: 'An unexpected error occurred. Please try again later.' }),
  );

  return {
    url: server.url,
    token: personalToken,
    faults,
    requests,
    certificates: (project?: string) => projects.get(project ?? [...projects.keys()][0] ?? '') ?? new Map(),
    failEnvironment: (env, message = `Deployment to ${env} failed: gateway did not accept the certificate`, count = 1) => {
      for (let i = 0; i < count; i += 1) envFailures.push({ env, message });
    },
    expireIssuedTokens: () => {
      for (const token of issued.keys()) issued.set(token, 0);
    },
    close: () => server.close(),
  };
}
