/** Vitest global setup: builds the CLI bundle once, so CLI tests run the real `certdesk` process. */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export default function setup(): void {
  execFileSync(process.execPath, [join(import.meta.dirname, '..', '..', 'scripts', 'build-cli.mjs')], { stdio: 'inherit' });
}
