/** Small line icons for the sidebar (decorative: always next to a text label). */
import type { RouteId } from '../features/shell/routes.js';

const PATHS: Readonly<Record<RouteId, string>> = {
  certificates: 'M4 2.5h6l2.5 2.5v8.5H4z M10 2.5V5h2.5 M6 7.5h4 M6 10h2.5',
  tasks: 'M13 8a5 5 0 1 1-1.5-3.6 M13 2.5v2.5h-2.5',
  expiry: 'M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11z M8 5v3.2l2 1.3',
  keys: 'M5.5 6.5a3 3 0 1 0 0 .01z M8.3 7.2H14 M12 7.2v2.3 M10 7.2v1.6',
  csr: 'M3.5 2.5h6l3 3v8h-9z M8 7v4.5 M5.75 9.25h4.5',
  import: 'M8 2.5v7 M5 6.8 8 9.8l3-3 M3 11v2.5h10V11',
  settings:
    'M8 5.6a2.4 2.4 0 1 0 0 4.8a2.4 2.4 0 1 0 0-4.8z M8 1.8v1.6 M8 12.6v1.6 M1.8 8h1.6 M12.6 8h1.6 M3.6 3.6l1.1 1.1 M11.3 11.3l1.1 1.1 M3.6 12.4l1.1-1.1 M11.3 4.7l1.1-1.1',
  help: 'M8 2.5a5.5 5.5 0 1 0 0 11a5.5 5.5 0 1 0 0-11z M6.3 6.5a1.8 1.8 0 1 1 2.5 1.6c-.5.3-.8.6-.8 1.2v.3 M8 11.3v.1',
};

/** The icon of a screen. */
export function RouteIcon({ route }: { route: RouteId }): React.JSX.Element {
  return (
    <svg width="16" height="16" viewBox="0 0 16 16" fill="none" stroke="currentColor" strokeWidth="1.4" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[route]} />
    </svg>
  );
}
