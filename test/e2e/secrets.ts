/** The e2e secrets check: nothing main answered the page held private key material. */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { expect } from '@playwright/test';
import { findSecretsInValue } from '../support/secret-scan.js';
import type { LaunchedApp } from './fixtures.js';

/** Asserts no recorded envelope holds any vault key, any of `keyFiles`' keys, or any PEM private key. */
export async function expectNoKeyMaterialCrossed(app: LaunchedApp, keyFiles: readonly string[] = []): Promise<void> {
  const keys: KeyObject[] = [];
  for (const record of await app.container.keys.list()) keys.push(await app.container.keys.getPrivateKey(record.id));
  for (const file of keyFiles) keys.push(createPrivateKey(readFileSync(file)));
  const findings = app.calls.flatMap((c, i) => findSecretsInValue(c.envelope, keys).map((f) => `call ${i} (${c.channel}) ${f}`));
  expect(findings).toEqual([]);
}
