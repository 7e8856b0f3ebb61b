/**
 * Pieces both Gcore clients share: the default rate limit, the in-memory log of the finished
 * tasks they return (Gcore keeps no deployment tasks), and the rule that sorts failures into
 * "the provider said no" (a failed task) and everything else (thrown).
 */
import { randomBytes } from 'node:crypto';
import { CertdeskError, isCertdeskError, type ErrorCode } from '../../../shared/errors.js';
import type { Clock, RateLimitOptions } from '../rate-limiter.js';
import type { DeploymentAction, EnvironmentResult, ProviderTask } from '../types.js';

/** No limit is published for these APIs; stay modest. */
export const GCORE_RATE_LIMIT: RateLimitOptions = { perMinute: 120, burst: 20 };

/** The single environment a Gcore certificate slot has. */
export const GCORE_ENVIRONMENT = 'production';

/** ISO 8601 UTC without milliseconds. */
export function isoAt(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The clock's now as ISO 8601. */
export function isoNow(clock: Clock): string {
  return isoAt(clock.now());
}

/** True for an error whose outcome the provider did not confirm (lost answer, 5xx). */
export function outcomeUnknown(error: unknown): error is CertdeskError {
  return isCertdeskError(error) && error.details.outcomeUnknown === true;
}

/** True when the failure happened below HTTP (the request may never have arrived). */
export function belowHttp(error: CertdeskError): boolean {
  return error.details.transport !== undefined;
}

/** True when `error` is a CertdeskError with `code`. */
export function hasCode(error: unknown, code: ErrorCode): error is CertdeskError {
  return isCertdeskError(error) && error.code === code;
}

/** Rethrows `error` saying that the outcome could not be confirmed. */
export function unconfirmed(error: CertdeskError, what: string, reconcileError?: unknown): CertdeskError {
  const why = reconcileError !== undefined && isCertdeskError(reconcileError) ? ` (reading it back failed too: ${reconcileError.message})` : '';
  return new CertdeskError(
    error.code,
    `${error.message}. Certdesk could not confirm whether ${what}${why}; look at it in Gcore before trying again`,
    { ...error.details, outcomeUnknown: true },
    { cause: error },
  );
}

const REFUSAL_CODES = new Set<ErrorCode>(['PROVIDER_REJECTED', 'PROVIDER_CONFLICT', 'PROVIDER_NOT_FOUND', 'PROVIDER_NOT_OWNER']);

/** A write Gcore answered with a definite 4xx refusal; turned into a failed task. */
export class RefusedWrite extends Error {
  constructor(readonly error: CertdeskError) {
    super(error.message);
  }
}

/** Runs a write; a definite 4xx refusal becomes a `RefusedWrite`, everything else passes through. */
export async function write<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (isCertdeskError(error) && REFUSAL_CODES.has(error.code) && typeof error.details.httpStatus === 'number' && error.details.outcomeUnknown !== true) {
      throw new RefusedWrite(error);
    }
    throw error;
  }
}

/** Finished tasks this client returned, for `getTask` / `listTasks`. */
export class TaskLog {
  private readonly tasks = new Map<string, ProviderTask>();

  constructor(private readonly prefix: string) {}

  /** Records a finished task and returns it. */
  record(fields: {
    readonly action: DeploymentAction;
    readonly certificateId: string;
    readonly version: number | null;
    readonly env: string;
    readonly succeeded: boolean;
    readonly detail: string;
    readonly submittedAt: string;
    readonly finishedAt: string;
    readonly environmentResults: readonly EnvironmentResult[];
  }): ProviderTask {
    const task: ProviderTask = {
      id: `${this.prefix}-${randomBytes(8).toString('hex')}`,
      status: fields.succeeded ? 'succeeded' : 'failed',
      detail: fields.detail,
      submittedAt: fields.submittedAt,
      finishedAt: fields.finishedAt,
      env: fields.env,
      name: `certdesk-${fields.action}`,
      actions: [{ action: fields.action, certificateId: fields.certificateId, version: fields.version }],
      environmentResults: fields.environmentResults,
    };
    this.tasks.set(task.id, task);
    return task;
  }

  /** The task, or undefined. */
  get(id: string): ProviderTask | undefined {
    return this.tasks.get(id);
  }

  /** Tasks for a certificate (and environment), newest first. */
  list(certificateId: string, env?: string): ProviderTask[] {
    return [...this.tasks.values()]
      .filter((t) => t.actions.some((a) => a.certificateId === certificateId) && (env === undefined || t.env === env))
      .reverse();
  }
}

/** The error for a task id this session does not know. */
export function unknownTask(providerLabel: string, taskId: string): CertdeskError {
  return new CertdeskError(
    'PROVIDER_NOT_FOUND',
    `${providerLabel} keeps no deployment tasks and this session has no record of task ${taskId}; its result was returned when it ran`,
    { provider: 'gcore', taskId },
  );
}

/** Turns a refused write into the failed outcome of a task. */
export function refusedOutcome(error: RefusedWrite, env: string): { succeeded: false; detail: string; environmentResults: EnvironmentResult[] } {
  const refused = error.error;
  return {
    succeeded: false,
    detail: refused.message,
    environmentResults: [{ environment: env, success: false, message: String(refused.details.message ?? refused.message) }],
  };
}
