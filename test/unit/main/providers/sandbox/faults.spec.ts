/** The sandbox's fault injector: matching, counting, skipping, task failures, control-API parsing. */
import { describe, expect, it } from 'vitest';
import { FaultInjector, faultFromJson } from '../../../../../main/providers/sandbox/faults.js';

describe('FaultInjector', () => {
  it('fires for the next N matching requests only', () => {
    const f = new FaultInjector();
    f.next(2, { kind: 'status', status: 500 }, { method: 'post', path: '/cdn/deploymentTasks' });
    expect(f.take('GET', '/cdn/deploymentTasks')).toBeUndefined();
    expect(f.take('POST', '/cdn/certificates')).toBeUndefined();
    expect(f.take('POST', '/cdn/deploymentTasks')).toEqual({ kind: 'status', status: 500 });
    expect(f.pending()).toBe(1);
    expect(f.take('POST', '/cdn/deploymentTasks')).toBeDefined();
    expect(f.take('POST', '/cdn/deploymentTasks')).toBeUndefined();
    expect(f.pending()).toBe(0);
  });

  it('matches regular expressions, skips the first matches, and clears', () => {
    const f = new FaultInjector();
    f.next(1, { kind: 'drop-after' }, { path: /\/versions\/\d+$/, skip: 1 });
    expect(f.take('GET', '/cdn/certificates/a/versions/1')).toBeUndefined();
    expect(f.take('GET', '/cdn/certificates/a/versions/1')).toEqual({ kind: 'drop-after' });
    f.next(3, { kind: 'drop-before' });
    f.failNextTask('x', 2);
    expect(f.pending()).toBe(5);
    f.clear();
    expect(f.pending()).toBe(0);
    expect(() => f.next(0, { kind: 'drop-before' })).toThrow(RangeError);
  });

  it('hands out task failures in order', () => {
    const f = new FaultInjector();
    f.failNextTask('first');
    f.failNextTask();
    expect(f.takeTaskFailure()).toBe('first');
    expect(f.takeTaskFailure()).toMatch(/failed/);
    expect(f.takeTaskFailure()).toBeUndefined();
  });
});

describe('faultFromJson', () => {
  it('reads the control API shapes and rejects the rest', () => {
    expect(faultFromJson({ kind: 'status', status: 502, code: 'BadGateway', count: 3, method: 'GET', path: '/cdn' })).toEqual({
      fault: { kind: 'status', status: 502, code: 'BadGateway' },
      count: 3,
      match: { method: 'GET', path: '/cdn' },
    });
    expect(faultFromJson({ kind: 'rate-limit', retryAfterSeconds: 5 })?.fault).toEqual({ kind: 'rate-limit', retryAfterSeconds: 5 });
    expect(faultFromJson({ kind: 'delay', ms: 100, skip: 2 })).toEqual({ fault: { kind: 'delay', ms: 100 }, count: 1, match: { skip: 2 } });
    expect(faultFromJson({ kind: 'status', status: 200 })).toBeUndefined();
    expect(faultFromJson({ kind: 'explode' })).toBeUndefined();
    expect(faultFromJson(null)).toBeUndefined();
  });
});
