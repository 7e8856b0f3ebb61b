/**
 * The scaffolding every service suite file repeats: whether its keychain tests skip, a test CA
 * made before the tests, cleanups run after each test, and the harnesses whose keychain entries
 * are purged at the end. Call it once at the top of a spec file (it registers vitest hooks).
 */
import { X509Certificate } from 'node:crypto';
import { afterAll, afterEach, beforeAll, it } from 'vitest';
import { skipKeychainTests } from './keychain.js';
import { purgeKeychain, type ServiceHarness } from './services.js';
import { makeTestCa, type TestCa } from './test-ca.js';

/** What a service suite file gets. */
export interface ServiceSuite {
  /** `it`, skipped when no keychain is reachable (see `skipKeychainTests`). */
  readonly keychainIt: ReturnType<typeof it.skipIf>;
  /** Run (last first) after each test. */
  readonly cleanups: (() => void | Promise<void>)[];
  /** Harnesses whose keychain entries are purged after the file's tests. */
  readonly harnesses: ServiceHarness[];
  /** The file's test CA, made in `beforeAll` and removed in `afterAll`. */
  readonly ca: TestCa;
}

/** Sets up the scaffolding for the suite file `name`. */
export async function serviceSuite(name: string): Promise<ServiceSuite> {
  const skip = await skipKeychainTests(name);
  const cleanups: (() => void | Promise<void>)[] = [];
  const harnesses: ServiceHarness[] = [];
  let made: TestCa | undefined;
  const real = (): TestCa => {
    if (made === undefined) throw new Error('the suite CA is made in beforeAll; use it inside tests');
    return made;
  };
  const ca: TestCa = {
    get dir() {
      return real().dir;
    },
    get rootPem() {
      return real().rootPem;
    },
    get intermediatePem() {
      return real().intermediatePem;
    },
    get chainPem() {
      return real().chainPem;
    },
    signCsr: (csrPem, options) => real().signCsr(csrPem, options),
    issue: (cn, options) => real().issue(cn, options),
    cleanup: () => real().cleanup(),
  };
  beforeAll(() => {
    made = makeTestCa();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0).reverse()) await c();
  });
  afterAll(async () => {
    ca.cleanup();
    for (const h of harnesses) await purgeKeychain(h).catch(() => undefined);
  });
  return { keychainIt: it.skipIf(skip), cleanups, harnesses, ca };
}

/** The DER of every certificate in PEM text, in order. */
export function certificateDers(pem: string): Buffer[] {
  return [...pem.matchAll(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g)].map((m) => Buffer.from(new X509Certificate(m[0]).raw));
}
