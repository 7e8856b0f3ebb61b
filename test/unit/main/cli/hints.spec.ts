// The CLI's next steps on neutral service errors: appended for the right code and details only,
// with code and details kept (the exit status and scripts depend on them).
import { describe, expect, it } from 'vitest';
import { CertdeskError } from '../../../../shared/errors.js';
import { commonHints, forceHint, undeployHint, withHint } from '../../../../main/cli/hints.js';

describe('CLI hints', () => {
  it('appends a hint as a new sentence, keeping code, details and the original as cause', () => {
    const original = new CertdeskError('CONFLICT', 'Busy', { keyId: 'k_1' });
    const hinted = withHint(original, 'CONFLICT', () => 'Try later.') as CertdeskError;
    expect(hinted).toMatchObject({ code: 'CONFLICT', message: 'Busy. Try later.', details: { keyId: 'k_1' }, cause: original });
    expect(withHint(original, 'USAGE', () => 'x')).toBe(original);
    expect(withHint(original, 'CONFLICT', () => undefined)).toBe(original);
    const plain = new Error('boom');
    expect(withHint(plain, 'CONFLICT', () => 'x')).toBe(plain);
  });

  it('key delete: names --force on a conflict', () => {
    const err = new CertdeskError('CONFLICT', 'Key k_1 is the key of 1 certificate request(s) still waiting for their CA (CN=a); the certificates they bring back would be useless without it.');
    expect((forceHint(err) as Error).message).toMatch(/useless without it\. Delete it anyway with --force\.$/);
  });

  it('cert delete: names one undeploy command per environment still serving the certificate', () => {
    const err = new CertdeskError('CONFLICT', 'Certificate "www" is still deployed in production (version 4); a certificate can only be deleted once it is undeployed from every environment.', {
      account: 'Sand box',
      certificate: 'www',
      environments: ['production', 'staging'],
    });
    expect((undeployHint(err) as Error).message).toMatch(
      /every environment\. Undeploy it first: certdesk undeploy "www" --account "Sand box" --env production --wait; certdesk undeploy "www" --account "Sand box" --env staging --wait$/,
    );
    const noDetails = new CertdeskError('CONFLICT', 'A deploy is still running.');
    expect(undeployHint(noDetails)).toBe(noDetails);
  });

  it('any command: a certificate the account does not have names `cert list --account`', () => {
    const err = new CertdeskError('NOT_FOUND', 'Account "up" has no certificate "nope" (by name or id).', { account: 'up', certificate: 'nope' });
    expect(commonHints(err)).toMatchObject({ code: 'NOT_FOUND', message: 'Account "up" has no certificate "nope" (by name or id). List its certificates with `certdesk cert list --account "up"`.' });
    const account = new CertdeskError('NOT_FOUND', 'There is no account "x".', { account: 'x' });
    expect(commonHints(account)).toBe(account);
  });
});
