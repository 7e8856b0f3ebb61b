// electron-builder.yml against electron-builder's own JSON schema (app-builder-lib's scheme.json,
// the one `electron-builder` validates with before it packages), plus what issue 5 requires of it.
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
// js-yaml is what electron-builder itself reads YAML configs with (a dependency of app-builder-lib).
const { load } = require('js-yaml') as { load(text: string): unknown };
const scheme = JSON.parse(readFileSync(require.resolve('app-builder-lib/scheme.json'), 'utf8')) as object;
const ROOT = join(import.meta.dirname, '..', '..');
const config = load(readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8')) as Record<string, unknown>;

// electron-builder's schema uses a few keywords of its own (e.g. "tsType"); strict mode would reject them.
const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(scheme);

function problems(candidate: unknown): string[] {
  return validate(candidate) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? ''} ${JSON.stringify(e.params)}`);
}

describe('electron-builder.yml', () => {
  it('is valid for electron-builder’s schema', () => {
    expect(problems(config)).toEqual([]);
  });

  it('the check can fail: unknown options and wrong types are refused', () => {
    expect(problems({ ...config, notAnOption: true }).length).toBeGreaterThan(0);
    expect(problems({ ...config, electronFuses: { runAsNode: 'no' } }).length).toBeGreaterThan(0);
    expect(problems({ ...config, mac: { ...(config.mac as object), hardenedRuntime: 'yes' } }).length).toBeGreaterThan(0);
  });

  it('builds dmg, nsis, AppImage and deb with an app id', () => {
    expect(config.appId).toMatch(/^[a-z0-9]+(\.[a-z0-9-]+)+$/);
    expect((config.mac as { target: string[] }).target).toContain('dmg');
    expect((config.win as { target: string[] }).target).toContain('nsis');
    expect((config.linux as { target: string[] }).target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
  });

  it('flips the fuses that close Node-level entry points', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('never packages the e2e bridge', () => {
    expect(config.files).toContain('!out/e2e/**');
  });
});
