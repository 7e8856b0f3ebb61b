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

/** Hints for errors any provider command can meet: a certificate the account does not have names `cert list`. */
export function commonHints(err: unknown): unknown {
  return withHint(err, 'NOT_FOUND', ({ details }) =>
    typeof details.account === 'string' && typeof details.certificate === 'string'
      ? `List its certificates with \`certdesk cert list --account ${JSON.stringify(details.account)}\`.`
      : undefined,
  );
}
