import { useEffect, useState } from 'react';

/**
 * The current time, refreshed every `intervalMs` (a minute by default), so relative times such
 * as "5 min. ago" and "Today" move on while the window stays open. Each caller re-renders only
 * on its own tick; the interval is cleared on unmount.
 */
export function useNow(intervalMs = 60_000): Date {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
