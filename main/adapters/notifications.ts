/**
 * Desktop notifications through Electron: shows what notification-policy.ts decided; a click
 * brings the Certdesk window to the front.
 *
 * Each notification is held until it is clicked or closed: Electron drops the click handler of a
 * notification that was garbage-collected (electron/electron#12690).
 */
import { Notification } from 'electron';
import type { Notice } from './notification-policy.js';

/** What the notifier needs from the app. */
export interface DesktopNotifierOptions {
  /** Shows and focuses the main window (restoring it when minimised). */
  readonly focus: () => void;
  readonly warn?: (message: string) => void;
}

/** Shows notices as desktop notifications; a no-op where the OS has no notification service. */
export function createDesktopNotifier(options: DesktopNotifierOptions): (notice: Notice) => void {
  const live = new Set<Notification>();
  return (notice) => {
    if (!Notification.isSupported()) return;
    try {
      const n = new Notification({
        title: notice.title,
        body: notice.body,
        urgency: notice.urgent ? 'critical' : 'normal',
        // Only what needs acting on stays until dismissed.
        timeoutType: notice.urgent ? 'never' : 'default',
        groupId: notice.kind === 'attention' ? 'certdesk-attention' : 'certdesk-tasks',
      });
      const release = (): void => {
        live.delete(n);
      };
      n.on('click', () => {
        release();
        options.focus();
      });
      n.on('close', release);
      n.on('failed', (_event, error) => {
        release();
        options.warn?.(`A desktop notification could not be shown: ${error}`);
      });
      live.add(n);
      n.show();
    } catch (err) {
      options.warn?.(`A desktop notification could not be shown: ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
