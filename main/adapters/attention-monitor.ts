/**
 * Looks at the certificates needing attention now and then, and announces each certificate and
 * state at most once a day (see notification-policy.ts). Plain Node: the alert source, the
 * threshold, the clock (through the de-duplicator) and the notifier are passed in.
 *
 * The default source reads the inventory Certdesk last fetched (no provider call): the
 * Certificates screen and deployments keep it fresh, and a background check should not spend the
 * providers' rate limits.
 */
import type { AccountRecord, CachedCertificate } from '../store/schema.js';
import type { CertificateView } from '../services/inventory-service.js';
import { CERTIFICATE_STATES, daysLeft } from '../services/expiry.js';
import {
  NOTIFIED_STATES,
  attentionKey,
  attentionNotice,
  attentionStates,
  type AttentionAlert,
  type AttentionState,
  type Notice,
  type NotificationDeduper,
} from './notification-policy.js';

const ALL_STATES: ReadonlySet<AttentionState> = new Set(['expired', 'expiring', 'renewed-not-deployed', 'staging-differs', 'not-owner']);

/** How often the monitor looks by default: hourly (announcements stay once a day). */
export const ATTENTION_CHECK_MS = 60 * 60 * 1000;

/** What the monitor needs. */
export interface AttentionMonitorDeps {
  /** The certificates needing attention now. */
  readonly alerts: () => Promise<readonly AttentionAlert[]>;
  /** The user's expiry threshold in days (settings). */
  readonly thresholdDays: () => Promise<number>;
  readonly dedupe: NotificationDeduper;
  readonly notify: (notice: Notice) => void;
  /** Each certificate needing attention at every check, announced or not, with `expiring` judged by the threshold (the renderer's `expiryAlert` event). */
  readonly onAlert?: (alert: AttentionAlert) => void;
  /** Persists the de-duplication state after a check that announced something. */
  readonly save?: (state: Record<string, string>) => Promise<void>;
  readonly onError?: (err: unknown) => void;
}

/** A running monitor. */
export interface AttentionMonitor {
  /** Checks now; resolves with what was announced. Concurrent calls share one check. */
  check(): Promise<readonly Notice[]>;
  /** Checks now and then every `intervalMs`. */
  start(intervalMs?: number): void;
  stop(): void;
}

/** Creates the monitor (not started). */
export function createAttentionMonitor(deps: AttentionMonitorDeps): AttentionMonitor {
  let running: Promise<readonly Notice[]> | null = null;
  let timer: NodeJS.Timeout | null = null;

  const run = async (): Promise<readonly Notice[]> => {
    const [alerts, threshold] = await Promise.all([deps.alerts(), deps.thresholdDays()]);
    const shown: Notice[] = [];
    for (const alert of alerts) {
      const states = attentionStates(alert, threshold, ALL_STATES);
      if (states.length === 0) continue;
      deps.onAlert?.({ ...alert, states: CERTIFICATE_STATES.filter((s) => (s === 'expiring' ? states.includes('expiring') || states.includes('expired') : states.includes(s))) });
      for (const state of states.filter((s) => NOTIFIED_STATES.has(s))) {
        if (!deps.dedupe.claim(attentionKey(alert, state))) continue;
        const notice = attentionNotice(alert, state);
        deps.notify(notice);
        shown.push(notice);
      }
    }
    if (shown.length > 0) await deps.save?.(deps.dedupe.snapshot());
    return shown;
  };

  const check = (): Promise<readonly Notice[]> => {
    running ??= run().finally(() => {
      running = null;
    });
    return running;
  };

  const safeCheck = (): void => {
    check().catch((err: unknown) => deps.onError?.(err));
  };

  return {
    check,
    start(intervalMs = ATTENTION_CHECK_MS) {
      if (timer !== null) return;
      safeCheck();
      timer = setInterval(safeCheck, intervalMs);
      timer.unref();
    },
    stop() {
      if (timer !== null) clearInterval(timer);
      timer = null;
    },
  };
}

/** The part of the inventory service the default source reads. */
export interface InventoryReader {
  list(options: { readonly refresh: false }): Promise<readonly { readonly account: AccountRecord; readonly certificates: readonly CachedCertificate[] }[]>;
  view(account: AccountRecord, certificate: CachedCertificate): CertificateView;
}

/**
 * Alerts from the cached inventory: the inventory's own states (renewed-not-deployed…) and the
 * fewest days left over staging and production (the latest version's when deployed nowhere).
 * `expiring` is left to `attentionStates`, which applies the user's threshold to `daysLeft`.
 */
export async function alertsFromInventory(inventory: InventoryReader, now: () => Date): Promise<AttentionAlert[]> {
  const out: AttentionAlert[] = [];
  const at = now();
  for (const { account, certificates } of await inventory.list({ refresh: false })) {
    for (const certificate of certificates) {
      const view = inventory.view(account, certificate);
      const deployed = [view.notAfter.staging, view.notAfter.production].filter((d): d is string => d !== null);
      const dates = deployed.length > 0 ? deployed : certificate.expiresAt !== null ? [certificate.expiresAt] : [];
      const lefts = dates.map((d) => daysLeft(d, at)).filter((d): d is number => d !== null);
      const left = lefts.length > 0 ? Math.min(...lefts) : null;
      const states = view.states.filter((s) => s !== 'expiring');
      if (states.length === 0 && left === null) continue;
      out.push({ account: account.name, accountId: account.id, certificate: certificate.id, certificateName: certificate.name, states, daysLeft: left });
    }
  }
  return out;
}
