import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuditLog, scrubDetail } from '../../../../main/services/audit-log.js';
import { tempDir } from '../../../support/openssl.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir('certdesk-audit-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('audit log', () => {
  it('appends one JSON line per event, stamped with the clock, mode 0600', async () => {
    const log = createAuditLog({ dataDir: dir(), now: () => new Date('2026-11-23T07:06:00.456Z') });
    const ev = await log.append({ action: 'key.generate', target: 'k_0000000000000001', outcome: 'success' });
    expect(ev).toEqual({ time: '2026-11-23T07:06:00Z', action: 'key.generate', target: 'k_0000000000000001', outcome: 'success' });
    await log.append({ action: 'key.delete', target: 'k_0000000000000001', outcome: 'failure', detail: 'KEY_NOT_FOUND' });
    const lines = readFileSync(log.path, 'utf8').split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[2]).toBe('');
    expect(JSON.parse(lines[1]!)).toMatchObject({ action: 'key.delete', detail: 'KEY_NOT_FOUND' });
    if (process.platform !== 'win32') expect(statSync(log.path).mode & 0o777).toBe(0o600);
  });

  it('reads newest first, up to the limit, skipping torn or foreign lines', async () => {
    const log = createAuditLog({ dataDir: dir() });
    for (let n = 0; n < 5; n++) await log.append({ action: 'a', target: `t${n}`, outcome: 'success' });
    appendFileSync(log.path, '{"torn": \n not json\n{"time":"x","action":"a","target":"t","outcome":"maybe"}\n');
    await log.append({ action: 'a', target: 't5', outcome: 'success' });
    expect((await log.read({ limit: 3 })).map((e) => e.target)).toEqual(['t5', 't4', 't3']);
    expect(await log.read()).toHaveLength(6);
  });

  it('is empty before the first event', async () => {
    expect(await createAuditLog({ dataDir: dir() }).read()).toEqual([]);
  });

  it('keeps every line whole under concurrent appends from two writers', async () => {
    const d = dir();
    const [a, b] = [createAuditLog({ dataDir: d }), createAuditLog({ dataDir: d })];
    const detail = 'x'.repeat(100);
    await Promise.all(
      Array.from({ length: 200 }, (_, n) => (n % 2 ? a : b).append({ action: 'bulk', target: String(n), outcome: 'success', detail })),
    );
    const lines = readFileSync(a.path, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(200);
    expect(new Set(lines.map((l) => (JSON.parse(l) as { target: string }).target)).size).toBe(200);
  });

  it('scrubs key material out of details', async () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg\n-----END PRIVATE KEY-----';
    const blob = 'A'.repeat(200);
    expect(scrubDetail(`oops ${pem} done`)).toBe('oops [redacted PEM] done');
    expect(scrubDetail(`der ${blob}`)).toBe('der [redacted]');
    expect(scrubDetail('spki ' + 'ab'.repeat(32))).toBe('spki ' + 'ab'.repeat(32));
    expect(scrubDetail('y '.repeat(2500)).length).toBe(2001);
    const log = createAuditLog({ dataDir: dir() });
    await log.append({ action: 'x', target: 't', outcome: 'failure', detail: pem });
    expect(readFileSync(log.path, 'utf8')).not.toContain('BEGIN');
  });
});
