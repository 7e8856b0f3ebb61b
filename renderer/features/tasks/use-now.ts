/** A clock that ticks every second while `active`, for elapsed times of running tasks. */
import { useEffect, useState } from 'react';

/** Milliseconds since the epoch, updated each second while `active`. */
export function useNow(active: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [active]);
  return now;
}
