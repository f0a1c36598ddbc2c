import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { useThreadsStore } from '../../renderer/src/store/threads';
import { fail, ok } from '../../shared/result';
import { group, installFakeApi, ME, message, page, SESSION } from './support/fake-api';

async function openConversation() {
  const row = await screen.findByRole('button', { name: /Andrew Bayko/ });
  fireEvent.click(row);
  return screen.findByRole('log', { name: 'Messages' });
}

describe('the messenger', () => {
  it('shows message text as text, never as markup', async () => {
    installFakeApi({
      getSession: async () => ok(ME),
      listMessages: async () => ok(page([message({ message: '<img src=x onerror=alert(1)><b>bold?</b>' })])),
    });
    const { container } = render(<App />);
    const log = await openConversation();
    expect(await within(log).findByText('<img src=x onerror=alert(1)><b>bold?</b>')).toBeTruthy();
    expect(container.querySelector('.bubble img, .bubble b')).toBeNull();
  });

  it('sends with Enter, keeps Shift+Enter as a new line, and shows the sent message', async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME) });
    render(<App />);
    await openConversation();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'line one' } });
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(fake.api.sendMessage).not.toHaveBeenCalled();
    fireEvent.change(box, { target: { value: 'line one\nline two' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(fake.api.sendMessage).toHaveBeenCalledWith(
      expect.objectContaining({ groupUuid: group().message_group_uuid, text: 'line one\nline two' }),
    );
    expect(
      await screen.findByText((_, el) => el?.textContent === 'line one\nline two' && el.tagName === 'P'),
    ).toBeTruthy();
    expect((box as HTMLTextAreaElement).value).toBe('');
  });

  it("applies the service's rule to a draft: only invisible characters is empty", async () => {
    const fake = installFakeApi({ getSession: async () => ok(ME) });
    render(<App />);
    await openConversation();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: '\u200b\u2060 \u200d' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect(fake.api.sendMessage).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('refuses to send more than 1,024 characters and counts emoji as one', async () => {
    installFakeApi({ getSession: async () => ok(ME) });
    render(<App />);
    await openConversation();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: '😀'.repeat(1_024) } });
    expect(screen.getByText('1024/1024')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(false);
    fireEvent.change(box, { target: { value: '😀'.repeat(1_025) } });
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('keeps a failed message with Retry, which resends the same message uuid', async () => {
    const sendMessage = vi
      .fn()
      .mockResolvedValueOnce(fail('Unavailable', 'DynamoDB cannot be reached.'))
      .mockImplementation(async (input: { messageUuid: string; text: string }) =>
        ok(message({ message_uuid: input.messageUuid, message: input.text, user_uuid: ME.uuid })),
      );
    installFakeApi({ getSession: async () => ok(ME), sendMessage });
    render(<App />);
    await openConversation();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'are you there?' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    expect((await screen.findByRole('alert')).textContent).toContain('Not sent: DynamoDB cannot be reached.');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    const [first, second] = sendMessage.mock.calls.map(
      (call) => (call[0] as { messageUuid: string }).messageUuid,
    );
    expect(second).toBe(first);
  });

  it('removes a retried message by the uuid it was sent with when the stored copy has a new one', async () => {
    // The main process's outbox sends a message whose uuid expired under a new one and answers
    // the stored copy: the renderer renews nothing itself.
    const renewed = '0193a000-0000-7000-8000-0000000000cc';
    const sendMessage = vi
      .fn()
      .mockResolvedValueOnce(fail('Unavailable', 'DynamoDB cannot be reached.'))
      .mockImplementation(async (input: { text: string }) =>
        ok(message({ message_uuid: renewed, message: input.text, user_uuid: ME.uuid })),
      );
    installFakeApi({ getSession: async () => ok(ME), sendMessage });
    render(<App />);
    const log = await openConversation();
    const box = screen.getByRole('textbox', { name: 'Message' });
    fireEvent.change(box, { target: { value: 'still there?' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await screen.findByRole('alert');
    fireEvent.click(screen.getByRole('button', { name: 'Retry' }));
    await vi.waitFor(() => expect(screen.queryByRole('alert')).toBeNull());
    const uuids = sendMessage.mock.calls.map((call) => (call[0] as { messageUuid: string }).messageUuid);
    expect(uuids).toHaveLength(2);
    expect(uuids[1]).toBe(uuids[0]);
    expect(within(log).getAllByText('still there?')).toHaveLength(1);
    expect(useThreadsStore.getState().threads[group().message_group_uuid]!.pending).toEqual([]);
  });

  it('shows pushed messages and moves a conversation with a new reply to the top', async () => {
    const other = group({
      message_group_uuid: '44444444-4444-4444-8444-444444444444',
      display_name: 'Londo Mollari',
      handle: 'londo',
      last_reply_at: '2026-10-01T10:00:00.000Z',
    });
    const fake = installFakeApi({
      getSession: async () => ok(ME),
      listConversations: async () => ok(page([group(), other])),
    });
    render(<App />);
    const log = await openConversation();
    act(() =>
      fake.emit('messages.new', {
        session: SESSION,
        groupUuid: group().message_group_uuid,
        messages: [
          message({
            message_uuid: '0193a000-0000-7000-8000-000000000009',
            message: 'pushed!',
            created_at: '2026-11-21T09:00:00.000Z',
          }),
        ],
      }),
    );
    expect(await within(log).findByText('pushed!')).toBeTruthy();
    act(() =>
      fake.emit('conversations.changed', {
        session: SESSION,
        conversations: [{ ...other, message: 'new from Londo', last_reply_at: '2026-11-22T09:00:00.000Z' }],
      }),
    );
    const rows = screen.getAllByRole('listitem');
    expect(rows[0]!.textContent).toContain('new from Londo');
  });
});
