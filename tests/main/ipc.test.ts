import { describe, expect, it, vi } from 'vitest';
import type { Backend } from '../../electron/main/backend';
import { createHandlers } from '../../electron/main/handlers';
import { registerIpcHandlers, type Handlers } from '../../electron/main/ipc/register';
import { loadConfig } from '../../core/config';
import { invokeChannel, type OperationName } from '../../shared/contract';
import { newMessageUuid } from '../../shared/message-uuid';
import { AppError } from '../../shared/result';
import { captureLog } from '../support/log-capture';
import { RecordingIpcMain } from './support/fake-ipc';

const APP_PAGE = { senderFrame: { url: 'app://cruddur/index.html' } };
const trusted = (url: string) => url.startsWith('app://cruddur/');
/** A getAppInfo handler the test can ask whether it was reached. */
const appInfoSpy = () =>
  vi.fn(async () => ({ name: 'x', version: '0', target: 'local' as const, region: 'r' }));

function setup(overrides: Partial<Handlers> = {}) {
  const ipc = new RecordingIpcMain();
  const handlers: Handlers = {
    ...createHandlers({
      config: loadConfig({}),
      appVersion: '1.2.3',
      backend: () => {
        throw new AppError('Unavailable', 'no backend in this test');
      },
    }),
    ...overrides,
  };
  registerIpcHandlers(ipc, handlers, trusted);
  return ipc;
}

describe('IPC handlers', () => {
  it('answers a valid call with { ok: true, value }', async () => {
    const ipc = setup();
    const result = await ipc.invoke(invokeChannel('getAppInfo'), APP_PAGE, undefined);
    expect(result).toEqual({
      ok: true,
      value: { name: 'Cruddur', version: '1.2.3', target: 'local', region: 'us-east-1' },
    });
  });

  it('returns Invalid for a payload that fails its schema, without calling the handler', async () => {
    const getAppInfo = appInfoSpy();
    const ipc = setup({ getAppInfo });
    const result = await ipc.invoke(invokeChannel('getAppInfo'), APP_PAGE, { sneaky: true });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('Invalid');
    expect(getAppInfo).not.toHaveBeenCalled();
  });

  it('refuses a call from a frame that is not the app page', async () => {
    const log = captureLog();
    const getAppInfo = appInfoSpy();
    const ipc = setup({ getAppInfo });
    for (const event of [
      { senderFrame: { url: 'https://evil.example/' } },
      { senderFrame: { url: 'file:///tmp/index.html' } },
      { senderFrame: null },
      {},
    ]) {
      const result = await ipc.invoke(invokeChannel('getAppInfo'), event, undefined);
      expect(!result.ok && result.error.code).toBe('Forbidden');
    }
    expect(getAppInfo).not.toHaveBeenCalled();
    expect(log.entries.filter((entry) => entry.level === 'warn')).toHaveLength(4);
  });

  it('turns a handler that throws into Internal, with no detail leaked', async () => {
    const log = captureLog();
    const ipc = setup({
      getAppInfo: async () => {
        throw new Error('secret connection string postgres://admin:pw@db');
      },
    });
    const result = await ipc.invoke(invokeChannel('getAppInfo'), APP_PAGE, undefined);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe('Internal');
    expect(JSON.stringify(result)).not.toContain('postgres://');
    expect(log.text()).toContain('Internal');
    expect(log.text()).not.toContain(':pw@');
  });

  it('answers Unauthenticated for messaging while nobody is signed in', async () => {
    const ipc = new RecordingIpcMain();
    registerIpcHandlers(
      ipc,
      createHandlers({
        config: loadConfig({}),
        appVersion: '1',
        backend: () =>
          ({
            requireUser: async () => {
              throw new AppError('Unauthenticated', 'Sign in first.');
            },
          }) as unknown as Backend,
      }),
      trusted,
    );
    for (const [op, payload] of [
      ['listConversations', {}],
      ['listMessages', { groupUuid: '0d6f6c9e-1a39-4f51-9a4c-0a6b3f0e2f10' }],
      ['watchConversation', { groupUuid: null }],
    ] as const) {
      const result = await ipc.invoke(invokeChannel(op), APP_PAGE, payload);
      expect(!result.ok && result.error.code).toBe('Unauthenticated');
    }
  });

  it('keeps the code and reason of a typed error', async () => {
    const ipc = setup({
      getAppInfo: async () => {
        throw new AppError('Forbidden', 'Confirm first.', { reason: 'UserNotConfirmed' });
      },
    });
    const result = await ipc.invoke(invokeChannel('getAppInfo'), APP_PAGE, undefined);
    expect(result).toEqual({
      ok: false,
      error: { code: 'Forbidden', message: 'Confirm first.', reason: 'UserNotConfirmed' },
    });
  });

  it('keeps the code of a typed error', async () => {
    const ipc = setup({
      getAppInfo: async () => {
        throw new AppError('Unavailable', 'DynamoDB cannot be reached.');
      },
    });
    const result = await ipc.invoke(invokeChannel('getAppInfo'), APP_PAGE, undefined);
    expect(result).toEqual({
      ok: false,
      error: { code: 'Unavailable', message: 'DynamoDB cannot be reached.' },
    });
  });
});

describe('IPC payload size', () => {
  const HUGE = 'a'.repeat(20 * 1024 * 1024);
  // zod's .max() counts code points once a string is over, scanning every unit of this one.
  const EMOJI = '😀'.repeat(10 * 1024 * 1024);
  const groupUuid = '0d6f6c9e-1a39-4f51-9a4c-0a6b3f0e2f10';
  const account = { email: 'x@cruddur.test', handle: 'x', display_name: 'X', password: 'Pw-12345678!' };
  const cases: [OperationName, string, Record<string, unknown>][] = [
    ['sendMessage', 'a 20 MB text', { groupUuid, messageUuid: newMessageUuid(), text: HUGE }],
    ['sendMessage', 'a 20 MB groupUuid', { groupUuid: HUGE, messageUuid: newMessageUuid(), text: 'hi' }],
    ['startConversation', 'a 20 MB text', { handle: 'bayko', messageUuid: newMessageUuid(), text: HUGE }],
    [
      'startConversation',
      'a 20 MB handle',
      { handle: ` ${HUGE} `, messageUuid: newMessageUuid(), text: 'hi' },
    ],
    ['listMessages', 'a 20 MB cursor', { groupUuid, cursor: HUGE }],
    ['searchUsers', 'a 20 MB query', { query: HUGE }],
    ['signIn', 'a 20 MB handle', { handle: ` ${HUGE} `, password: 'x' }],
    ['signIn', 'a 20 MB password', { handle: 'x', password: HUGE }],
    ['signIn', 'a password of 20 MB of emoji', { handle: 'x', password: EMOJI }],
    ['listMessages', 'a cursor of 20 MB of emoji', { groupUuid, cursor: EMOJI }],
    ['signUp', 'a 20 MB email', { ...account, email: HUGE }],
    ['signUp', 'a 20 MB display name', { ...account, display_name: ` ${HUGE} ` }],
    ['confirmSignUp', 'a 20 MB code', { handle: 'x', code: ` ${HUGE} ` }],
    ['listConversations', 'a 20 MB key', { [HUGE]: 1 }],
    ['getAppInfo', 'a 20 MB key', { [HUGE]: 1 }],
  ];

  it.each(cases)('%s with %s is Invalid at once, and not echoed', async (operation, _field, payload) => {
    const ipc = setup();
    // zod compiles an object schema on its first parse: time the refusal, not that.
    await ipc.invoke(invokeChannel(operation), APP_PAGE, {});
    const started = performance.now();
    const result = await ipc.invoke(invokeChannel(operation), APP_PAGE, payload);
    expect(performance.now() - started).toBeLessThan(50);
    expect(!result.ok && result.error.code).toBe('Invalid');
    expect(JSON.stringify(result).length).toBeLessThan(500);
  });

  it('refuses an object with more keys than any operation takes, without naming them', async () => {
    const keys = Object.fromEntries(Array.from({ length: 1_000 }, (_, i) => [`field${i}`, i]));
    const result = await setup().invoke(invokeChannel('listConversations'), APP_PAGE, keys);
    expect(!result.ok && result.error.code).toBe('Invalid');
    expect(JSON.stringify(result)).not.toContain('field999');
  });
});
