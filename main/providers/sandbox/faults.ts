/**
 * Fault injection for the CDN Pro sandbox: make the next N matching requests fail in a chosen
 * way, or make the next deployment tasks fail with a given `statusDetails`.
 *
 * - `status`: answer with that HTTP status and `{code, message}` without doing anything.
 * - `rate-limit`: answer 429 with `x-rate-limit-retry-after-seconds` and `Retry-After`, without doing anything.
 * - `drop-before`: close the connection without doing anything.
 * - `drop-after`: do the work (the write happens), then close the connection with no answer.
 * - `delay`: do the work, then wait before answering (to trip a client timeout).
 */

/** One kind of fault. */
export type Fault =
  | { readonly kind: 'status'; readonly status: number; readonly code?: string; readonly message?: string }
  | { readonly kind: 'rate-limit'; readonly retryAfterSeconds: number }
  | { readonly kind: 'drop-before' }
  | { readonly kind: 'drop-after' }
  | { readonly kind: 'delay'; readonly ms: number };

/** Which requests a fault applies to; omitted fields match anything. */
export interface FaultMatch {
  readonly method?: string;
  /** A path prefix (e.g. '/cdn/deploymentTasks') or a regular expression. */
  readonly path?: string | RegExp;
  /** Let this many matching requests through before the fault starts. */
  readonly skip?: number;
}

interface Armed {
  readonly fault: Fault;
  readonly match: FaultMatch;
  remaining: number;
  skip: number;
}

/** Holds the armed faults; the server asks it about every API request. */
export class FaultInjector {
  private armed: Armed[] = [];
  private taskFailures: string[] = [];

  /** Arms `fault` for the next `count` requests that match. */
  next(count: number, fault: Fault, match: FaultMatch = {}): void {
    if (!Number.isInteger(count) || count < 1) throw new RangeError('count must be a positive integer');
    this.armed.push({ fault, match, remaining: count, skip: match.skip ?? 0 });
  }

  /** Makes the next `count` deployment tasks end in `failed` with `statusDetails` = `detail`. */
  failNextTask(detail = 'Task failed: the edge servers rejected the certificate', count = 1): void {
    for (let i = 0; i < count; i += 1) this.taskFailures.push(detail);
  }

  /** Disarms everything. */
  clear(): void {
    this.armed = [];
    this.taskFailures = [];
  }

  /** Faults still armed (request faults plus task failures). */
  pending(): number {
    return this.armed.reduce((n, a) => n + a.remaining, 0) + this.taskFailures.length;
  }

  /** The fault for this request, consuming one use; undefined when none matches. */
  take(method: string, path: string): Fault | undefined {
    const hit = this.armed.find((a) => a.remaining > 0 && matches(a.match, method, path));
    if (hit === undefined) return undefined;
    if (hit.skip > 0) {
      hit.skip -= 1;
      return undefined;
    }
    hit.remaining -= 1;
    this.armed = this.armed.filter((a) => a.remaining > 0);
    return hit.fault;
  }

  /** The failure reason for a task being created now, if one is armed. */
  takeTaskFailure(): string | undefined {
    return this.taskFailures.shift();
  }
}

function matches(match: FaultMatch, method: string, path: string): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) return false;
  if (match.path === undefined) return true;
  return typeof match.path === 'string' ? path.startsWith(match.path) : match.path.test(path);
}

/** Reads a fault from the control API's JSON (`{kind, count?, method?, path?, …}`); undefined when malformed. */
export function faultFromJson(value: unknown): { fault: Fault; count: number; match: FaultMatch } | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const count = typeof v.count === 'number' && Number.isInteger(v.count) && v.count > 0 ? v.count : 1;
  const match: FaultMatch = {
    ...(typeof v.method === 'string' ? { method: v.method } : {}),
    ...(typeof v.path === 'string' ? { path: v.path } : {}),
    ...(typeof v.skip === 'number' && Number.isInteger(v.skip) && v.skip > 0 ? { skip: v.skip } : {}),
  };
  let fault: Fault;
  switch (v.kind) {
    case 'status':
      if (typeof v.status !== 'number' || v.status < 400 || v.status > 599) return undefined;
      fault = {
        kind: 'status',
        status: v.status,
        ...(typeof v.code === 'string' ? { code: v.code } : {}),
        ...(typeof v.message === 'string' ? { message: v.message } : {}),
      };
      break;
    case 'rate-limit':
      fault = { kind: 'rate-limit', retryAfterSeconds: typeof v.retryAfterSeconds === 'number' ? v.retryAfterSeconds : 1 };
      break;
    case 'drop-before':
    case 'drop-after':
      fault = { kind: v.kind };
      break;
    case 'delay':
      if (typeof v.ms !== 'number' || v.ms < 0) return undefined;
      fault = { kind: 'delay', ms: v.ms };
      break;
    default:
      return undefined;
  }
  return { fault, count, match };
}
