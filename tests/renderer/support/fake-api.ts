import { vi } from 'vitest';
import type { Profile } from '../../../shared/auth';
import type { Api, EventMap, EventName } from '../../../shared/contract';
import type { ConversationView, MessageView, Page } from '../../../shared/messages';
import { ok } from '../../../shared/result';

/**
 * A window.api for component tests: every operation is a vi.fn the test can program, and emit()
 * pushes an event the way the main process would.
 */
export const ME: Profile = {
  uuid: '11111111-1111-4111-8111-111111111111',
  handle: 'andrewbrown',
  display_name: 'Andrew Brown',
  email: 'andrewbrown@cruddur.test',
};

export const page = <T>(items: T[], cursor: string | null = null): Page<T> => ({
  items,
  cursor,
  consumed_capacity: 0,
});

export function group(overrides: Partial<ConversationView> = {}): ConversationView {
  return {
    message_group_uuid: '22222222-2222-4222-8222-222222222222',
    message: 'See you tomorrow',
    last_reply_at: '2026-11-20T10:00:00.000Z',
    user_uuid: '33333333-3333-4333-8333-333333333333',
    handle: 'bayko',
    display_name: 'Andrew Bayko',
    sk: 'GRP#2026-11-20T10:00:00.000Z#22222222-2222-4222-8222-222222222222',
    ...overrides,
  };
}

export function message(overrides: Partial<MessageView> = {}): MessageView {
  const created_at = overrides.created_at ?? '2026-11-20T10:00:00.000Z';
  const message_uuid = overrides.message_uuid ?? '0193a000-0000-7000-8000-000000000001';
  return {
    message_uuid,
    message: 'Hello',
    created_at,
    user_uuid: '33333333-3333-4333-8333-333333333333',
    handle: 'bayko',
    display_name: 'Andrew Bayko',
    sk: `MSG#${created_at}#${message_uuid}`,
    ...overrides,
  };
}

export function installFakeApi(overrides: Partial<Record<keyof Api, unknown>> = {}) {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  const api = {
    getAppInfo: vi.fn(async () =>
      ok({ name: 'Cruddur', version: '1.2.3', target: 'local' as const, region: 'us-east-1' }),
    ),
    getSession: vi.fn(async () => ok(null)),
    signIn: vi.fn(async () => ok(ME)),
    signOut: vi.fn(async () => ok(null)),
    listConversations: vi.fn(async () => ok(page([group()]))),
    listMessages: vi.fn(async () => ok(page([message()]))),
    sendMessage: vi.fn(async (input: { messageUuid: string; text: string }) =>
      ok(
        message({
          message_uuid: input.messageUuid,
          message: input.text,
          user_uuid: ME.uuid,
          handle: ME.handle,
          display_name: ME.display_name,
          created_at: new Date().toISOString(),
        }),
      ),
    ),
    watchConversation: vi.fn(async () => ok(null)),
    searchUsers: vi.fn(async () => ok([])),
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
