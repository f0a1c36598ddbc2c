import { afterEach, beforeEach, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { toAppError } from '../../core/errors';
import type { MessageService } from '../../core/messages';
import {
  ConnectivityMonitor,
  isOfflineError,
  observed,
  type ConnectivityOptions,
} from '../../electron/main/connectivity';
import { SEND_QUEUED, type Connectivity } from '../../shared/messages';
import { AppError } from '../../shared/result';
import { captureLog } from '../support/log-capture';

/** What the SDK throws when nothing listens, mapped the way every service maps it. */
const unreachable = () =>
  toAppError(
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
    'DynamoDB',
  );
const throttled = () =>
  toAppError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), 'DynamoDB');
const forbidden = () => new AppError('Forbidden', 'you are not a member of this conversation');

let published: Connectivity[];
let probe: ReturnType<typeof vi.fn<() => Promise<void>>>;

function monitor(options: Partial<ConnectivityOptions> = {}): ConnectivityMonitor {
  const made = new ConnectivityMonitor({
    publish: (state) => published.push(state),
    probe,
    random: () => 0.5,
    now: () => Date.now(),
    ...options,
  });
  monitors.push(made);
  return made;
}
const monitors: ConnectivityMonitor[] = [];

beforeEach(() => {
  vi.useFakeTimers({ now: 1_000_000 });
  captureLog();
  published = [];
  probe = vi.fn<() => Promise<void>>().mockRejectedValue(unreachable());
});
afterEach(() => {
  for (const made of monitors.splice(0)) made.stop();
  vi.useRealTimers();
});

describe('isOfflineError', () => {
  it('is true for a connection failure, false for an answer of the service', () => {
    expect(isOfflineError(unreachable())).toBe(true);
    expect(isOfflineError(throttled())).toBe(false);
    expect(isOfflineError(forbidden())).toBe(false);
    expect(isOfflineError(new AppError('Unavailable', 'something else'))).toBe(false);
    expect(isOfflineError(new Error('a bug'))).toBe(false);
    expect(isOfflineError(undefined)).toBe(false);
  });

  it('sees through a SEND_QUEUED error to the failure that queued the message', () => {
    const queued = (cause: unknown) => new AppError('Unavailable', 'queued', { reason: SEND_QUEUED, cause });
    expect(isOfflineError(queued(unreachable()))).toBe(true);
    expect(isOfflineError(queued(throttled()))).toBe(false);
  });
});

describe('ConnectivityMonitor', () => {
  it('goes offline on a connection failure and passes the failure on', async () => {
    const watch = monitor();
    const failure = unreachable();
    await expect(watch.observe(() => Promise.reject(failure))).rejects.toBe(failure);
    // random 0.5 of a 1 s ceiling: the first try is 500 ms away.
    expect(watch.state()).toEqual({ online: false, retryAt: Date.now() + 500 });
    expect(published).toEqual([{ online: false, retryAt: Date.now() + 500 }]);
  });

  it('stays online on a refusal of the service (Forbidden) or a throttling, and answers values', async () => {
    const watch = monitor();
    await expect(watch.observe(() => Promise.reject(forbidden()))).rejects.toMatchObject({
      code: 'Forbidden',
    });
    await expect(watch.observe(() => Promise.reject(throttled()))).rejects.toMatchObject({
      code: 'Unavailable',
    });
    await expect(watch.observe(() => Promise.resolve(42))).resolves.toBe(42);
    expect(watch.state()).toEqual({ online: true, retryAt: null });
    expect(published).toEqual([]);
  });

  it('is online again when a probe gets through, and starts the backoff afresh after', async () => {
    const watch = monitor();
    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    probe.mockResolvedValueOnce(undefined);
    await vi.advanceTimersByTimeAsync(500);
    expect(probe).toHaveBeenCalledTimes(1);
    expect(watch.state()).toEqual({ online: true, retryAt: null });
    expect(published.at(-1)).toEqual({ online: true, retryAt: null });

    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    expect(watch.state().retryAt).toBe(Date.now() + 500);
  });

  it('probes at growing, jittered delays while offline, one probe at a time', async () => {
    const draws = [0.5, 0.1, 0.9, 0.3, 0.999, 0.999, 0.999];
    const watch = monitor({ random: () => draws.shift() ?? 0 });
    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    const at = [Date.now()];
    probe.mockImplementation(async () => {
      at.push(Date.now());
      throw unreachable();
    });
    for (let i = 0; i < 6; i++) await vi.advanceTimersToNextTimerAsync();

    const gaps = at.slice(1).map((time, i) => time - at[i]!);
    // ceilings 1, 2, 4, 8, 16, 32 → capped at 30 s; full jitter draws a part of each.
    expect(gaps).toEqual([500, 200, 3_600, 2_400, 15_984, 29_970]);
    expect(probe).toHaveBeenCalledTimes(6);
    // Each failed probe says when the next one is; nothing else is published while offline.
    expect(published.every((state) => !state.online)).toBe(true);
    expect(published.map((state) => state.retryAt! - at[0]!)).toEqual([
      500, 700, 4_300, 6_700, 22_684, 52_654, 82_624,
    ]);
  });

  it('publishes exactly the transitions (and each next try while offline)', async () => {
    const watch = monitor({ random: () => 0.5 });
    for (let i = 0; i < 3; i++) await watch.observe(() => Promise.resolve(i));
    expect(published).toEqual([]);

    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    // More failures while a try is scheduled change nothing: no second publish, same retryAt.
    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    expect(published).toEqual([{ online: false, retryAt: Date.now() + 500 }]);

    // Any answer of the service is a way back: a refusal turns it online.
    await watch.observe(() => Promise.reject(forbidden())).catch(() => {});
    await watch.observe(() => Promise.resolve('again'));
    expect(published).toEqual([
      { online: false, retryAt: Date.now() + 500 },
      { online: true, retryAt: null },
    ]);
    // Online again, the scheduled probe was dropped.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe).not.toHaveBeenCalled();
  });

  it('does not run the work without a network, and rejects with an offline error at once', async () => {
    let networkUp = false;
    const watch = monitor({ isNetworkUp: () => networkUp });
    const work = vi.fn(() => Promise.resolve('sent'));
    const failure = await watch.observe(work).catch((error: unknown) => error);
    expect(work).not.toHaveBeenCalled();
    expect(failure).toMatchObject({ code: 'Unavailable' });
    expect(isOfflineError(failure)).toBe(true);
    expect(watch.state().online).toBe(false);

    // Nor does it probe while the network is down; once it is up, the next try gets through.
    await vi.advanceTimersByTimeAsync(500);
    expect(probe).not.toHaveBeenCalled();
    networkUp = true;
    probe.mockResolvedValue(undefined);
    await vi.advanceTimersToNextTimerAsync();
    expect(probe).toHaveBeenCalledTimes(1);
    expect(watch.state().online).toBe(true);
  });

  it('"Try now" probes at once, drops the scheduled try, and answers the state after it', async () => {
    const watch = monitor({ random: () => 0.999, backoff: { baseMs: 20_000, maxMs: 30_000 } });
    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    expect(watch.state().retryAt).toBe(Date.now() + 19_980);

    probe.mockResolvedValue(undefined);
    await expect(watch.retryNow()).resolves.toEqual({ online: true, retryAt: null });
    expect(probe).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe).toHaveBeenCalledTimes(1);
  });

  it('"Try now" that fails schedules the next try; two at once share one probe', async () => {
    const watch = monitor();
    let finish: (() => void) | undefined;
    probe.mockImplementation(
      () =>
        new Promise<void>((_, reject) => {
          finish = () => reject(unreachable());
        }),
    );
    const first = watch.retryNow();
    const second = watch.retryNow();
    expect(probe).toHaveBeenCalledTimes(1);
    finish!();
    const states = await Promise.all([first, second]);
    expect(states[0]).toEqual({ online: false, retryAt: Date.now() + 500 });
    expect(states[1]).toEqual(states[0]);
  });

  it('counts a probe answered with a refusal as reachable', async () => {
    const watch = monitor();
    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    probe.mockRejectedValue(forbidden());
    await vi.advanceTimersByTimeAsync(500);
    expect(watch.state()).toEqual({ online: true, retryAt: null });
  });

  it('stops probing after stop()', async () => {
    const watch = monitor();
    await watch.observe(() => Promise.reject(unreachable())).catch(() => {});
    watch.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(probe).not.toHaveBeenCalled();
  });
});

describe('observed', () => {
  class Service {
    readonly name = 'messages';
    #calls = 0;
    constructor(private readonly reachable: () => boolean) {}
    async send(text: string): Promise<string> {
      this.#calls++;
      if (!this.reachable()) throw unreachable();
      return `${text} #${this.#calls}`;
    }
  }

  it('runs every call through the monitor, with the service as `this`', async () => {
    let reachable = true;
    const watch = monitor();
    const service = observed(new Service(() => reachable), watch);
    expect(service.name).toBe('messages');
    await expect(service.send('hi')).resolves.toBe('hi #1');

    reachable = false;
    await expect(service.send('hi')).rejects.toMatchObject({ code: 'Unavailable' });
    expect(watch.state().online).toBe(false);

    reachable = true;
    await expect(service.send('back')).resolves.toBe('back #3');
    expect(watch.state().online).toBe(true);
    expect(published.map((state) => state.online)).toEqual([false, true]);
  });

  it('takes the message service, and refuses (by type) an object with a function that is not async', () => {
    expectTypeOf(observed<MessageService>).returns.toEqualTypeOf<MessageService>();
    // @ts-expect-error now() answers a number, not a promise: observed would make it one.
    expectTypeOf(observed<{ now(): number }>).toBeFunction();
  });
});
