import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { useThreadsStore } from '../../renderer/src/store/threads';
import type { Profile } from '../../shared/auth';
import type { ConversationView, MessageView, Page } from '../../shared/messages';
import { ok, type Result } from '../../shared/result';
import { group, installFakeApi, ME, message, page } from './support/fake-api';

const LONDO: Profile = {
  uuid: '55555555-5555-4555-8555-555555555555',
  handle: 'londo',
  display_name: 'Londo Mollari',
  email: 'londo@cruddur.test',
};
const LONDOS = group({
  message_group_uuid: '66666666-6666-4666-8666-666666666666',
  handle: 'vir',
  display_name: 'Vir Cotto',
  message: 'for Londo',
});
const ANDREWS_TEXT = 'for Andrew only';

/** An answer the test hands over when it chooses: a slow main process. */
function later<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

async function openAndrewsConversation() {
  fireEvent.click(await screen.findByRole('button', { name: /Andrew Bayko/ }));
  return screen.findByRole('log', { name: 'Messages' });
}

/** Londo signs in; his list answers with his one conversation. */
function londoSignsIn(fake: ReturnType<typeof installFakeApi>) {
  fake.api.listConversations.mockImplementation(async () => ok(page([LONDOS])));
  act(() => fake.emit('session.changed', { profile: LONDO, session: 'londo-session' }));
}

describe('a change of who is signed in', () => {
  it('shows the next person only their own conversations when they sign in over the last one', async () => {
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      listMessages: async () => ok(page([message({ message: ANDREWS_TEXT })])),
    });
    render(<App />);
    await within(await openAndrewsConversation()).findByText(ANDREWS_TEXT);

    londoSignsIn(fake);

    expect(await screen.findByRole('button', { name: /Vir Cotto/ })).toBeTruthy();
    expect(screen.getByText('@londo')).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Andrew Bayko/ })).toBeNull();
    expect(screen.queryByText(ANDREWS_TEXT)).toBeNull();
    expect(useThreadsStore.getState().threads).toEqual({});
  });

  it('never shows the list the person before asked for when it answers after the next signed in', async () => {
    const andrews = later<Result<Page<ConversationView>>>();
    const fake = installFakeApi({ getSession: async () => ok(ME), listConversations: () => andrews.promise });
    render(<App />);
    await vi.waitFor(() => expect(fake.api.listConversations).toHaveBeenCalledTimes(1));
    act(() => fake.emit('session.changed', { profile: null, session: null }));
    await screen.findByRole('heading', { name: 'Sign in to Cruddur' });
    londoSignsIn(fake);
    await screen.findByRole('button', { name: /Vir Cotto/ });

    await act(async () => andrews.resolve(ok(page([group()]))));

    expect(screen.queryByRole('button', { name: /Andrew Bayko/ })).toBeNull();
    expect(screen.getAllByRole('listitem')).toHaveLength(1);
  });

  it('keeps nothing of the messages the person before asked for when they answer late', async () => {
    const read = later<Result<Page<MessageView>>>();
    const fake = installFakeApi({ getSession: async () => ok(ME), listMessages: () => read.promise });
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Andrew Bayko/ }));
    await vi.waitFor(() => expect(fake.api.listMessages).toHaveBeenCalledTimes(1));

    londoSignsIn(fake);
    await screen.findByRole('button', { name: /Vir Cotto/ });
    await act(async () => read.resolve(ok(page([message({ message: ANDREWS_TEXT })]))));

    expect(JSON.stringify(useThreadsStore.getState().threads)).not.toContain(ANDREWS_TEXT);
  });

  it('keeps nothing of a message the person before sent when the send answers late', async () => {
    const sent = later<Result<MessageView>>();
    const fake = installFakeApi({ getSession: async () => ok(ME), sendMessage: () => sent.promise });
    render(<App />);
    await openAndrewsConversation();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: ANDREWS_TEXT } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await vi.waitFor(() => expect(fake.api.sendMessage).toHaveBeenCalledTimes(1));

    londoSignsIn(fake);
    await screen.findByRole('button', { name: /Vir Cotto/ });
    await act(async () => sent.resolve(ok(message({ message: ANDREWS_TEXT }))));

    expect(JSON.stringify(useThreadsStore.getState().threads)).not.toContain(ANDREWS_TEXT);
  });
});
