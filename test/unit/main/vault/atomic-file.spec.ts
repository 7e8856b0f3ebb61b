import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileAtomic, writeFileAtomic } from '../../../../main/vault/atomic-file.js';
import { tempDir } from '../../../support/openssl.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir('certdesk-atomic-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('atomic files', () => {
  it('replaces a file and leaves no temporary file', async () => {
    const d = dir();
    const f = join(d, 'a');
    writeFileSync(f, 'old');
    await writeFileAtomic(f, 'new');
    expect(readFileSync(f, 'utf8')).toBe('new');
    expect(readdirSync(d)).toEqual(['a']);
    if (process.platform !== 'win32') expect(statSync(f).mode & 0o777).toBe(0o600);
  });

  it('creates only when absent', async () => {
    const d = dir();
    const f = join(d, 'b');
    expect(await createFileAtomic(f, 'first')).toBe(true);
    expect(await createFileAtomic(f, 'second')).toBe(false);
    expect(readFileSync(f, 'utf8')).toBe('first');
    expect(readdirSync(d)).toEqual(['b']);
  });

  it('lets exactly one of many concurrent creators win', async () => {
    const d = dir();
    const f = join(d, 'c');
    const results = await Promise.all(Array.from({ length: 20 }, (_, n) => createFileAtomic(f, `writer ${n}`)));
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = results.indexOf(true);
    expect(readFileSync(f, 'utf8')).toBe(`writer ${winner}`);
    expect(readdirSync(d)).toEqual(['c']);
  });
});
