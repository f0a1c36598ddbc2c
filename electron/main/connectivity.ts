import { backoffDelay, type Backoff } from '../../core/backoff';
import { isUnreachable } from '../../core/errors';
import { createLogger } from '../../core/log';
import type { Connectivity } from '../../shared/messages';
import { AppError, isAppError } from '../../shared/result';

const log = createLogger('connectivity');

export interface ConnectivityOptions {
  /** 'connectivity.changed': on a change of `online`, and on each new `retryAt` while offline. */
  publish(state: Connectivity): void;
  /** Tries the connection (drains the outbox, or one cheap read); resolving means reachable. */
  probe(): Promise<void>;
  /** Electron's net.isOnline() where it means something: false is offline without trying. */
  isNetworkUp?(): boolean;
  backoff?: Backoff;
  /** For tests. */
  random?(): number;
  now?(): number;
}

export const DEFAULT_PROBE_BACKOFF: Backoff = { baseMs: 1_000, maxMs: 30_000 };

/** Past this the ceiling is long since at maxMs; the count only has to stop growing. */
const MAX_ATTEMPT = 32;

/** What the monitor rejects with when the computer has no network at all (nothing was tried). */
class OfflineError extends AppError {
  constructor() {
    super('Unavailable', 'This computer has no network connection: the messages cannot be reached.');
  }
}

/**
 * Whether an error means "DynamoDB cannot be reached" (as opposed to an answer from it): an
 * Unavailable whose cause chain is a connection failure (core/errors.ts maps those so), the
 * monitor's own no-network error, or a raw connection failure that nobody mapped. A throttling
 * Unavailable is an answer: the service is there. The outbox's SEND_QUEUED error carries the
 * error that queued the message as its cause, so it counts when that one did.
 */
export function isOfflineError(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth++) {
    if (current instanceof OfflineError) return true;
    current = current.cause;
  }
  if (isAppError(error) && error.code !== 'Unavailable') return false;
  return isUnreachable(error);
}

/**
 * Whether the main process can reach DynamoDB, learnt from what it does anyway: every call of the
 * services goes through `observe` (see `observed`), so the first call that cannot connect turns
 * the app offline and the first answer (even a refusal) turns it online again. While offline it
 * probes at growing, jittered delays (full jitter: a room of laptops coming back on one Wi-Fi does
 * not knock at the same moment), one probe at a time, until one gets through; "Try now" probes
 * at once. Timers never keep the process alive.
 */
export class ConnectivityMonitor {
  private online = true;
  private retryAt: number | null = null;
  /** Failed tries since going offline: the next delay is backoffDelay(attempt). */
  private attempt = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private probing: Promise<void> | undefined;
  /** Set from the probe's first line, so a call the probe itself makes cannot schedule another. */
  private probeRunning = false;
  /** Bumped by stop(): a probe begun before it schedules nothing after it. */
  private epoch = 0;
  private readonly backoff: Backoff;
  private readonly random: () => number;
  private readonly now: () => number;

  constructor(private readonly options: ConnectivityOptions) {
    this.backoff = options.backoff ?? DEFAULT_PROBE_BACKOFF;
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
  }

  state(): Connectivity {
    return { online: this.online, retryAt: this.retryAt };
  }

  /**
   * Runs `work` and learns from how it ends: a connection failure turns the app offline, anything
   * else (a value, or the service's own answer such as Forbidden or a throttling) online. Without
   * a network it does not run `work` at all and rejects at once.
   */
  async observe<T>(work: () => Promise<T>): Promise<T> {
    if (this.options.isNetworkUp?.() === false) {
      this.wentOffline();
      throw new OfflineError();
    }
    try {
      const value = await work();
      this.wentOnline();
      return value;
    } catch (error) {
      if (isOfflineError(error)) this.wentOffline();
      else this.wentOnline();
      throw error;
    }
  }

  /** "Try now": probes at once (a pending automatic try is dropped) and answers the state after it. */
  async retryNow(): Promise<Connectivity> {
    await this.probeOnce();
    return this.state();
  }

  stop(): void {
    this.epoch++;
    this.clearTimer();
  }

  /** The probe running now, or a new one: never two at once. */
  private probeOnce(): Promise<void> {
    this.probing ??= this.runProbe().finally(() => {
      this.probing = undefined;
      this.probeRunning = false;
    });
    return this.probing;
  }

  private async runProbe(): Promise<void> {
    this.probeRunning = true;
    this.clearTimer();
    const epoch = this.epoch;
    try {
      if (this.options.isNetworkUp?.() === false) throw new OfflineError();
      await this.options.probe();
    } catch (error) {
      if (epoch !== this.epoch) return;
      if (isOfflineError(error)) {
        this.triedAndFailed();
        return;
      }
      // The service answered, if not with what the probe wanted: it can be reached.
      log.warn('a connection probe was answered with an error', {
        code: isAppError(error) ? error.code : 'unexpected',
      });
    }
    if (epoch === this.epoch) this.wentOnline();
  }

  private wentOnline(): void {
    this.attempt = 0;
    this.clearTimer();
    if (this.online) return;
    this.online = true;
    this.retryAt = null;
    log.info('DynamoDB can be reached again');
    this.publish();
  }

  /**
   * A call could not connect. While offline already, the probe running or the one scheduled is
   * the next try: nothing changes.
   */
  private wentOffline(): void {
    if (!this.online && (this.timer || this.probeRunning)) return;
    this.triedAndFailed();
  }

  /** Offline (again): the next probe after the next delay of the backoff. */
  private triedAndFailed(): void {
    if (this.online) {
      log.warn('the message service cannot be reached; trying again with backoff');
      this.online = false;
      this.attempt = 0;
    }
    this.attempt = Math.min(this.attempt + 1, MAX_ATTEMPT);
    const delay = backoffDelay(this.attempt, this.backoff, this.random);
    this.clearTimer();
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.probeOnce();
    }, delay);
    this.timer.unref?.();
    this.retryAt = this.now() + delay;
    this.publish();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private publish(): void {
    try {
      this.options.publish(this.state());
    } catch (error) {
      log.error('publishing the connectivity failed', error instanceof Error ? error : String(error));
    }
  }
}

/** An object's functions, each returning a promise (what `observed` can watch). */
type AsyncMethods<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R
    ? R extends Promise<unknown>
      ? (...args: A) => R
      : never
    : T[K];
};

/**
 * `source` with every function property called through `monitor.observe`, so a service's calls
 * tell the monitor whether DynamoDB can be reached. Its functions must return promises (the type
 * refuses others); they run with `source` as `this`, so classes with private fields work.
 */
export function observed<T extends AsyncMethods<T>>(source: T, monitor: ConnectivityMonitor): T {
  const wrappers = new WeakMap<object, unknown>();
  return new Proxy(source, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      let wrapper = wrappers.get(value);
      if (!wrapper) {
        const fn = value as (...args: unknown[]) => Promise<unknown>;
        wrapper = (...args: unknown[]) => monitor.observe(() => fn.apply(target, args));
        wrappers.set(value, wrapper);
      }
      return wrapper;
    },
  });
}
