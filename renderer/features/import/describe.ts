/** Plain words for what inspect found: roles, keys, validity, and which files need a password. */
import type { FileInspection, KeyLocation } from '../../../shared/api.js';
import type { ObjectInfo, PublicKeyInfo } from '../../../shared/pki-types.js';
import type { Tone } from '../../components/Badge.js';

const DAY_MS = 86_400_000;

/** What an object is, as an administrator says it. */
export function objectTitle(o: ObjectInfo): string {
  switch (o.kind) {
    case 'certificate':
      return o.role === 'leaf' ? 'Leaf certificate' : o.role === 'intermediate' ? 'Intermediate CA certificate' : 'Root CA certificate';
    case 'private-key':
      return 'Private key';
    case 'csr':
      return 'Certificate signing request';
  }
}

/** "EC P-256", "RSA 2048", "Ed25519". */
export function publicKeyText(k: PublicKeyInfo): string {
  switch (k.algorithm) {
    case 'RSA':
    case 'RSA-PSS':
      return `${k.algorithm} ${k.bits}`;
    case 'EC':
      return `EC ${k.curve}`;
    case 'unknown':
      return `Unknown algorithm (${k.oid})`;
    default:
      return k.algorithm;
  }
}

/** Whole days from `now` until `notAfter` (negative once expired). */
export function daysLeft(notAfter: string, now: Date): number {
  return Math.floor((new Date(notAfter).getTime() - now.getTime()) / DAY_MS);
}

/** A validity badge: not yet valid, expired, expiring within the threshold, or valid. */
export function validityBadge(notBefore: string, notAfter: string, now: Date, thresholdDays: number): { tone: Tone; text: string } {
  if (new Date(notBefore).getTime() > now.getTime()) return { tone: 'warning', text: 'Not yet valid' };
  const days = daysLeft(notAfter, now);
  if (days < 0) return { tone: 'danger', text: `Expired ${-days} ${-days === 1 ? 'day' : 'days'} ago` };
  if (days <= thresholdDays) return { tone: 'warning', text: `Expires in ${days} ${days === 1 ? 'day' : 'days'}` };
  return { tone: 'success', text: `Valid for ${days} days` };
}

/** Where a certificate's key is, in words. */
export function keyLocationText(keys: readonly KeyLocation[]): { tone: Tone; text: string } {
  const vault = keys.find((k) => k.where === 'vault');
  if (vault && vault.where === 'vault') return { tone: 'success', text: `Key in the vault (${vault.label})` };
  const file = keys.find((k) => k.where === 'file');
  if (file && file.where === 'file') return { tone: 'success', text: `Key found in ${file.file}` };
  return { tone: 'warning', text: 'No matching private key' };
}

/** Files that cannot be read until the user gives (another) password. */
export function filesNeedingPassword(files: readonly FileInspection[]): { name: string; wrong: boolean; message: string }[] {
  return files.flatMap((f) =>
    !f.ok && (f.error.code === 'PASSWORD_REQUIRED' || f.error.code === 'WRONG_PASSWORD')
      ? [{ name: f.name, wrong: f.error.code === 'WRONG_PASSWORD', message: f.error.message }]
      : [],
  );
}

/** A one-line count of what a set of files held: "1 leaf, 2 CA certificates, 1 key". */
export function summarise(files: readonly FileInspection[]): string {
  let leaves = 0;
  let cas = 0;
  let keys = 0;
  let csrs = 0;
  for (const f of files) {
    if (!f.ok) continue;
    for (const o of f.objects) {
      if (o.kind === 'certificate') {
        if (o.role === 'leaf') leaves++;
        else cas++;
      } else if (o.kind === 'private-key') keys++;
      else csrs++;
    }
  }
  const parts: string[] = [];
  if (leaves) parts.push(`${leaves} ${leaves === 1 ? 'leaf certificate' : 'leaf certificates'}`);
  if (cas) parts.push(`${cas} CA ${cas === 1 ? 'certificate' : 'certificates'}`);
  if (keys) parts.push(`${keys} private ${keys === 1 ? 'key' : 'keys'}`);
  if (csrs) parts.push(`${csrs} ${csrs === 1 ? 'CSR' : 'CSRs'}`);
  const failed = files.filter((f) => !f.ok).length;
  if (failed) parts.push(`${failed} ${failed === 1 ? 'file' : 'files'} not read`);
  return parts.join(', ') || 'Nothing found';
}
