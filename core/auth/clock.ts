/**
 * Time for the auth service, injectable so tests can verify tokens "in the future" and fire the
 * refresh timer on demand instead of waiting for it.
 */
export interface Clock {
  now(): number;
  /** Runs `callback` after `delayMs`; returns a function that cancels it. */
  schedule(callback: () => void, delayMs: number): () => void;
}

/** setTimeout's ceiling (~24.8 days); longer delays would fire at once. */
const MAX_TIMER_DELAY_MS = 2 ** 31 - 1;

export const systemClock: Clock = {
  now: () => Date.now(),
  schedule(callback, delayMs) {
    const timer = setTimeout(callback, Math.min(Math.max(0, delayMs), MAX_TIMER_DELAY_MS));
    // A pending refresh must not keep a script or test process alive on its own.
    timer.unref();
    return () => clearTimeout(timer);
  },
};
