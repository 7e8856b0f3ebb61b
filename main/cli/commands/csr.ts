/**
 * `certdesk csr (--key ID | --new-key TYPE) --cn NAME [--san VALUE]… [subject flags] [--out FILE] [--json]`
 */
import { parse, required, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, writeFileAtomic } from '../io.js';
import type { CommandContext } from '../main.js';
import { openKeyService } from '../services.js';
import { SUBJECT_OPTIONS, formatSubjectFields, sansFrom, subjectFrom, type SubjectFlags } from '../subject.js';
import { keyType } from './key.js';
import { createCsr } from '../../pki/csr.js';
import { generateKey } from '../../pki/keygen.js';

interface Flags extends SubjectFlags {
  key?: string;
  'new-key'?: string;
  label?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

/** Creates a CSR for a vault key (new or existing) and records it as pending until its certificate arrives. */
export async function csrCommand(ctx: CommandContext): Promise<number> {
  const cmd = 'csr';
  const { values, positionals } = parse<Flags>(cmd, ctx.argv, {
    ...SUBJECT_OPTIONS,
    key: { type: 'string' },
    'new-key': { type: 'string' },
    label: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) usage(cmd, `unexpected argument "${positionals[0]}"`);
  if ((values.key === undefined) === (values['new-key'] === undefined)) usage(cmd, 'give exactly one of --key ID or --new-key TYPE');
  const cn = required(cmd, 'cn', values.cn);
  const subject = subjectFrom(values, cn);
  const sans = sansFrom(values, cn);
  const newType = values['new-key'] !== undefined ? keyType(cmd, 'new-key', values['new-key']) : undefined;
  const service = await openKeyService(ctx);
  // A new key is generated in memory and sealed only once the CSR is built, so bad input leaves
  // no orphan key behind.
  const key = newType ? await generateKey(newType) : await service.getPrivateKey(values.key as string);
  const csr = createCsr({ key, subject, sans });
  const record = newType
    ? await service.adopt(key, values.label ?? `CSR for ${cn}`)
    : await service.get(values.key as string);
  await service.addPendingRequest({ keyId: record.id, subject: formatSubjectFields(subject), sans });
  if (values.out !== undefined) writeFileAtomic(values.out, csr.pem, { overwrite: values.force === true });
  if (values.json) printJson(ctx.io, { keyId: record.id, csrPem: csr.pem, spkiSha256: record.spkiSha256 });
  else if (values.out === undefined) ctx.io.stdout(csr.pem);
  else ctx.io.stdout(`Wrote the CSR for ${cn} to ${values.out} (key ${record.id}).\n`);
  return EXIT.ok;
}
