/**
 * The CLI's next steps added to service errors.
 *
 * Services speak to both front ends, so their messages name no flag and no command; the CLI adds
 * its own way forward here (the desktop app shows a button or a list instead). Code and details
 * stay as the service set them: scripts and the exit status depend on the code.
 */
import { CertdeskError, isCertdeskError, type ErrorCode } from '../../shared/errors.js';

/** `err` with `hint` appended when it is a CertdeskError with `code` and `hint` has something to say about it. */
export function withHint(err: unknown, code: ErrorCode, hint: (err: CertdeskError) => string | undefined): unknown {
  if (!isCertdeskError(err) || err.code !== code) return err;
  const text = hint(err);
  if (text === undefined) return err;
  const message = /[.!?]$/.test(err.message) ? err.message : `${err.message}.`;
  return new CertdeskError(err.code, `${message} ${text}`, err.details, { cause: err });
}

/** `key delete`: a key that CSRs still wait on is deleted with --force. */
export function forceHint(err: unknown): unknown {
  return withHint(err, 'CONFLICT', () => 'Delete it anyway with --force.');
}

/** `cert delete`: a certificate still deployed names the undeploy commands, one per environment. */
export function undeployHint(err: unknown): unknown {
  return withHint(err, 'CONFLICT', ({ details }) => {
    const { account, certificate, environments } = details;
    if (typeof account !== 'string' || typeof certificate !== 'string' || !Array.isArray(environments) || environments.length === 0) return undefined;
    const commands = environments.map((env) => `certdesk undeploy ${JSON.stringify(certificate)} --account ${JSON.stringify(account)} --env ${String(env)} --wait`);
    return `Undeploy it first: ${commands.join('; ')}`;
  });
}

/** `certdesk task show ID --wait`, quoted for a message. */
const followCommand = (id: string): string => `\`certdesk task show ${id} --wait\``;

/**
 * Hints keyed by the `reason` a service puts in the details where the code alone does not tell
 * errors apart (an unknown account and a missing keychain secret are both NOT_FOUND).
 */
const REASON_HINTS: Readonly<Record<string, { readonly code: ErrorCode; readonly hint: (details: CertdeskError['details']) => string | undefined }>> = {
  'account-not-found': { code: 'NOT_FOUND', hint: () => 'Add accounts with `certdesk account add`.' },
  'key-not-found': { code: 'KEY_NOT_FOUND', hint: () => 'List them with `certdesk key list`.' },
  'task-not-found': { code: 'NOT_FOUND', hint: () => 'List them with `certdesk tasks`.' },
  'task-running': { code: 'CONFLICT', hint: ({ task }) => (typeof task === 'string' ? `Follow it with ${followCommand(task)}.` : undefined) },
  'tasks-running': {
    code: 'CONFLICT',
    hint: ({ tasks }) => {
      const ids = Array.isArray(tasks) ? tasks.filter((t): t is string => typeof t === 'string') : [];
      return ids.length > 0 ? `Follow ${ids.length === 1 ? 'it' : 'them'} with ${ids.map(followCommand).join('; ')}.` : undefined;
    },
  },
  'version-not-found': {
    code: 'NOT_FOUND',
    hint: ({ account, certificate }) =>
      typeof account === 'string' && typeof certificate === 'string'
        ? `List them with \`certdesk cert show ${JSON.stringify(certificate)} --account ${JSON.stringify(account)}\`.`
        : undefined,
  },
};

/**
 * Hints for errors any command can meet: those the service marks with a known `reason`, and a
 * certificate the account does not have (no reason) names `cert list`.
 */
export function commonHints(err: unknown): unknown {
  if (!isCertdeskError(err)) return err;
  const { reason } = err.details;
  if (reason !== undefined) {
    const known = typeof reason === 'string' && Object.hasOwn(REASON_HINTS, reason) ? REASON_HINTS[reason] : undefined;
    return known === undefined ? err : withHint(err, known.code, ({ details }) => known.hint(details));
  }
  return withHint(err, 'NOT_FOUND', ({ details }) =>
    typeof details.account === 'string' && typeof details.certificate === 'string'
      ? `List its certificates with \`certdesk cert list --account ${JSON.stringify(details.account)}\`.`
      : undefined,
  );
}
