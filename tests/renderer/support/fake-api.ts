import { vi, type Mock } from 'vitest';
import type { Profile } from '../../../shared/auth';
import {
  operationNames,
  type Api,
  type EventMap,
  type EventName,
  type OperationName,
} from '../../../shared/contract';
import type { ConversationView, MessageView, Page } from '../../../shared/messages';
import { fail, ok } from '../../../shared/result';
import { DEFAULT_SETTINGS } from '../../../shared/settings';
import { CONNECTION_FIELDS, type ConnectionView } from '../../../shared/connection';

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

/** The sign-in the main process announces for ME; pushes name it (the preload drops any other). */
export const SESSION = '0b6c1c1e-5a41-4c52-9d6f-3c1c7a2f0e01';

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
    unread_count: 0,
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

type Operations = Omit<Api, 'on'>;
/** Each operation a vi.fn, typed by the contract: a changed input or output breaks these tests. */
export type FakeApi = { [N in keyof Operations]: Operations[N] & Mock<Operations[N]> } & Pick<Api, 'on'>;

const defaults: Partial<Operations> = {
  getAppInfo: async () => ok({ name: 'Cruddur', version: '1.2.3', target: 'local', region: 'us-east-1' }),
  getSession: async () => ok(null),
  signIn: async () => ok(ME),
  signOut: async () => ok(null),
  listConversations: async () => ok(page([group()])),
  listMessages: async () => ok(page([message()])),
  sendMessage: async (input) =>
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
  watchConversation: async () => ok(null),
  searchUsers: async () => ok([]),
  markConversationRead: async () => ok({ unread_count: 0 }),
  // Online, nothing waiting, nothing open last: what a session on a working connection starts with.
  getOutbox: async () => ok([]),
  getLastConversation: async () => ok(null),
  getConnectivity: async () => ok({ online: true, retryAt: null }),
  retryNow: async () => ok({ online: true, retryAt: null }),
  getDraft: async () => ok(''),
  saveDraft: async () => ok(null),
  getSettings: async () => ok(DEFAULT_SETTINGS),
  updateSettings: async (patch) => ok({ ...DEFAULT_SETTINGS, ...patch }),
  openLink: async () => ok(null),
  // The local cloud's defaults, configured (a dev app): Settings does not open by itself.
  getConnection: async () => ok(LOCAL_CONNECTION),
};

const LOCAL_CONNECTION: ConnectionView = {
  target: 'local',
  region: 'us-east-1',
  tableName: 'cruddur-messages',
  userPoolId: 'local_pool',
  userPoolClientId: 'local-client',
  databaseHost: '127.0.0.1:5433/cruddur',
  databaseUrlSaved: false,
  passwordSaved: false,
  apiUrl: null,
  mode: 'direct',
  sources: Object.fromEntries(
    CONNECTION_FIELDS.map((field) => [field, 'default']),
  ) as ConnectionView['sources'],
  configured: true,
};

/** An operation a test did not program answers like a failing main process, never undefined. */
const unprogrammed = (name: OperationName) => async () =>
  fail('Internal', `window.api.${name} is not programmed in this test`);

export function installFakeApi(overrides: Partial<Operations> = {}) {
  const listeners = new Map<EventName, Set<(payload: never) => void>>();
  // fromEntries loses the per-name types; each value is a typed override or default above.
  const operations = Object.fromEntries(
    operationNames.map((name) => [name, vi.fn(overrides[name] ?? defaults[name] ?? unprogrammed(name))]),
  ) as unknown as Omit<FakeApi, 'on'>;
  const api: FakeApi = {
    ...operations,
    on: vi.fn(<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    }),
  };
  window.api = api;
  return {
    api,
    emit<E extends EventName>(event: E, payload: EventMap[E]) {
      for (const listener of listeners.get(event) ?? []) (listener as (p: EventMap[E]) => void)(payload);
    },
    listenerCount: (event: EventName) => listeners.get(event)?.size ?? 0,
  };
}
