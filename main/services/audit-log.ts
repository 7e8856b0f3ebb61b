/**
 * The append-only audit log: one JSON object per line in `audit.log` in the data directory.
 *
 * Each event is one `write` on a file opened with O_APPEND, so concurrent writers (the app and the
 * CLI) never interleave within a line. Details are scrubbed of anything that looks like key
 * material before they are written; callers must still never pass secrets.
 */
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';

/** How an audited action ended. */
export type AuditOutcome = 'success' | 'failure';

/** One audit log line. */
export interface AuditEvent {
  /** ISO 8601 UTC. */
  readonly time: string;
  /** Dotted verb, e.g. `key.generate`. */
  readonly action: string;
  /** What the action was about, e.g. a key id or `account/certificate`. */
  readonly target: string;
  readonly outcome: AuditOutcome;
  readonly detail?: string;
}

/** An event as callers give it (the log stamps the time). */
export type AuditEventInput = Omit<AuditEvent, 'time'>;

/** Appends and reads audit events. */
export interface AuditLog {
  /** The log file. */
  readonly path: string;
  /** Appends one event; returns it as written. */
  append(event: AuditEventInput): Promise<AuditEvent>;
  /** The newest events first, at most `limit` (default 100). */
  read(options?: { readonly limit?: number }): Promise<AuditEvent[]>;
}

/** What the audit log needs. */
export interface AuditLogOptions {
  readonly dataDir: string;
  readonly now?: () => Date;
}

/** The log file's name inside the data directory. */
export const AUDIT_LOG_FILE = 'audit.log';

const MAX_DETAIL = 2000;
const PEM_BLOCK = /-----BEGIN [^-]*-----[\s\S]*?(-----END [^-]*-----|$)/g;
// Long runs of base64/hex are what key material looks like when it leaks into a message.
const LONG_BLOB = /[A-Za-z0-9+/=_-]{120,}/g;

/** Removes anything that looks like key material from an audit detail, and caps its length. */
export function scrubDetail(detail: string): string {
  const scrubbed = detail.replace(PEM_BLOCK, '[redacted PEM]').replace(LONG_BLOB, '[redacted]');
  return scrubbed.length > MAX_DETAIL ? `${scrubbed.slice(0, MAX_DETAIL)}…` : scrubbed;
}

function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function isEvent(value: unknown): value is AuditEvent {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.time === 'string' &&
    typeof v.action === 'string' &&
    typeof v.target === 'string' &&
    (v.outcome === 'success' || v.outcome === 'failure') &&
    (v.detail === undefined || typeof v.detail === 'string')
  );
}

/** The audit log of a data directory. */
export function createAuditLog(options: AuditLogOptions): AuditLog {
  const path = join(options.dataDir, AUDIT_LOG_FILE);
  const now = options.now ?? (() => new Date());

  return {
    path,
    async append(input) {
      const event: AuditEvent = {
        time: isoSeconds(now()),
        action: input.action,
        target: input.target,
        outcome: input.outcome,
        ...(input.detail !== undefined ? { detail: scrubDetail(input.detail) } : {}),
      };
      await fsp.mkdir(options.dataDir, { recursive: true, mode: 0o700 });
      // 'a' opens with O_APPEND; one write per line keeps lines whole.
      const handle = await fsp.open(path, 'a', 0o600);
      try {
        await handle.write(`${JSON.stringify(event)}\n`);
      } finally {
        await handle.close();
      }
      return event;
    },
    async read(readOptions = {}) {
      const limit = readOptions.limit ?? 100;
      let text: string;
      try {
        text = await fsp.readFile(path, 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
        throw err;
      }
      const events: AuditEvent[] = [];
      const lines = text.split('\n');
      for (let i = lines.length - 1; i >= 0 && events.length < limit; i--) {
        const line = lines[i]?.trim();
        if (!line) continue;
        try {
          const parsed: unknown = JSON.parse(line);
          // A torn or foreign line is skipped, not fatal: the log is for people, not for state.
          if (isEvent(parsed)) events.push(parsed);
        } catch {
          continue;
        }
      }
      return events;
    },
  };
}
