/** Search, filters and sorting of the certificate list: pure, so 5,000 rows filter in one pass. */
import type { CertificateRow, CertificateState } from '../../../shared/api.js';

/** What the user chose above the list. */
export interface CertificateFilter {
  /** Name, SAN or fingerprint (any case; colons and spaces in fingerprints ignored). */
  readonly query: string;
  /** Account id, or '' for all. */
  readonly account: string;
  /** Deployed in this environment, `none` for deployed nowhere, '' for any. */
  readonly env: string;
  /** An attention state, `ok` for none, '' for any. */
  readonly status: CertificateState | 'ok' | '';
  readonly sort: 'expiry' | 'expiry-desc' | 'name';
}

/** The filter of a fresh screen: everything, soonest expiry first. */
export const NO_FILTER: CertificateFilter = { query: '', account: '', env: '', status: '', sort: 'expiry' };

/** How each state is shown. */
export const STATE_LABELS: Readonly<Record<CertificateState, { readonly label: string; readonly tone: 'warning' | 'danger' | 'info' | 'neutral'; readonly hint: string }>> = {
  expiring: { label: 'Expiring', tone: 'danger', hint: 'What is deployed (or the latest version) expires within the warning window, or has expired' },
  'renewed-not-deployed': { label: 'Renewed, not deployed', tone: 'warning', hint: 'A newer version exists than the one in production' },
  'staging-differs': { label: 'Staging ≠ production', tone: 'info', hint: 'Staging and production hold different versions' },
  'not-owner': { label: 'Not owner', tone: 'neutral', hint: 'Another customer owns it; read-only here' },
};

const HEX = /^[0-9a-f]+$/;

/** True when the row matches the typed search. */
export function matchesQuery(row: CertificateRow, query: string): boolean {
  const q = query.trim().toLowerCase();
  if (q === '') return true;
  if (row.name.toLowerCase().includes(q) || row.account.toLowerCase().includes(q) || row.id.toLowerCase().includes(q)) return true;
  if (row.names.some((n) => n.includes(q))) return true;
  const hex = q.replace(/[:\s]/g, '');
  return hex.length >= 4 && HEX.test(hex) && row.fingerprints.some((f) => f.includes(hex));
}

function deployedIn(row: CertificateRow, env: string): boolean {
  if (env === 'none') return row.environments.every((e) => !e.deployed);
  return row.environments.some((e) => e.env === env && e.deployed);
}

/** The rows the filter keeps, in its order (ties by name, then account). */
export function filterCertificates(rows: readonly CertificateRow[], filter: CertificateFilter): CertificateRow[] {
  const kept = rows.filter(
    (r) =>
      (filter.account === '' || r.accountId === filter.account) &&
      (filter.env === '' || deployedIn(r, filter.env)) &&
      (filter.status === '' || (filter.status === 'ok' ? r.states.length === 0 : r.states.includes(filter.status))) &&
      matchesQuery(r, filter.query),
  );
  const byName = (a: CertificateRow, b: CertificateRow): number => a.name.localeCompare(b.name) || a.account.localeCompare(b.account);
  const days = (r: CertificateRow): number => r.daysLeft ?? Number.POSITIVE_INFINITY;
  switch (filter.sort) {
    case 'name':
      return kept.sort(byName);
    case 'expiry':
      return kept.sort((a, b) => days(a) - days(b) || byName(a, b));
    case 'expiry-desc':
      // Unknown expiry stays last either way.
      return kept.sort((a, b) => (a.daysLeft === null ? 1 : b.daysLeft === null ? -1 : b.daysLeft - a.daysLeft) || byName(a, b));
  }
}

/** Every environment any certificate can be in, staging before production. */
export function environmentChoices(rows: readonly CertificateRow[]): string[] {
  const seen = new Set<string>();
  for (const r of rows) for (const e of r.environments) seen.add(e.env);
  const order = ['staging', 'production'];
  return [...seen].sort((a, b) => {
    const ia = order.indexOf(a);
    const ib = order.indexOf(b);
    if (ia >= 0 || ib >= 0) return (ia < 0 ? 9 : ia) - (ib < 0 ? 9 : ib);
    return a.localeCompare(b);
  });
}

/** "in 12 days", "today", "3 days ago". */
export function daysText(days: number | null): string {
  if (days === null) return 'unknown';
  if (days === 0) return 'today';
  if (days > 0) return `in ${days} ${days === 1 ? 'day' : 'days'}`;
  return `${-days} ${days === -1 ? 'day' : 'days'} ago`;
}

/** A tone for days left against the warning window. */
export function daysTone(days: number | null, threshold: number): 'danger' | 'warning' | 'success' | 'neutral' {
  if (days === null) return 'neutral';
  if (days < 0) return 'danger';
  if (days <= Math.min(7, threshold)) return 'danger';
  if (days <= threshold) return 'warning';
  return 'success';
}
