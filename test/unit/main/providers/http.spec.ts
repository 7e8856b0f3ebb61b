/** The shared HTTP layer with an injected fetch, clock and sleep: endpoint rules, retries, 429, logging. */
import { describe, expect, it } from 'vitest';
import type { CertdeskError } from '../../../../shared/errors.js';
import {
  HttpClient,
  assertSecureEndpoint,
  isLoopbackHost,
  parseRetryAfter,
  rateLimitDelayMs,
  type HttpLogEntry,
  type HttpMethod,
} from '../../../../main/providers/http.js';
import { TokenBucket } from '../../../../main/providers/rate-limiter.js';
import { rejectedWith as failure } from '../../../support/certdesk-error.js';

type Step = { status: number; body?: string; headers?: Record<string, string> } | 'network' | 'hang';

function scripted(steps: Step[]): { fetch: typeof fetch; calls: { url: string; method: string; body: unknown }[] } {
  const calls: { url: string; method: string; body: unknown }[] = [];
  const impl = (async (input: URL | string | Request, init?: RequestInit) => {
    calls.push({ url: String(input), method: init?.method ?? 'GET', body: init?.body });
    const step = steps.shift() ?? { status: 200, body: '{}' };
    if (step === 'network') throw new TypeError('fetch failed', { cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) });
    if (step === 'hang') {
      return new Promise<Response>((_resolve, reject) => {
        init?.signal?.addEventListener('abort', () => reject(init.signal?.reason as Error));
      });
    }
    return new Response(step.body ?? null, { status: step.status, headers: step.headers });
  }) as typeof fetch;
  return { fetch: impl, calls };
}

function setup(steps: Step[], extra: Partial<ConstructorParameters<typeof HttpClient>[0]> = {}) {
  let t = 1_700_000_000_000;
  const clock = { now: () => t };
  const waits: number[] = [];
  const sleep = (ms: number): Promise<void> => {
    waits.push(ms);
    t += ms;
    return Promise.resolve();
  };
  const { fetch, calls } = scripted(steps);
  const logs: HttpLogEntry[] = [];
  const client = new HttpClient({
    provider: 'test',
    providerLabel: 'Test',
    baseUrl: 'https://api.example.test/base/',
    clock,
    sleep,
    random: () => 0.5,
    fetch,
    logger: (e) => logs.push(e),
    ...extra,
  });
  return { client, calls, waits, logs, clock };
}

const req = (method: HttpMethod, body?: string) => ({ method, path: '/things', prepare: () => ({ headers: {}, ...(body !== undefined ? { body } : {}) }) });

describe('endpoints', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', 'LOCALHOST', '[::1]', '::1', '[::ffff:7f00:1]'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['10.0.0.1', '128.0.0.1', 'example.com', 'localhost.example.com', '[::2]', '127.0.0.256'])('%s is not loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
  it('allows https anywhere and http only on loopback', () => {
    expect(assertSecureEndpoint('https://ngapi.cdnetworks.com').hostname).toBe('ngapi.cdnetworks.com');
    expect(assertSecureEndpoint('http://127.0.0.1:38360').port).toBe('38360');
    expect(assertSecureEndpoint('http://[::1]:8080').hostname).toBe('[::1]');
    for (const url of ['http://ngapi.cdnetworks.com', 'http://192.168.1.5', 'ftp://127.0.0.1']) {
      const error = (() => {
        try {
          assertSecureEndpoint(url);
        } catch (e) {
          return e as CertdeskError;
        }
        throw new Error('no error');
      })();
      expect(error.code).toBe('INSECURE_ENDPOINT');
    }
    expect(() => new HttpClient({ provider: 'p', providerLabel: 'P', baseUrl: 'http://example.com' })).toThrow(/not HTTPS/);
    expect(() => assertSecureEndpoint('not a url')).toThrow(/not a valid URL/);
  });
  it('joins base path, path and query', () => {
    const { client } = setup([]);
    expect(client.url('/cdn/certificates', { search: 'a b', offset: 0, skip: undefined }).toString()).toBe('https://api.example.test/base/cdn/certificates?search=a+b&offset=0');
  });
});

describe('Retry-After', () => {
  it('parses delta seconds and HTTP dates', () => {
    const now = Date.parse('Wed, 25 Sep 2024 05:35:12 GMT');
    expect(parseRetryAfter('7', now)).toBe(7_000);
    expect(parseRetryAfter('Wed, 25 Sep 2024 05:35:42 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Wed, 25 Sep 2024 05:35:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
    expect(rateLimitDelayMs(new Headers({ 'x-rate-limit-retry-after-seconds': '5', 'retry-after': '3' }), now)).toBe(5_000);
    expect(rateLimitDelayMs(new Headers(), now)).toBeUndefined();
  });
});

describe('retries', () => {
  it('retries a GET after 5xx and network errors with full-jitter exponential backoff', async () => {
    const { client, calls, waits } = setup([{ status: 500 }, 'network', { status: 503 }, { status: 200, body: '{"ok":true}' }]);
    const response = await client.request(req('GET'));
    expect(response.json()).toEqual({ ok: true });
    expect(calls).toHaveLength(4);
    expect(waits).toEqual([250, 500, 1000]); // random 0.5 × 500·2^(n-1)
  });

  it('bounds attempts and total time', async () => {
    const attempts = setup([{ status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }, { status: 500 }]);
    expect((await failure(attempts.client.request(req('GET')))).code).toBe('PROVIDER_UNAVAILABLE');
    expect(attempts.calls).toHaveLength(4);
    const total = setup([{ status: 500 }, { status: 500 }, { status: 500 }], { retry: { maxAttempts: 10, baseDelayMs: 40_000, maxDelayMs: 100_000, maxTotalMs: 50_000 } });
    await failure(total.client.request(req('GET')));
    expect(total.calls).toHaveLength(2); // waits of 20 s then 40 s: the second would pass 50 s
  });

  it('never retries a POST or PATCH after a 5xx or a network error, and marks the outcome unknown', async () => {
    for (const method of ['POST', 'PATCH'] as const) {
      const http = setup([{ status: 500, body: '{"code":"InternalError"}' }]);
      const error = await failure(http.client.request(req(method, '{}')));
      expect(error.code).toBe('PROVIDER_UNAVAILABLE');
      expect(error.details.outcomeUnknown).toBe(true);
      expect(http.calls).toHaveLength(1);
      const net = setup(['network']);
      const netError = await failure(net.client.request(req(method, '{}')));
      expect(netError.details).toMatchObject({ transport: 'network', outcomeUnknown: true });
      expect(net.calls).toHaveLength(1);
    }
  });

  it('PUT and DELETE are idempotent', async () => {
    for (const method of ['PUT', 'DELETE'] as const) {
      const http = setup([{ status: 502 }, { status: 204 }]);
      expect((await http.client.request(req(method))).status).toBe(204);
      expect(http.calls).toHaveLength(2);
    }
  });

  it('times out a hung request with PROVIDER_TIMEOUT', async () => {
    const http = setup(['hang'], { timeoutMs: 50, retry: { maxAttempts: 1 } });
    const error = await failure(http.client.request(req('POST', '{}')));
    expect(error.code).toBe('PROVIDER_TIMEOUT');
    expect(error.details).toMatchObject({ transport: 'timeout', outcomeUnknown: true });
  });

  it('waits out a 429 for any method, through the bucket when there is one', async () => {
    const plain = setup([{ status: 429, headers: { 'retry-after': '3' } }, { status: 201 }]);
    expect((await plain.client.request(req('POST', '{}'))).status).toBe(201);
    expect(plain.waits).toEqual([3_000]);

    let t = 0;
    const clock = { now: () => t };
    const bucket = new TokenBucket({ perMinute: 600, burst: 10 }, clock);
    const viaBucket = setup([{ status: 429, headers: { 'x-rate-limit-retry-after-seconds': '4' } }, { status: 200 }], {
      rateLimiter: bucket,
      clock,
      sleep: (ms) => {
        t += ms;
        return Promise.resolve();
      },
    });
    await viaBucket.client.request(req('GET'));
    expect(t).toBe(4_000);
  });

  it('gives up on 429 after the allowed waits', async () => {
    const http = setup([{ status: 429, headers: { 'retry-after': '1' } }, { status: 429, headers: { 'retry-after': '1' } }], { maxRateLimitWaits: 1 });
    const error = await failure(http.client.request(req('GET')));
    expect(error.code).toBe('PROVIDER_RATE_LIMITED');
    expect(error.details.retryAfterSeconds).toBe(1);
  });

  it('retries a 401 once only when asked, re-preparing the request', async () => {
    let prepared = 0;
    const http = setup([{ status: 401 }, { status: 401, body: '{"code":"AccessDenied","message":"bad signature"}', headers: { 'qtl-request-id': 'rid-9' } }]);
    const error = await failure(
      http.client.request({
        method: 'GET',
        path: '/x',
        retryUnauthorizedOnce: true,
        prepare: () => {
          prepared += 1;
          return { headers: { Date: `d${prepared}` } };
        },
      }),
    );
    expect(prepared).toBe(2);
    expect(error.code).toBe('PROVIDER_AUTH_FAILED');
    expect(error.details).toMatchObject({ httpStatus: 401, providerCode: 'AccessDenied', requestId: 'rid-9' });
    const once = setup([{ status: 401 }]);
    await failure(once.client.request(req('GET')));
    expect(once.calls).toHaveLength(1);
  });
});

describe('logging', () => {
  it('logs method, path, status and request id but never bodies or headers', async () => {
    const secret = '-----BEGIN PRIVATE KEY-----SECRET';
    const http = setup([{ status: 201, headers: { 'qtl-request-id': 'abc' } }]);
    await http.client.request({ method: 'POST', path: '/things', prepare: () => ({ headers: { Authorization: 'Basic SECRET' }, body: JSON.stringify({ privateKey: secret }) }) });
    expect(http.logs).toEqual([{ provider: 'test', method: 'POST', path: '/base/things', attempt: 1, status: 201, requestId: 'abc', durationMs: 0 }]);
    expect(JSON.stringify(http.logs)).not.toContain('SECRET');
  });

  it('a non-JSON success body is a PROVIDER_ERROR when read as JSON', async () => {
    const http = setup([{ status: 200, body: '<html>' }]);
    const response = await http.client.request(req('GET'));
    expect(() => response.json()).toThrow(/not JSON/);
  });
});
