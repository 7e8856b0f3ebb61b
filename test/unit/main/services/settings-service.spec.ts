// Preferences in settings.json: defaults, validation, a damaged file, queued writes.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS } from '../../../../shared/api.js';
import { isCertdeskError } from '../../../../shared/errors.js';
import { createSettingsService, SETTINGS_FILE } from '../../../../main/services/settings-service.js';
import { tempDir } from '../../../support/openssl.js';

const cleanups: (() => void)[] = [];
afterEach(() => cleanups.splice(0).forEach((c) => c()));
function dir(): string {
  const t = tempDir('certdesk-settings-');
  cleanups.push(t.cleanup);
  return t.dir;
}

describe('settings service', () => {
  it('starts with the defaults and writes nothing until a change', async () => {
    const d = dir();
    const s = createSettingsService({ dataDir: d });
    expect(await s.get()).toEqual(DEFAULT_SETTINGS);
    expect(() => statSync(join(d, SETTINGS_FILE))).toThrow();
  });

  it('saves a change (mode 0600) and a new service reads it back', async () => {
    const d = dir();
    expect(await createSettingsService({ dataDir: d }).set({ theme: 'dark', expiryThresholdDays: 14 })).toEqual({ theme: 'dark', expiryThresholdDays: 14 });
    expect(JSON.parse(readFileSync(join(d, SETTINGS_FILE), 'utf8'))).toEqual({ theme: 'dark', expiryThresholdDays: 14 });
    if (process.platform !== 'win32') expect(statSync(join(d, SETTINGS_FILE)).mode & 0o777).toBe(0o600);
    expect(await createSettingsService({ dataDir: d }).get()).toEqual({ theme: 'dark', expiryThresholdDays: 14 });
  });

  it('refuses invalid values with INVALID_ARGUMENT and keeps the old ones', async () => {
    const s = createSettingsService({ dataDir: dir() });
    await s.set({ expiryThresholdDays: 10 });
    const err = await s.set({ expiryThresholdDays: 0 }).catch((e: unknown) => e);
    expect(isCertdeskError(err) && err.code).toBe('INVALID_ARGUMENT');
    expect((await s.get()).expiryThresholdDays).toBe(10);
  });

  it('falls back to the defaults on a damaged file, with a warning, and recovers on the next change', async () => {
    const d = dir();
    writeFileSync(join(d, SETTINGS_FILE), '{"theme": "purple"');
    const warnings: string[] = [];
    const s = createSettingsService({ dataDir: d, onWarning: (m) => warnings.push(m) });
    expect(await s.get()).toEqual(DEFAULT_SETTINGS);
    expect(warnings.join()).toMatch(/not a valid preferences file/);
    await s.set({ theme: 'light' });
    expect(JSON.parse(readFileSync(join(d, SETTINGS_FILE), 'utf8')).theme).toBe('light');
  });

  it('applies quick successive changes in order, none lost', async () => {
    const s = createSettingsService({ dataDir: dir() });
    await Promise.all([s.set({ theme: 'dark' }), s.set({ expiryThresholdDays: 7 }), s.set({ theme: 'light' })]);
    expect(await s.get()).toEqual({ theme: 'light', expiryThresholdDays: 7 });
  });
});
