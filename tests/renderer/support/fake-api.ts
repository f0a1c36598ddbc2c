import { vi } from 'vitest';
import type { Api, EventMap, EventName } from '../../../shared/contract';
import { ok } from '../../../shared/result';

/**
 * A window.api for component tests: every operation is a vi.fn the test can program, and emit()
 * pushes an event the way the main process would.
 */
export function installFakeApi(overrides: Partial<Api> = {}) {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const api = {
    getAppInfo: vi.fn(async () =>
      ok({ name: 'Cruddur', version: '1.2.3', target: 'local' as const, region: 'us-east-1' }),
    ),
    on: vi.fn(<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    }),
    ...overrides,
  } as unknown as Api;
  window.api = api;
  return {
    api,
    emit<E extends EventName>(event: E, payload: EventMap[E]) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: EventMap[E]) => void)(payload);
    },
    listenerCount: (event: EventName) => listeners.get(event)?.size ?? 0,
  };
}
