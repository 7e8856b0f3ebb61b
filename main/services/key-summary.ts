/**
 * The renderer's view of a vault key: every public fact of the record, copied field by field so a
 * field added to the record later never crosses the process boundary by accident.
 */
import type { KeySummary } from '../../shared/api.js';
import type { KeyRecord } from '../store/schema.js';

/** A key record as `keys.list` returns it. */
export function toKeySummary(record: KeyRecord): KeySummary {
  return {
    id: record.id,
    algorithm: record.algorithm,
    ...(record.bits !== undefined ? { bits: record.bits } : {}),
    ...(record.curve !== undefined ? { curve: record.curve } : {}),
    keyType: record.keyType,
    spkiSha256: record.spkiSha256,
    label: record.label,
    createdAt: record.createdAt,
    source: record.source,
    uploads: record.uploads.map((u) => ({ provider: u.provider, account: u.account, certificate: u.certificate, version: u.version, at: u.at })),
  };
}
