/**
 * The one retry delay of the project: exponential backoff with full jitter (AWS Architecture
 * Blog, "Exponential Backoff and Jitter"), a random delay between 0 and base·2^attempt, capped.
 * Jitter spreads competing retries apart, so two writers that collided do not collide again.
 */
export interface Backoff {
  /** The delay before retry 1, before jitter. */
  baseMs: number;
  /** No delay is longer than this. */
  maxMs: number;
}

/** The delay before retry `attempt` (1 for the first retry). `random` is for tests. */
export function backoffDelay(attempt: number, backoff: Backoff, random: () => number = Math.random): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}
