/** The screens of the app, in sidebar order, and how a URL hash maps to one. */

/** A screen's id (also its hash: `#/keys`). */
export type RouteId = 'certificates' | 'keys' | 'csr' | 'import' | 'tasks' | 'expiry' | 'settings' | 'help';

/** A sidebar entry. */
export interface RouteInfo {
  readonly id: RouteId;
  readonly label: string;
  readonly group: 'Inventory' | 'Keys & requests' | 'App';
  /** Shown as "soon" until the provider services land. */
  readonly soon?: boolean;
}

/** Every screen, in sidebar order. */
export const ROUTES: readonly RouteInfo[] = [
  { id: 'certificates', label: 'Certificates', group: 'Inventory' },
  { id: 'tasks', label: 'Tasks', group: 'Inventory' },
  { id: 'expiry', label: 'Expiry', group: 'Inventory' },
  { id: 'keys', label: 'Keys', group: 'Keys & requests' },
  { id: 'csr', label: 'Generate key & CSR', group: 'Keys & requests' },
  { id: 'import', label: 'Import / inspect', group: 'Keys & requests' },
  { id: 'settings', label: 'Accounts & settings', group: 'App' },
  { id: 'help', label: 'Help', group: 'App' },
];

/** The screen a fresh start opens. */
export const DEFAULT_ROUTE: RouteId = 'certificates';

/** The route named by a location hash (`#/keys`), or the default. */
export function routeFromHash(hash: string): RouteId {
  const id = hash.replace(/^#\/?/, '').split(/[/?]/)[0] ?? '';
  return ROUTES.some((r) => r.id === id) ? (id as RouteId) : DEFAULT_ROUTE;
}

/** The hash of a route. */
export function hashOf(id: RouteId): string {
  return `#/${id}`;
}
