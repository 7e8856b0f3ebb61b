// Background task following and the app's event hub.
import { describe, expect, it, vi } from 'vitest';
import { createAppEvents } from '../../../../main/services/app-events.js';
import type { DeploymentService } from '../../../../main/services/deployment-service.js';
import { createTaskRunner } from '../../../../main/services/task-runner.js';
import type { TaskRecord } from '../../../../main/store/schema.js';

function fakeDeployments(open: readonly string[]) {
  const waits: { id: string; signal: AbortSignal | undefined; resolve: () => void }[] = [];
  const service = {
    wait: vi.fn((id: string, options?: { signal?: AbortSignal }) => new Promise<TaskRecord>((resolve) => waits.push({ id, signal: options?.signal, resolve: () => resolve({ id } as TaskRecord) }))),
    list: vi.fn(async () => open.map((id, i) => ({ id, status: i === 0 ? 'inprogress' : 'succeeded' }) as TaskRecord)),
  } as unknown as DeploymentService;
  return { service, waits };
}

describe('createTaskRunner', () => {
  it('follows a task once, forgets it when it ends, and aborts the rest on close', async () => {
    const { service, waits } = fakeDeployments([]);
    const runner = createTaskRunner({ deployments: service });
    runner.follow('t_1');
    runner.follow('t_1');
    runner.follow('t_2');
    expect(waits.map((w) => w.id)).toEqual(['t_1', 't_2']);
    waits[0]?.resolve();
    await vi.waitFor(() => expect(runner.following()).toEqual(['t_2']));
    runner.close();
    expect(waits[1]?.signal?.aborted).toBe(true);
    runner.follow('t_3');
    expect(waits).toHaveLength(2);
  });

  it('resumes unfinished tasks only once per run', async () => {
    const { service, waits } = fakeDeployments(['t_open', 't_done']);
    const runner = createTaskRunner({ deployments: service });
    runner.resumeOnce();
    runner.resumeOnce();
    await vi.waitFor(() => expect(waits.map((w) => w.id)).toEqual(['t_open']));
    expect(service.list).toHaveBeenCalledTimes(1);
    runner.close();
  });
});

describe('createAppEvents', () => {
  it('delivers events by name until unsubscribed; a failing listener does not stop the others', () => {
    const warnings: string[] = [];
    const hub = createAppEvents((m) => warnings.push(m));
    const seen: string[] = [];
    const stopBad = hub.subscribe(() => {
      throw new Error('boom');
    });
    const stop = hub.subscribe((event, payload) => seen.push(`${event}:${JSON.stringify(payload)}`));
    hub.emit('inventoryChanged', { account: 'a_1' });
    stop();
    stopBad();
    hub.emit('inventoryChanged', { account: null });
    expect(seen).toEqual(['inventoryChanged:{"account":"a_1"}']);
    expect(warnings).toEqual(['An event listener failed on inventoryChanged: boom']);
  });
});
