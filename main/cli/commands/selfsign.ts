/**
 * `certdesk selfsign (--key ID | --new-key TYPE) --cn NAME [--san VALUE]… [--days N] [--out FILE] [--json]`
 */
import { positiveInt, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, writeFileAtomic } from '../io.js';
import { keySubjectFrom, openSigningKey, parseKeySubjectFlags, type KeySubjectFlags } from '../key-subject.js';
import type { CommandContext } from '../main.js';
import { createSelfSigned } from '../../pki/selfsign.js';
import { sha256Hex } from '../../pki/keys.js';

interface Flags extends KeySubjectFlags {
  days?: string;
}

/** Default validity of a self-signed placeholder, in days. */
export const DEFAULT_SELFSIGNED_DAYS = 90;

/** Issues a self-signed certificate (the providers' "auto-generate" placeholder) for a vault key. */
export async function selfsignCommand(ctx: CommandContext): Promise<number> {
  const cmd = 'selfsign';
  const { values } = parseKeySubjectFlags<Flags>(cmd, ctx.argv, { days: { type: 'string' } });
  const days = positiveInt(cmd, 'days', values.days, DEFAULT_SELFSIGNED_DAYS);
  if (days > 3650) usage(cmd, '--days may be at most 3650');
  const { cn, subject, sans, newType } = keySubjectFrom(cmd, values);
  const { key, record: keep } = await openSigningKey(ctx, values, newType);
  const cert = createSelfSigned({ key, subject, sans, days, now: new Date() });
  const record = await keep(`Self-signed ${cn}`);
  if (values.out !== undefined) writeFileAtomic(values.out, cert.pem, { overwrite: values.force === true });
  if (values.json) {
    printJson(ctx.io, { keyId: record.id, certificatePem: cert.pem, fingerprint: sha256Hex(cert.der), spkiSha256: record.spkiSha256 });
  } else if (values.out === undefined) {
    ctx.io.stdout(cert.pem);
  } else {
    ctx.io.stdout(`Wrote a ${days}-day self-signed certificate for ${cn} to ${values.out} (key ${record.id}).\n`);
  }
  return EXIT.ok;
}
