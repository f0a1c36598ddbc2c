import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { useAppStore } from '../../renderer/src/store/app';
import { useThreadsStore } from '../../renderer/src/store/threads';
import { createApi, type IpcRendererLike } from '../../electron/preload/api';
import {
  eventChannel,
  invokeChannel,
  operationNames,
  type EventMap,
  type EventName,
  type OperationName,
} from '../../shared/contract';
import type { Connectivity, OutboxEntryView } from '../../shared/messages';
import { SEND_QUEUED } from '../../shared/message-text';
import { fail, ok, type Result } from '../../shared/result';
import { group, installFakeApi, ME, message, page, SESSION } from './support/fake-api';

const GROUP = group().message_group_uuid;
const OTHER = group({
  message_group_uuid: '44444444-4444-4444-8444-444444444444',
  display_name: 'Londo Mollari',
  handle: 'londo',
  last_reply_at: '2026-10-01T10:00:00.000Z',
});
const OFFLINE_TEXT = 'Offline: messages will be sent when the connection is back';
const queued = () =>
  fail('Unavailable', 'DynamoDB cannot be reached; the message will be sent later.', SEND_QUEUED);

beforeEach(() => useAppStore.getState().resetView());

/** An answer the test hands over when it chooses: a slow main process. */
function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

async function openConversation(name = /Andrew Bayko/) {
  fireEvent.click(await screen.findByRole('button', { name }));
  return screen.findByRole('log', { name: 'Messages' });
}

function typeAndSend(text: string) {
  const box = screen.getByRole('textbox', { name: 'Message' });
  fireEvent.change(box, { target: { value: text } });
  fireEvent.keyDown(box, { key: 'Enter' });
}

const sentUuid = (fake: ReturnType<typeof installFakeApi>, call = 0) =>
  fake.api.sendMessage.mock.calls[call]![0].messageUuid;

const mine = (text: string, uuid: string) =>
  message({
    message_uuid: uuid,
    message: text,
    user_uuid: ME.uuid,
    handle: ME.handle,
    display_name: ME.display_name,
    created_at: '2026-11-21T09:00:00.000Z',
  });

/**
 * window.api built by the real preload (electron/preload/api.ts) over an in-memory ipcRenderer
 * whose invokes the fake operations answer: pushes reach the page only as the preload lets them.
 */
function throughPreload(fake: ReturnType<typeof installFakeApi>) {
  const names = new Map(operationNames.map((name) => [invokeChannel(name), name]));
  const listeners = new Map<string, Set<(event: unknown, payload: unknown) => void>>();
  const ipc: IpcRendererLike = {
    invoke: (channel, payload) => {
      const name = names.get(channel) as OperationName;
      return (fake.api[name] as (input: unknown) => Promise<unknown>)(payload);
    },
    on: (channel, listener) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
    },
    removeListener: (channel, listener) => listeners.get(channel)?.delete(listener),
  };
  window.api = createApi(ipc);
  return <E extends EventName>(event: E, payload: EventMap[E]) =>
    act(() => {
      for (const listener of listeners.get(eventChannel(event)) ?? []) listener({}, payload);
    });
}

describe('the offline banner', () => {
  it('appears when the connection goes and goes when it is back', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME) });
    render(<App />);
    await screen.findByRole('navigation', { name: 'Conversations' });
    await vi.waitFor(() => expect(fake.api.getConnectivity).toHaveBeenCalled());
    expect(screen.queryByText(OFFLINE_TEXT)).toBeNull();

    act(() => fake.emit('connectivity.changed', { online: false, retryAt: Date.now() + 10_000 }));
    const banner = screen.getByText(OFFLINE_TEXT).closest('[role="status"]') as HTMLElement;
    expect(banner.getAttribute('aria-live')).toBe('polite');
    expect(within(banner).getByText(/^Next try in (9|10) s$/)).toBeTruthy();
    expect(within(banner).getByRole('button', { name: 'Try now' })).toBeTruthy();

    act(() => fake.emit('connectivity.changed', { online: true, retryAt: null }));
    expect(screen.queryByText(OFFLINE_TEXT)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try now' })).toBeNull();
  });

  it('shows at sign-in when the main process is offline already; Try now asks it, once at a time', async () => {
    const answer = later<Result<Connectivity>>();
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      getConnectivity: async () => ok({ online: false, retryAt: null }),
      retryNow: () => answer.promise,
    });
    render(<App />);
    const button = await screen.findByRole('button', { name: 'Try now' });
    expect(screen.getByText(OFFLINE_TEXT)).toBeTruthy();

    fireEvent.click(button);
    expect(fake.api.retryNow).toHaveBeenCalledTimes(1);
    expect(button.getAttribute('aria-disabled')).toBe('true');
    fireEvent.click(button);
    expect(fake.api.retryNow).toHaveBeenCalledTimes(1);

    await act(async () => answer.resolve(ok({ online: true, retryAt: null })));
    expect(screen.queryByText(OFFLINE_TEXT)).toBeNull();
  });

  it('keeps the banner when Try now finds the connection still down, and lets it be tried again', async () => {
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      getConnectivity: async () => ok({ online: false, retryAt: null }),
      retryNow: async () => ok({ online: false, retryAt: null }),
    });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Try now' }));
    await vi.waitFor(() =>
      expect(screen.getByRole('button', { name: 'Try now' }).getAttribute('aria-disabled')).toBe('false'),
    );
    expect(screen.getByText(OFFLINE_TEXT)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Try now' }));
    expect(fake.api.retryNow).toHaveBeenCalledTimes(2);
  });

  it('does not let a late first answer undo a push that came after it was asked', async () => {
    const first = later<Result<Connectivity>>();
    const fake = installFakeApi({ getSession: async () => ok(ME), getConnectivity: () => first.promise });
    render(<App />);
    await vi.waitFor(() => expect(fake.api.getConnectivity).toHaveBeenCalled());
    act(() => fake.emit('connectivity.changed', { online: false, retryAt: null }));
    await act(async () => first.resolve(ok({ online: true, retryAt: null })));
    expect(screen.getByText(OFFLINE_TEXT)).toBeTruthy();
  });
});

describe('a send while offline', () => {
  it('waits for the connection, then the stored message replaces it: one copy', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME), sendMessage: async () => queued() });
    render(<App />);
    const log = await openConversation();
    typeAndSend('sent on the train');
    expect(await within(log).findByText('Waiting for connection')).toBeTruthy();
    expect(within(log).queryByRole('alert')).toBeNull();
    expect(within(log).queryByRole('button', { name: 'Retry' })).toBeNull();

    // The outbox renewed the expired uuid: the stored copy carries a new one.
    const stored = mine('sent on the train', '0193a000-0000-7000-8000-0000000000aa');
    act(() =>
      fake.emit('outbox.settled', {
        session: SESSION,
        groupUuid: GROUP,
        messageUuid: sentUuid(fake),
        outcome: { ok: true, value: stored },
      }),
    );
    await vi.waitFor(() => expect(within(log).queryByText('Waiting for connection')).toBeNull());
    expect(within(log).getAllByText('sent on the train')).toHaveLength(1);
    expect(useThreadsStore.getState().threads[GROUP]!.pending).toEqual([]);
    expect(useThreadsStore.getState().threads[GROUP]!.messages.at(-1)).toEqual(stored);
  });

  it('shows a message the outbox gave up on as failed, with why, and Retry resends it', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME), sendMessage: async () => queued() });
    render(<App />);
    const log = await openConversation();
    typeAndSend('are you there?');
    await within(log).findByText('Waiting for connection');
    act(() =>
      fake.emit('outbox.settled', {
        session: SESSION,
        groupUuid: GROUP,
        messageUuid: sentUuid(fake),
        outcome: { ok: false, error: { code: 'Forbidden', message: 'You are not in this conversation.' } },
      }),
    );
    expect((await within(log).findByRole('alert')).textContent).toContain(
      'Not sent: You are not in this conversation.',
    );
    expect(within(log).queryByText('Waiting for connection')).toBeNull();

    fake.api.sendMessage.mockImplementation(async (input) => ok(mine(input.text, input.messageUuid)));
    fireEvent.click(within(log).getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(within(log).queryByRole('alert')).toBeNull());
    expect(sentUuid(fake, 1)).toBe(sentUuid(fake, 0));
    expect(within(log).getAllByText('are you there?')).toHaveLength(1);
  });

  it('is not put back as waiting by a queued answer that arrives after it settled', async () => {
    const answer = later<Result<never>>();
    const fake = installFakeApi({ getSession: async () => ok(ME), sendMessage: () => answer.promise });
    render(<App />);
    const log = await openConversation();
    typeAndSend('quick one');
    await vi.waitFor(() => expect(fake.api.sendMessage).toHaveBeenCalled());
    act(() =>
      fake.emit('outbox.settled', {
        session: SESSION,
        groupUuid: GROUP,
        messageUuid: sentUuid(fake),
        outcome: { ok: false, error: { code: 'Invalid', message: 'The message was refused.' } },
      }),
    );
    await act(async () => answer.resolve(queued()));
    expect(within(log).queryByText('Waiting for connection')).toBeNull();
    expect((await within(log).findByRole('alert')).textContent).toContain(
      'Not sent: The message was refused.',
    );
  });

  it("ignores an 'outbox.settled' of another sign-in (the preload drops it)", async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME), sendMessage: async () => queued() });
    const push = throughPreload(fake);
    render(<App />);
    push('session.changed', { profile: ME, session: SESSION });
    const log = await openConversation();
    typeAndSend('for this sign-in');
    await within(log).findByText('Waiting for connection');
    const settled = (session: string) => ({
      session,
      groupUuid: GROUP,
      messageUuid: sentUuid(fake),
      outcome: { ok: true as const, value: mine('for this sign-in', sentUuid(fake)) },
    });

    push('outbox.settled', settled('an-earlier-session'));
    expect(within(log).getByText('Waiting for connection')).toBeTruthy();

    push('outbox.settled', settled(SESSION));
    await vi.waitFor(() => expect(within(log).queryByText('Waiting for connection')).toBeNull());
  });
});

describe('the outbox at sign-in', () => {
  const entries: OutboxEntryView[] = [
    {
      groupUuid: GROUP,
      messageUuid: '0193a000-0000-7000-8000-0000000000b1',
      text: 'written last night',
      created_at: '2026-11-20T22:00:00.000Z',
    },
    {
      groupUuid: OTHER.message_group_uuid,
      messageUuid: '0193a000-0000-7000-8000-0000000000b2',
      text: 'for Londo, offline',
      created_at: '2026-11-20T22:01:00.000Z',
    },
  ];

  it('shows what still waits in the outbox in its conversations', async () => {
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      listConversations: async () => ok(page([group(), OTHER])),
      getOutbox: async () => ok(entries),
    });
    render(<App />);
    await vi.waitFor(() => expect(fake.api.getOutbox).toHaveBeenCalled());
    let log = await openConversation();
    expect(await within(log).findByText('written last night')).toBeTruthy();
    expect(within(log).getByText('Waiting for connection')).toBeTruthy();
    expect(within(log).queryByText('for Londo, offline')).toBeNull();

    log = await openConversation(/Londo Mollari/);
    expect(await within(log).findByText('for Londo, offline')).toBeTruthy();
    expect(within(log).getByText('Waiting for connection')).toBeTruthy();
  });

  it('adds no second copy of a message already shown as pending', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME), sendMessage: async () => queued() });
    render(<App />);
    const log = await openConversation();
    typeAndSend('only once');
    await within(log).findByText('Waiting for connection');
    fake.api.getOutbox.mockResolvedValue(
      ok([
        {
          groupUuid: GROUP,
          messageUuid: sentUuid(fake),
          text: 'only once',
          created_at: new Date().toISOString(),
        },
      ]),
    );
    await act(() => useThreadsStore.getState().loadOutbox());
    expect(within(log).getAllByText('only once')).toHaveLength(1);
    expect(useThreadsStore.getState().threads[GROUP]!.pending).toHaveLength(1);
  });
});

describe('conversations I may no longer read', () => {
  it('go from the list and the threads, and an open one closes', async () => {
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      listConversations: async () => ok(page([group(), OTHER])),
      listMessages: async () => ok(page([message({ message: 'secret plans' })])),
    });
    render(<App />);
    const log = await openConversation();
    await within(log).findByText('secret plans');

    act(() => fake.emit('conversations.removed', { session: SESSION, groupUuids: [GROUP] }));

    expect(screen.queryByRole('button', { name: /Andrew Bayko/ })).toBeNull();
    expect(screen.getByRole('button', { name: /Londo Mollari/ })).toBeTruthy();
    expect(screen.queryByText('secret plans')).toBeNull();
    expect(screen.getByText('Select a conversation to read it.')).toBeTruthy();
    expect(useThreadsStore.getState().threads[GROUP]).toBeUndefined();
    expect(fake.api.watchConversation).toHaveBeenLastCalledWith({ groupUuid: null });
  });

  it('leaves the open conversation open when another one goes', async () => {
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      listConversations: async () => ok(page([group(), OTHER])),
    });
    render(<App />);
    const log = await openConversation();
    act(() =>
      fake.emit('conversations.removed', { session: SESSION, groupUuids: [OTHER.message_group_uuid] }),
    );
    expect(screen.queryByRole('button', { name: /Londo Mollari/ })).toBeNull();
    expect(log.isConnected).toBe(true);
    expect(screen.getByRole('heading', { name: 'Andrew Bayko' })).toBeTruthy();
  });
});

describe('the conversation I had open last', () => {
  it('opens after the list loads, read and watched as a click would', async () => {
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      listConversations: async () => ok(page([group(), OTHER])),
      listMessages: async () => ok(page([message({ message: 'where we left off' })])),
      getLastConversation: async () => ok(OTHER.message_group_uuid),
    });
    render(<App />);
    const log = await screen.findByRole('log', { name: 'Messages' });
    expect(await within(log).findByText('where we left off')).toBeTruthy();
    expect(screen.getByRole('heading', { name: 'Londo Mollari' })).toBeTruthy();
    expect(fake.api.watchConversation).toHaveBeenCalledWith({ groupUuid: OTHER.message_group_uuid });
    expect(fake.api.listMessages).toHaveBeenCalledWith({ groupUuid: OTHER.message_group_uuid });
    // Asked only once the list was there.
    expect(fake.api.getLastConversation.mock.invocationCallOrder[0]).toBeGreaterThan(
      fake.api.listConversations.mock.invocationCallOrder[0]!,
    );
  });

  it('leaves alone a conversation picked while it was being asked', async () => {
    const last = later<Result<string | null>>();
    installFakeApi({
      getSession: async () => ok(ME),
      listConversations: async () => ok(page([group(), OTHER])),
      getLastConversation: () => last.promise,
    });
    render(<App />);
    await openConversation(/Andrew Bayko/);
    await act(async () => last.resolve(ok(OTHER.message_group_uuid)));
    expect(screen.getByRole('heading', { name: 'Andrew Bayko' })).toBeTruthy();
  });

  it('opens nothing for a conversation that is not in the list', async () => {
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      getLastConversation: async () => ok('99999999-9999-4999-8999-999999999999'),
    });
    render(<App />);
    await vi.waitFor(() => expect(fake.api.getLastConversation).toHaveBeenCalled());
    await act(() => Promise.resolve());
    expect(screen.getByText('Select a conversation to read it.')).toBeTruthy();
    expect(fake.api.watchConversation).not.toHaveBeenCalled();
  });
});

describe('signing out', () => {
  it('signs out at once when nothing waits to be sent', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME) });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await vi.waitFor(() => expect(fake.api.signOut).toHaveBeenCalledTimes(1));
    expect(await screen.findByRole('heading', { name: 'Sign in to Cruddur' })).toBeTruthy();
  });

  it('asks first when messages wait in the outbox; Cancel keeps everything', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME), sendMessage: async () => queued() });
    render(<App />);
    const log = await openConversation();
    typeAndSend('one');
    await within(log).findByText('Waiting for connection');
    typeAndSend('two');
    await vi.waitFor(() => expect(within(log).getAllByText('Waiting for connection')).toHaveLength(2));

    const signOut = screen.getByRole('button', { name: 'Sign out' });
    signOut.focus();
    fireEvent.click(signOut);
    const dialog = screen.getByRole('dialog', { name: 'Sign out?' });
    expect(
      within(dialog).getByText('2 messages have not been sent yet and will be deleted. Sign out anyway?'),
    ).toBeTruthy();
    expect(document.activeElement).toBe(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(fake.api.signOut).not.toHaveBeenCalled();

    fireEvent.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(document.activeElement).toBe(signOut);
    expect(fake.api.signOut).not.toHaveBeenCalled();
    expect(within(log).getAllByText('Waiting for connection')).toHaveLength(2);

    fireEvent.click(signOut);
    fireEvent.click(
      within(screen.getByRole('dialog', { name: 'Sign out?' })).getByRole('button', { name: 'Sign out' }),
    );
    expect(await screen.findByRole('heading', { name: 'Sign in to Cruddur' })).toBeTruthy();
    expect(fake.api.signOut).toHaveBeenCalledTimes(1);
    expect(screen.queryByRole('dialog')).toBeNull();
  });
});
