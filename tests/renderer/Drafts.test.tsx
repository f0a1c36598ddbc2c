import { act, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { App } from '../../renderer/src/App';
import { ok, type Result } from '../../shared/result';
import { group, installFakeApi, ME, page } from './support/fake-api';

const other = group({
  message_group_uuid: '44444444-4444-4444-8444-444444444444',
  display_name: 'Londo Mollari',
  handle: 'londo',
  last_reply_at: '2026-10-01T10:00:00.000Z',
});

/** A main process that keeps drafts as the real one does: per conversation, '' forgets. */
function withDraftStore(initial: Record<string, string> = {}) {
  const drafts = new Map(Object.entries(initial));
  return installFakeApi({
    getSession: async () => ok(ME),
    listConversations: async () => ok(page([group(), other])),
    getDraft: async ({ groupUuid }) => ok(drafts.get(groupUuid) ?? ''),
    saveDraft: async ({ groupUuid, text }) => {
      if (text) drafts.set(groupUuid, text);
      else drafts.delete(groupUuid);
      return ok(null);
    },
  });
}

const pass = (ms = 0) => act(() => vi.advanceTimersByTimeAsync(ms));
const box = () => screen.getByRole('textbox', { name: 'Message' }) as HTMLTextAreaElement;

async function open(name: RegExp) {
  fireEvent.click(screen.getByRole('button', { name }));
  await pass();
}

afterEach(() => {
  vi.useRealTimers();
});

describe('drafts', () => {
  it('loads the draft of the conversation that opens', async () => {
    vi.useFakeTimers();
    withDraftStore({ [group().message_group_uuid]: 'half a thought' });
    render(<App />);
    await pass();
    await open(/Andrew Bayko/);
    expect(box().value).toBe('half a thought');
  });

  it('does not overwrite what was typed before the draft arrived', async () => {
    vi.useFakeTimers();
    let answer: (value: Result<string>) => void = () => undefined;
    const fake = withDraftStore();
    fake.api.getDraft.mockImplementation(() => new Promise((resolve) => (answer = resolve)));
    render(<App />);
    await pass();
    await open(/Andrew Bayko/);
    fireEvent.change(box(), { target: { value: 'typed first' } });
    await act(async () => answer(ok('old draft')));
    expect(box().value).toBe('typed first');
  });

  it('saves once typing pauses, not on every key', async () => {
    vi.useFakeTimers();
    const fake = withDraftStore();
    render(<App />);
    await pass();
    await open(/Andrew Bayko/);
    for (const value of ['h', 'he', 'hel', 'hello']) {
      fireEvent.change(box(), { target: { value } });
      await pass(100);
    }
    expect(fake.api.saveDraft).not.toHaveBeenCalled();
    await pass(400);
    expect(fake.api.saveDraft).toHaveBeenCalledTimes(1);
    expect(fake.api.saveDraft).toHaveBeenCalledWith({ groupUuid: group().message_group_uuid, text: 'hello' });
  });

  it('keeps a draft across a switch to another conversation and back', async () => {
    vi.useFakeTimers();
    const fake = withDraftStore();
    render(<App />);
    await pass();
    await open(/Andrew Bayko/);
    fireEvent.change(box(), { target: { value: 'for bayko' } });
    await open(/Londo Mollari/);
    // Saved at once on leaving, not after the pause.
    expect(fake.api.saveDraft).toHaveBeenCalledWith({
      groupUuid: group().message_group_uuid,
      text: 'for bayko',
    });
    expect(box().value).toBe('');
    await open(/Andrew Bayko/);
    expect(box().value).toBe('for bayko');
  });

  it('clears the box on send and drops the pending save', async () => {
    vi.useFakeTimers();
    const fake = withDraftStore();
    render(<App />);
    await pass();
    await open(/Andrew Bayko/);
    fireEvent.change(box(), { target: { value: 'sent now' } });
    fireEvent.keyDown(box(), { key: 'Enter' });
    expect(box().value).toBe('');
    await pass(2_000);
    expect(fake.api.sendMessage).toHaveBeenCalledTimes(1);
    expect(fake.api.saveDraft).not.toHaveBeenCalled();
  });
});
