/**
 * `certdesk csr (--key ID | --new-key TYPE) --cn NAME [--san VALUE]… [subject flags] [--out FILE] [--json]`
 */
import { EXIT } from '../exit-codes.js';
import { printJson, writeFileAtomic } from '../io.js';
import { keySubjectFrom, openSigningKey, parseKeySubjectFlags, type KeySubjectFlags } from '../key-subject.js';
import type { CommandContext } from '../main.js';
import { formatSubjectFields } from '../subject.js';
import { createCsr } from '../../pki/csr.js';

/** Creates a CSR for a vault key (new or existing) and records it as pending until its certificate arrives. */
export async function csrCommand(ctx: CommandContext): Promise<number> {
  const cmd = 'csr';
  const { values } = parseKeySubjectFlags<KeySubjectFlags>(cmd, ctx.argv);
  const { cn, subject, sans, newType } = keySubjectFrom(cmd, values);
  // A new key is generated in memory and sealed only once the CSR is built, so bad input leaves
  // no orphan key behind.
  const { service, key, record: keep } = await openSigningKey(ctx, values, newType);
  const csr = createCsr({ key, subject, sans });
  const record = await keep(`CSR for ${cn}`);
  await service.addPendingRequest({ keyId: record.id, subject: formatSubjectFields(subject), sans });
  if (values.out !== undefined) writeFileAtomic(values.out, csr.pem, { overwrite: values.force === true });
  if (values.json) printJson(ctx.io, { keyId: record.id, csrPem: csr.pem, spkiSha256: record.spkiSha256 });
  else if (values.out === undefined) ctx.io.stdout(csr.pem);
  else ctx.io.stdout(`Wrote the CSR for ${cn} to ${values.out} (key ${record.id}).\n`);
  return EXIT.ok;
}
