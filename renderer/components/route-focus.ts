/**
 * Where focus goes when the user opens a screen: its heading (PageHeader), not on first load; or,
 * when the navigation asked for one, a named control of the screen instead (File › Import files…
 * lands on "Choose files…", so Enter or Space opens the chooser).
 */
import { createContext, useEffect, useRef, useSyncExternalStore, type RefObject } from 'react';
import type { RouteId } from '../features/shell/routes.js';

/** True once the user has navigated away from the first screen. */
export const RouteFocusContext = createContext(false);

/** A control a navigation can ask its screen to focus instead of the heading. */
export type FocusTarget = 'choose-files';

/** A one-shot request: the screen `route` focuses `target` when it is shown (at once if it is shown now). */
export interface FocusRequest {
  readonly route: RouteId;
  readonly target: FocusTarget;
}

// One pending request for the whole window: a navigation asks, the screen it opens answers.
let pending: FocusRequest | null = null;
const listeners = new Set<() => void>();

function setPending(next: FocusRequest | null): void {
  pending = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Asks `route` to focus `target`; a new request each time, so asking again on the same screen focuses again. */
export function requestFocus(route: RouteId, target: FocusTarget): void {
  setPending({ route, target });
}

/** The request waiting to be answered, if any (the heading then leaves focus alone). */
export function pendingFocus(): FocusRequest | null {
  return pending;
}

/** Drops a request that is not for `route`: the user went to another screen before it was answered. */
export function dropFocusRequest(route: RouteId): void {
  if (pending !== null && pending.route !== route) setPending(null);
}

/** A ref for the control `target` of screen `route`: focused when a request for it arrives, which is then spent. */
export function useFocusTarget<T extends HTMLElement>(route: RouteId, target: FocusTarget): RefObject<T | null> {
  const ref = useRef<T>(null);
  const request = useSyncExternalStore(subscribe, pendingFocus);
  useEffect(() => {
    if (request === null || request.route !== route || request.target !== target || ref.current === null) return;
    ref.current.focus();
    setPending(null);
  }, [request, route, target]);
  return ref;
}
