/** Layout of the expiry timeline: rows per certificate, a time scale, ticks. Pure, for testing. */
import type { ExpiryEntry } from '../../../shared/api.js';

const DAY_MS = 86_400_000;

/** One row of the chart: a certificate and its expiry points. */
export interface TimelineRow {
  readonly key: string;
  readonly label: string;
  readonly account: string;
  readonly points: readonly ExpiryEntry[];
}

/** The chart's layout. */
export interface TimelineLayout {
  readonly rows: readonly TimelineRow[];
  /** Rows left out of the chart (they are in the table). */
  readonly hidden: number;
  readonly start: number;
  readonly end: number;
  /** x (0–1) of a time, clamped to the chart. */
  x(t: number): number;
  /** Month ticks: time and label. */
  readonly ticks: readonly { readonly t: number; readonly label: string }[];
}

/** Lays out at most `maxRows` certificates, soonest expiry first, over a scale from a month ago to the last expiry (at most ~13 months ahead). */
export function layoutTimeline(entries: readonly ExpiryEntry[], now: number, thresholdDays: number, maxRows = 30): TimelineLayout {
  const byCert = new Map<string, ExpiryEntry[]>();
  for (const e of entries) {
    const key = `${e.accountId}/${e.certificateId}`;
    const list = byCert.get(key);
    if (list) list.push(e);
    else byCert.set(key, [e]);
  }
  const all: TimelineRow[] = [...byCert.entries()].map(([key, points]) => ({ key, label: points[0]?.certificate ?? key, account: points[0]?.account ?? '', points }));
  const soonest = (r: TimelineRow): number => Math.min(...r.points.map((p) => Date.parse(p.notAfter)));
  all.sort((a, b) => soonest(a) - soonest(b) || a.label.localeCompare(b.label));
  const rows = all.slice(0, maxRows);
  const latest = Math.max(now + Math.max(90, thresholdDays * 2) * DAY_MS, ...rows.flatMap((r) => r.points.map((p) => Date.parse(p.notAfter))));
  const earliest = Math.min(now - 30 * DAY_MS, ...rows.flatMap((r) => r.points.map((p) => Date.parse(p.notAfter))));
  const start = Math.max(earliest - 7 * DAY_MS, now - 120 * DAY_MS);
  const end = Math.min(latest + 14 * DAY_MS, now + 400 * DAY_MS);
  const x = (t: number): number => Math.min(1, Math.max(0, (t - start) / (end - start)));
  const ticks: { t: number; label: string }[] = [];
  const d = new Date(start);
  const cursor = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1));
  const months = (end - start) / (30 * DAY_MS);
  const step = months > 8 ? 2 : 1;
  while (cursor.getTime() < end) {
    ticks.push({ t: cursor.getTime(), label: cursor.toLocaleDateString(undefined, { month: 'short', year: cursor.getUTCMonth() === 0 || ticks.length === 0 ? 'numeric' : undefined, timeZone: 'UTC' }) });
    cursor.setUTCMonth(cursor.getUTCMonth() + step);
  }
  return { rows, hidden: all.length - rows.length, start, end, x, ticks };
}
