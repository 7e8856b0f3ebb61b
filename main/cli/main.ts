/**
 * The `certdesk` command: global flags, dispatch to lazily loaded commands, error → exit-code mapping.
 *
 * Each command lives in its own module and is imported only when it runs, so that a command
 * loads only what it needs (start-up time is a benchmarked target).
 */
import { CertdeskError, isCertdeskError } from '../../shared/errors.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { commonHints } from './hints.js';
import type { Io } from './io.js';

/** What every command receives. */
export interface CommandContext {
  readonly io: Io;
  /** `--data-dir` as given (resolved lazily by commands that need the data directory). */
  readonly dataDirFlag: string | undefined;
  readonly argv: readonly string[];
}

/** A command: returns its exit status. */
export type Command = (ctx: CommandContext) => Promise<number>;

type Loader = () => Promise<Command>;

const COMMANDS: Readonly<Record<string, Loader>> = {
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand,
  verify: async () => (await import('./commands/verify.js')).verifyCommand,
  key: async () => (await import('./commands/key.js')).keyCommand,
  csr: async () => (await import('./commands/csr.js')).csrCommand,
  selfsign: async () => (await import('./commands/selfsign.js')).selfsignCommand,
  match: async () => (await import('./commands/match.js')).matchCommand,
  account: async () => (await import('./commands/account.js')).accountCommand,
  sandbox: async () => (await import('./commands/sandbox.js')).sandboxCommand,
  cert: async () => (await import('./commands/cert.js')).certCommand,
  version: async () => (await import('./commands/version.js')).versionCommand,
  deploy: async () => (await import('./commands/deploy.js')).deployCommand,
  undeploy: async () => (await import('./commands/deploy.js')).undeployCommand,
  tasks: async () => (await import('./commands/tasks.js')).tasksCommand,
  task: async () => (await import('./commands/tasks.js')).taskCommand,
};

const HELP = `certdesk — certificates, keys and CSRs for CDN and API-gateway administrators

Usage: certdesk [--data-dir DIR] <command> [options]

Offline PKI
  inspect FILE… [--password P] [--json]           what is in certificate, key, CSR, PKCS#7 and PKCS#12 files
  verify LEAF [--chain F]… [--trust F]… [--at T] [--host H] [--json]
                                                  build and validate the chain like a browser
  key generate --type TYPE [--label L] [--json]   new private key, sealed in the vault
  key import FILE [--password P] [--label L]      put an existing private key into the vault
  key list [--json] | key delete ID [--force]
  key export ID --out FILE --format pkcs8-encrypted|pkcs12 [--cert FILE] (--password-stdin | …)
  csr (--key ID | --new-key TYPE) --cn NAME [--san V]… [--org O] [--ou OU] [--locality L]
      [--state S] [--country CC] [--email E] [--out FILE] [--json]
  selfsign (--key ID | --new-key TYPE) --cn NAME [--san V]… [--days N] [--out FILE] [--json]
  match CERT_FILE (--key ID | --key-file FILE [--password P]) [--json]

Certificates on CDN providers (CERT is a certificate's name or provider id)
  account add --provider cdnpro|apinizer|gcore --name NAME --endpoint URL [--user U] [--project P]
      [--customer-id ID] [--environments E,…] [--mode cdn|protection] [--secret-stdin] [--json]
                                                  secret from CERTDESK_SECRET, stdin or a prompt; kept in the keychain
  account list [--json] | account remove NAME | account test NAME [--json]
  sandbox [--port N] [--task-seconds S] [--rate-limit R]  run the local CDN Pro sandbox (the "Sandbox" account) until Ctrl+C
  cert list [--account NAME] [--cached] [--json]  certificates, what is deployed where, expiry and attention states
  cert show CERT --account NAME [--json]          versions, deployments and history
  cert create --account NAME --name CERT (--cert F [--chain F]… (--key ID | --key-file F)
      | --self-signed --cn NAME [--san V]… [--key-type TYPE] [--days N]) [--comment C] [--json]
  version add CERT --account NAME (--cert F [--chain F]… [--key ID | --key-file F] | --self-signed …)
      [--comment C] [--json]                      no key: the latest version's key is kept (CA-signed cert for its CSR)
  cert csr CERT --account NAME [--out FILE] [--json]        the CSR of the latest version
  deploy CERT --account NAME --version N --env ENV [--wait] [--json]
  undeploy CERT --account NAME --env ENV [--wait] [--json]
  cert delete CERT --account NAME                 only once it is undeployed everywhere
  tasks [--account NAME] [--json] | task show ID [--wait] [--json]

TYPE is rsa-2048, rsa-3072, rsa-4096, ec-p256 or ec-p384. Exit codes: 0 ok, 1 check answered no,
2 bad input or usage, 3 provider failure, 4 keychain unavailable. See README.md for the full contract.
`;

/** Runs the CLI with `argv` (without node and script) and returns the exit status. */
export async function runCli(argv: readonly string[], io: Io): Promise<number> {
  let dataDirFlag: string | undefined = io.env.CERTDESK_DATA_DIR || undefined;
  let i = 0;
  for (; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--data-dir') {
      dataDirFlag = argv[i + 1];
      if (dataDirFlag === undefined) return fail(io, new CertdeskError('USAGE', 'certdesk: --data-dir needs a directory'));
      i++;
    } else if (arg.startsWith('--data-dir=')) {
      dataDirFlag = arg.slice('--data-dir='.length);
    } else {
      break;
    }
  }
  const name = argv[i];
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version' || name === '-V') {
    io.stdout(`${process.env.CERTDESK_VERSION ?? 'development'}\n`);
    return EXIT.ok;
  }
  const loader = COMMANDS[name];
  if (!loader) {
    return fail(io, new CertdeskError('USAGE', `certdesk: unknown command "${name}"; run "certdesk --help" for the list`));
  }
  try {
    const command = await loader();
    return await command({ io, dataDirFlag, argv: argv.slice(i + 1) });
  } catch (err) {
    return fail(io, commonHints(err));
  }
}

/** Reports an error on stderr and returns its exit status; never prints a stack for expected errors. */
export function fail(io: Io, err: unknown): number {
  if (isCertdeskError(err)) {
    io.stderr(err.message.startsWith('certdesk') ? `${err.message}\n` : `certdesk: ${err.message}\n`);
    return exitCodeFor(err.code);
  }
  const message = err instanceof Error ? (err.stack ?? err.message) : String(err);
  io.stderr(`certdesk: internal error (please report it): ${message}\n`);
  return EXIT.internal;
}
