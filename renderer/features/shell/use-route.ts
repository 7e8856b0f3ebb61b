/** The current screen, from the location hash (so Back/Forward and reloads keep it). */
import { useCallback, useSyncExternalStore } from 'react';
import { hashOf, routeFromHash, type RouteId } from './routes.js';

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

/** The current route and a function to go to another. */
export function useRoute(): [RouteId, (id: RouteId) => void] {
  const route = useSyncExternalStore(subscribe, () => routeFromHash(window.location.hash));
  const go = useCallback((id: RouteId) => {
    window.location.hash = hashOf(id);
  }, []);
  return [route, go];
}
