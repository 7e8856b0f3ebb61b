/**
 * What the app runs beside its window once the core is open: the embedded sandbox for the default
 * Sandbox account, unfinished deployment tasks followed again, desktop notifications for tasks that
 * end and certificates that need attention. Plain Node over injected pieces, so main/index.ts only
 * wires Electron to it and the order and the shutdown are unit-tested.
 *
 * Order matters: the sandbox listens before tasks are resumed (tasks of the Sandbox account poll
 * it), and notifications subscribe before that (a resumed task that ends is announced).
 */
import type { CertdeskEvents, Unsubscribe } from '../../shared/api.js';
import type { SandboxOptions, SandboxHandle } from '../providers/sandbox/server.js';
import { createAttentionMonitor, type AttentionMonitor } from './attention-monitor.js';
import {
  NotificationDeduper,
  createTaskNotifier,
  loadNotificationState,
  saveNotificationState,
  type AttentionAlert,
  type Notice,
} from './notification-policy.js';
import { startSandboxForAccount, type SandboxAccount, type SandboxAutostart } from './sandbox-autostart.js';

/** The app's event hub (the container's `events`), by the contract's event names. */
export interface EventHub {
  emit<E extends keyof CertdeskEvents>(event: E, payload: CertdeskEvents[E]): void;
  subscribe(listener: <E extends keyof CertdeskEvents>(event: E, payload: CertdeskEvents[E]) => void): Unsubscribe;
}

/** What the background needs. */
export interface BackgroundDeps {
  readonly dataDir: string;
  readonly now: () => Date;
  readonly events: EventHub;
  /** The account service's `sandboxAccount`; the sandbox is not started without it. */
  readonly sandboxAccount?: () => Promise<SandboxAccount | null>;
  /** Follows the tasks an earlier run left unfinished (the container's `tasks.resumeOnce`). */
  readonly resumeTasks?: () => void;
  /** The certificates needing attention now. */
  readonly alerts: () => Promise<readonly AttentionAlert[]>;
  /** The user's expiry threshold in days. */
  readonly thresholdDays: () => Promise<number>;
  /** Shows a desktop notification. */
  readonly notify: (notice: Notice) => void;
  readonly warn: (message: string) => void;
  /** For the sandbox: `CERTDESK_SANDBOX_TASK_SECONDS`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly startSandbox?: (options: SandboxOptions) => Promise<SandboxHandle>;
  /** How often the attention check runs (default hourly). */
  readonly checkIntervalMs?: number;
}

/** The running background. */
export interface Background {
  /** What starting the sandbox did (null without a sandboxAccount source). */
  readonly sandbox: SandboxAutostart | null;
  readonly monitor: AttentionMonitor;
  /** Stops notifications and checks and closes the sandbox (waiting at most `timeoutMs`, default 3 s). */
  stop(timeoutMs?: number): Promise<void>;
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function isEvent<E extends keyof CertdeskEvents>(want: E, event: keyof CertdeskEvents, _payload: unknown): _payload is CertdeskEvents[E] {
  return event === want;
}

/** Starts everything in the right order; never throws for a part that fails (it is reported to `warn`). */
export async function startBackground(deps: BackgroundDeps): Promise<Background> {
  const { warn } = deps;
  const dedupe = new NotificationDeduper({ now: deps.now, initial: await loadNotificationState(deps.dataDir) });
  const monitor = createAttentionMonitor({
    alerts: deps.alerts,
    thresholdDays: deps.thresholdDays,
    dedupe,
    notify: deps.notify,
    onAlert: (alert) => deps.events.emit('expiryAlert', alert),
    save: (state) => saveNotificationState(deps.dataDir, state),
    onError: (err) => warn(`Could not check which certificates need attention: ${message(err)}`),
  });
  const announceTask = createTaskNotifier({ notify: deps.notify });
  const unsubscribe = deps.events.subscribe((event: keyof CertdeskEvents, payload: unknown) => {
    if (!isEvent('taskFinished', event, payload)) return;
    announceTask(payload.task);
    // What is deployed changed: an expiring certificate may be fixed, or a renewal left undeployed.
    monitor.check().catch((err: unknown) => warn(`Could not check which certificates need attention: ${message(err)}`));
  });

  let sandbox: SandboxAutostart | null = null;
  if (deps.sandboxAccount) {
    try {
      sandbox = await startSandboxForAccount({
        sandboxAccount: deps.sandboxAccount,
        dataDir: deps.dataDir,
        ...(deps.env ? { env: deps.env } : {}),
        ...(deps.startSandbox ? { start: deps.startSandbox } : {}),
      });
      if (sandbox.status !== 'started') warn(`The embedded sandbox was not started: ${sandbox.reason}.`);
    } catch (err) {
      warn(`The embedded sandbox could not start: ${message(err)}`);
    }
  }
  try {
    deps.resumeTasks?.();
  } catch (err) {
    warn(`Could not resume unfinished deployment tasks: ${message(err)}`);
  }
  monitor.start(deps.checkIntervalMs);

  let stopping: Promise<void> | null = null;
  return {
    sandbox,
    monitor,
    stop(timeoutMs = 3000) {
      stopping ??= (async () => {
        unsubscribe();
        monitor.stop();
        if (sandbox?.status !== 'started') return;
        let timer: NodeJS.Timeout | undefined;
        const late = new Promise<'late'>((resolve) => {
          timer = setTimeout(() => resolve('late'), timeoutMs);
        });
        try {
          const outcome = await Promise.race([sandbox.handle.close().then(() => 'closed' as const), late]);
          if (outcome === 'late') warn(`The embedded sandbox did not stop within ${timeoutMs} ms; quitting anyway.`);
        } catch (err) {
          warn(`The embedded sandbox did not stop cleanly: ${message(err)}`);
        } finally {
          clearTimeout(timer);
        }
      })();
      return stopping;
    },
  };
}
