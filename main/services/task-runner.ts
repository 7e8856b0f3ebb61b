/**
 * Follows deployment tasks in the background of the app: a task started from the window is polled
 * to its end (with the deployment service's backoff) while the window shows its progress, and
 * tasks left unfinished by an earlier run are picked up once. `close()` stops following (the
 * tasks stay recorded and are resumed on the next start).
 */
import type { DeploymentService } from './deployment-service.js';

/** Background task following. */
export interface TaskRunner {
  /** Follows a task to its end unless it is already followed. */
  follow(taskId: string): void;
  /** Follows every unfinished task once per run (later calls do nothing). */
  resumeOnce(): void;
  /** Ids of the tasks being followed. */
  following(): string[];
  /** Stops following every task. */
  close(): void;
}

/** A runner over the deployment service. */
export function createTaskRunner(deps: { readonly deployments: DeploymentService; readonly onWarning?: (message: string) => void }): TaskRunner {
  const running = new Map<string, AbortController>();
  let resumed = false;
  let closed = false;

  const follow = (taskId: string): void => {
    if (closed || running.has(taskId)) return;
    const controller = new AbortController();
    running.set(taskId, controller);
    deps.deployments
      .wait(taskId, { signal: controller.signal })
      .catch((err: unknown) => deps.onWarning?.(`Stopped following task ${taskId}: ${err instanceof Error ? err.message : String(err)}`))
      .finally(() => {
        if (running.get(taskId) === controller) running.delete(taskId);
      });
  };

  return {
    follow,
    resumeOnce() {
      if (resumed || closed) return;
      resumed = true;
      void deps.deployments
        .list()
        .then((tasks) => {
          for (const t of tasks) if (t.status === 'waiting' || t.status === 'inprogress') follow(t.id);
        })
        .catch((err: unknown) => deps.onWarning?.(`Could not resume unfinished tasks: ${err instanceof Error ? err.message : String(err)}`));
    },
    following: () => [...running.keys()],
    close() {
      closed = true;
      for (const controller of running.values()) controller.abort();
      running.clear();
    },
  };
}
