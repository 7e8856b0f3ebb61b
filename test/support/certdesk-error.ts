/**
 * Getting at the CertdeskError a call fails with, so a test can assert on its code, message and
 * details; anything else thrown is rethrown, and a call that does not fail fails the test.
 */
import { CertdeskError } from '../../shared/errors.js';

/** The CertdeskError `promise` rejects with. */
export async function rejectedWith(promise: Promise<unknown>): Promise<CertdeskError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CertdeskError) return error;
    throw error;
  }
  throw new Error('expected a CertdeskError');
}

// The CertdeskError `fn` throws, undefined when it returns; anything else is rethrown.
function caught(fn: () => unknown): CertdeskError | undefined {
  try {
    fn();
  } catch (err) {
    if (err instanceof CertdeskError) return err;
    throw err;
  }
  return undefined;
}

/** The CertdeskError `fn` throws. */
export function thrownBy(fn: () => unknown): CertdeskError {
  const error = caught(fn);
  if (error === undefined) throw new Error('expected a CertdeskError');
  return error;
}

/** The code of the CertdeskError `fn` throws, or 'no error' when it returns. */
export function thrownCode(fn: () => unknown): string {
  return caught(fn)?.code ?? 'no error';
}
