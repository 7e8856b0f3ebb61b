/**
 * The handler table: one handler per API method, each parsing its arguments with the method's zod
 * schema before the implementation (and so any service) sees them, and the envelope every call returns.
 *
 * Plain Node (no electron import) so the e2e bridge and tests call exactly what the IPC wrapper
 * registers in the app.
 */
import { apiMethods, type ApiImplementation } from '../../shared/api.js';
import type { Envelope, EnvelopeErrorDetails } from '../../shared/api-client.js';
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import { createImplementation, type ImplementationDeps } from './implementation.js';

export type { Envelope } from '../../shared/api-client.js';

/** A handler receives untrusted arguments; it validates them before calling a service. */
export type Handler = (...args: unknown[]) => Promise<unknown>;

/** What the handlers need from the app. */
export type HandlerDeps = ImplementationDeps;

type AnyMethod = (...args: unknown[]) => Promise<unknown>;

/** Describes where and why arguments failed their schema, without echoing any value (it may be a password). */
function describeIssues(channel: string, issues: readonly { path: readonly PropertyKey[]; message: string }[]): string {
  const parts = issues.slice(0, 5).map((issue) => {
    const [index, ...rest] = issue.path;
    const where = typeof index === 'number' ? `argument ${index + 1}${rest.length > 0 ? ` (${rest.map(String).join('.')})` : ''}` : 'arguments';
    return `${where}: ${issue.message}`;
  });
  const more = issues.length > 5 ? `; and ${issues.length - 5} more` : '';
  return `Invalid arguments for ${channel}: ${parts.join('; ')}${more}`;
}

/** Binds an implementation to the method table: channel → validating handler. */
export function bindHandlers(impl: ApiImplementation): ReadonlyMap<string, Handler> {
  const table = new Map<string, Handler>();
  const namespaces = impl as unknown as Readonly<Record<string, Readonly<Record<string, AnyMethod>>>>;
  for (const [ns, name, spec] of apiMethods()) {
    const fn = namespaces[ns]?.[name];
    if (typeof fn !== 'function') throw new CertdeskError('INTERNAL', `No implementation for ${spec.channel}`);
    table.set(spec.channel, async (...args: unknown[]) => {
      const parsed = spec.args.safeParse(args);
      if (!parsed.success) throw new CertdeskError('INVALID_ARGUMENT', describeIssues(spec.channel, parsed.error.issues));
      return fn(...(parsed.data as unknown[]));
    });
  }
  return table;
}

/** Builds the channel → handler table over the app's services. */
export function createHandlers(deps: HandlerDeps): ReadonlyMap<string, Handler> {
  return bindHandlers(createImplementation(deps));
}

function safeDetails(details: Readonly<Record<string, unknown>>): EnvelopeErrorDetails | undefined {
  const out: { file?: string; field?: string } = {};
  if (typeof details.file === 'string') out.file = details.file;
  if (typeof details.field === 'string') out.field = details.field;
  return out.file !== undefined || out.field !== undefined ? out : undefined;
}

/** Calls a handler and wraps its outcome in an envelope; unexpected errors are logged, not leaked. */
export async function dispatch(
  handlers: ReadonlyMap<string, Handler>,
  channel: string,
  args: readonly unknown[],
  onUnexpected: (channel: string, err: unknown) => void = (ch, err) => console.error(`certdesk: ${ch} failed unexpectedly:`, err),
): Promise<Envelope> {
  const handler = handlers.get(channel);
  if (!handler) return { ok: false, error: { code: 'USAGE', message: `Unknown channel ${channel}` } };
  try {
    return { ok: true, value: await handler(...args) };
  } catch (err) {
    if (isCertdeskError(err)) {
      const details = safeDetails(err.details);
      return { ok: false, error: { code: err.code, message: err.message, ...(details ? { details } : {}) } };
    }
    onUnexpected(channel, err);
    return { ok: false, error: { code: 'INTERNAL', message: 'Unexpected error in Certdesk; see the log' } };
  }
}
