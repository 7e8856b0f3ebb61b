/**
 * Store migrations, keyed by conf's semver project version (`${schemaVersion}.0.0`).
 *
 * Each step reads what it needs, writes the new layout and sets `schemaVersion`. conf runs the
 * steps between the version recorded in the file and `STORE_PROJECT_VERSION`, and restores the
 * previous contents if a step throws. Add a step (and bump `STORE_SCHEMA_VERSION`) for every
 * layout change; never edit a released step.
 */
import { STORE_SCHEMA_VERSION } from './schema.js';

/** What a migration step may do to the store (a conf / electron-store instance). */
export interface MigrationContext {
  get(key: string): unknown;
  set(key: string, value: unknown): void;
}

/** One migration step. */
export type Migration = (store: MigrationContext) => void;

/** conf's projectVersion for the current layout. */
export const STORE_PROJECT_VERSION = `${STORE_SCHEMA_VERSION}.0.0`;

// Only a missing field is filled in: a field of the wrong type is left for the validator, so the
// file is moved aside and reported instead of silently emptied.
function ensureArray(store: MigrationContext, key: string): void {
  if (store.get(key) === undefined) store.set(key, []);
}

/** Every migration step, oldest first. */
export const MIGRATIONS: Readonly<Record<string, Migration>> = {
  // 1: keys (with key-custody uploads) and pending CSRs.
  '1.0.0': (store) => {
    ensureArray(store, 'keys');
    ensureArray(store, 'pendingRequests');
    store.set('schemaVersion', 1);
  },
  // 2: provider accounts, the inventory cache, local version history, deployment tasks.
  '2.0.0': (store) => {
    ensureArray(store, 'accounts');
    ensureArray(store, 'inventory');
    ensureArray(store, 'versions');
    ensureArray(store, 'tasks');
    if (store.get('sandboxProvisioned') === undefined) store.set('sandboxProvisioned', false);
    store.set('schemaVersion', 2);
  },
};
