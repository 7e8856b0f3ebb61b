/**
 * `certdesk selfsign (--key ID | --new-key TYPE) --cn NAME [--san VALUE]… [--days N] [--out FILE] [--json]`
 */
import { parse, positiveInt, required, usage } from '../args.js';
import { EXIT } from '../exit-codes.js';
import { printJson, writeFileAtomic } from '../io.js';
import type { CommandContext } from '../main.js';
import { openKeyService } from '../services.js';
import { SUBJECT_OPTIONS, sansFrom, subjectFrom, type SubjectFlags } from '../subject.js';
import { keyType } from './key.js';
import { createSelfSigned } from '../../pki/selfsign.js';
import { generateKey } from '../../pki/keygen.js';
import { sha256Hex } from '../../pki/keys.js';

interface Flags extends SubjectFlags {
  key?: string;
  'new-key'?: string;
  days?: string;
  label?: string;
  out?: string;
  force?: boolean;
  json?: boolean;
}

/** Default validity of a self-signed placeholder, in days. */
export const DEFAULT_SELFSIGNED_DAYS = 90;

/** Issues a self-signed certificate (the providers' "auto-generate" placeholder) for a vault key. */
export async function selfsignCommand(ctx: CommandContext): Promise<number> {
  const cmd = 'selfsign';
  const { values, positionals } = parse<Flags>(cmd, ctx.argv, {
    ...SUBJECT_OPTIONS,
    key: { type: 'string' },
    'new-key': { type: 'string' },
    days: { type: 'string' },
    label: { type: 'string' },
    out: { type: 'string' },
    force: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length > 0) usage(cmd, `unexpected argument "${positionals[0]}"`);
  if ((values.key === undefined) === (values['new-key'] === undefined)) usage(cmd, 'give exactly one of --key ID or --new-key TYPE');
  const days = positiveInt(cmd, 'days', values.days, DEFAULT_SELFSIGNED_DAYS);
  if (days > 3650) usage(cmd, '--days may be at most 3650');
  const cn = required(cmd, 'cn', values.cn);
  const subject = subjectFrom(values, cn);
  const sans = sansFrom(values, cn);
  const newType = values['new-key'] !== undefined ? keyType(cmd, 'new-key', values['new-key']) : undefined;
  const service = await openKeyService(ctx);
  const key = newType ? await generateKey(newType) : await service.getPrivateKey(values.key as string);
  const cert = createSelfSigned({ key, subject, sans, days, now: new Date() });
  const record = newType
    ? await service.adopt(key, values.label ?? `Self-signed ${cn}`)
    : await service.get(values.key as string);
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
