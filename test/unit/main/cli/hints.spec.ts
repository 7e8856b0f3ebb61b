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

  it('any command: names the command for the reason the service gives, keeping code and details', () => {
    const hinted = (code: ConstructorParameters<typeof CertdeskError>[0], message: string, details: Record<string, unknown>): string =>
      (commonHints(new CertdeskError(code, message, details)) as Error).message;
    expect(hinted('NOT_FOUND', 'There is no account "x". The accounts are "A".', { account: 'x', reason: 'account-not-found' })).toBe(
      'There is no account "x". The accounts are "A". Add accounts with `certdesk account add`.',
    );
    expect(hinted('KEY_NOT_FOUND', 'There is no key k_1; the key list shows the keys Certdesk holds.', { keyId: 'k_1', reason: 'key-not-found' })).toBe(
      'There is no key k_1; the key list shows the keys Certdesk holds. List them with `certdesk key list`.',
    );
    expect(hinted('NOT_FOUND', 'There is no task "t_1"; the task list shows the tasks there are.', { task: 't_1', reason: 'task-not-found' })).toBe(
      'There is no task "t_1"; the task list shows the tasks there are. List them with `certdesk tasks`.',
    );
    expect(hinted('CONFLICT', 'A deploy of "www" (version 2) to staging is still running (task t_1); wait for it to end.', { task: 't_1', reason: 'task-running' })).toBe(
      'A deploy of "www" (version 2) to staging is still running (task t_1); wait for it to end. Follow it with `certdesk task show t_1 --wait`.',
    );
    expect(hinted('CONFLICT', 'Account "up" has 2 deployment task(s) still running (t_1, t_2)', { account: 'up', tasks: ['t_1', 't_2'], reason: 'tasks-running' })).toBe(
      'Account "up" has 2 deployment task(s) still running (t_1, t_2). Follow them with `certdesk task show t_1 --wait`; `certdesk task show t_2 --wait`.',
    );
    // A version the account's certificate lacks names `cert show`, not `cert list`, though account and certificate are both there.
    expect(hinted('NOT_FOUND', 'Certdesk holds no version 9 of "www".', { account: 'Sand box', certificate: 'www', version: 9, reason: 'version-not-found' })).toBe(
      'Certdesk holds no version 9 of "www". List them with `certdesk cert show "www" --account "Sand box"`.',
    );
    const kept = commonHints(new CertdeskError('NOT_FOUND', 'There is no account "x".', { account: 'x', reason: 'account-not-found' }));
    expect(kept).toMatchObject({ code: 'NOT_FOUND', details: { account: 'x', reason: 'account-not-found' } });
  });

  it('any command: leaves a reason alone under another code, an unknown reason, and details it cannot use', () => {
    const cases = [
      new CertdeskError('CONFLICT', 'x', { reason: 'account-not-found' }),
      new CertdeskError('NOT_FOUND', 'The keychain holds no secret for account "x".', { account: 'x' }),
      new CertdeskError('NOT_FOUND', 'x', { account: 'a', certificate: 'c', reason: 'something-else' }),
      new CertdeskError('NOT_FOUND', 'x', { account: 'a', certificate: 'c', reason: 'toString' }),
      new CertdeskError('CONFLICT', 'x', { tasks: [], reason: 'tasks-running' }),
      new CertdeskError('CONFLICT', 'x', { reason: 'task-running' }),
      new CertdeskError('NOT_FOUND', 'x', { certificate: 'c', reason: 'version-not-found' }),
    ];
    for (const err of cases) expect(commonHints(err)).toBe(err);
  });
});
