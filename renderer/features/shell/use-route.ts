/** The current screen, from the location hash (so Back/Forward and reloads keep it). */
import { useCallback, useSyncExternalStore } from 'react';
import { requestFocus, type FocusTarget } from '../../components/route-focus.js';
import { hashOf, routeFromHash, type RouteId } from './routes.js';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** How to go to a screen: `focus` names the control that takes focus instead of the heading. */
export interface GoOptions {
  readonly focus?: FocusTarget;
}

/** The current route and a function to go to another (or to the same one, to focus a control of it). */
export function useRoute(): [RouteId, (id: RouteId, options?: GoOptions) => void] {
  const route = useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash));
  const go = useCallback((id: RouteId, options: GoOptions = {}) => {
    if (options.focus !== undefined) requestFocus(id, options.focus);
    window.location.hash = hashOf(id);
  }, []);
  return [route, go];
}
