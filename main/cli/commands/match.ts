/**
 * `certdesk match CERT_FILE (--key ID | --key-file FILE [--password P]) [--json]` — exit 0 on a match, 1 otherwise.
 */
import { parse, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, resolvePassword } from '../io.js';
import type { CommandContext } from '../main.js';
import { loadCertificateOrCsr, loadPrivateKey } from '../material.js';
import { openKeyService } from '../services.js';
import { spkiSha256 } from '../../pki/keys.js';
import { spkiSha256OfCertificate, spkiSha256OfCsr } from '../../pki/match.js';

interface Flags {
  key?: string;
  'key-file'?: string;
  password?: string;
  'password-stdin'?: boolean;
  json?: boolean;
}

/** Compares the public key of a certificate (or CSR) with a private key's. */
export async function matchCommand(ctx: CommandContext): Promise<number> {
  const cmd = 'match';
  const { values, positionals } = parse<Flags>(cmd, ctx.argv, {
    key: { type: 'string' },
    'key-file': { type: 'string' },
    password: { type: 'string' },
    'password-stdin': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) usage(cmd, 'name exactly one CERT_FILE');
  if ((values.key === undefined) === (values['key-file'] === undefined)) usage(cmd, 'give exactly one of --key ID or --key-file FILE');
  const certFile = positionals[0] as string;
  const object = await loadCertificateOrCsr(certFile);
  const certSpki = object.kind === 'certificate' ? spkiSha256OfCertificate(object.der) : spkiSha256OfCsr(object.der);
  let keySpki: string;
  if (values.key !== undefined) {
    // The store holds each key's SPKI fingerprint: no need to open the vault.
    keySpki = (await (await openKeyService(ctx)).get(values.key)).spkiSha256;
  } else {
    const password = await resolvePassword(ctx.io, { password: values.password, passwordStdin: values['password-stdin'] });
    keySpki = spkiSha256((await loadPrivateKey(values['key-file'] as string, password)).key);
  }
  const match = certSpki === keySpki;
  const what = object.kind === 'certificate' ? 'certificate' : 'CSR';
  const keyName = values.key ?? values['key-file'];
  if (values.json) {
    printJson(ctx.io, { match, kind: object.kind, certificateSpkiSha256: certSpki, keySpkiSha256: keySpki });
  } else {
    ctx.io.stdout(
      match
        ? `match: the ${what} in ${certFile} belongs to ${keyName}\n`
        : `no match: the ${what} in ${certFile} (spki-sha256 ${certSpki}) does not belong to ${keyName} (spki-sha256 ${keySpki})\n`,
    );
  }
  return match ? EXIT.ok : EXIT.no;
}
