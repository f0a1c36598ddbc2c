import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { App } from '../../renderer/src/App';
import { ok } from '../../shared/result';
import { group, installFakeApi, ME, page } from './support/fake-api';
import { maxScroll, scrollTo, theirMessages, useMessageListLayout } from './support/layout';

useMessageListLayout();

const PAGE = 50;
const PAGES = 10;

/** A conversation of PAGES pages: the newest first, each older one behind its cursor. */
function installConversation() {
  const pageAt = (n: number) => theirMessages(PAGE, (PAGES - 1 - n) * PAGE + 1);
  const newest = pageAt(0);
  const fake = installFakeApi({
    getSession: async () => ok(ME),
    listConversations: async () => ok(page([group({ last_reply_at: newest[0]!.created_at })])),
    listMessages: async ({ cursor }) => {
      const n = cursor === undefined ? 0 : Number(cursor);
      return ok(page(pageAt(n), n + 1 < PAGES ? String(n + 1) : null));
    },
  });
  const olderReads = () => fake.api.listMessages.mock.calls.filter(([input]) => input.cursor).length;
  return { newest, olderReads };
}

const pause = (ms: number) => act(() => new Promise((resolve) => setTimeout(resolve, ms)));

describe('older pages', () => {
  it('reads one older page per scroll to the top, and the next one on the next scroll', async () => {
    const { newest, olderReads } = installConversation();
    render(<App />);
    fireEvent.click(await screen.findByRole('button', { name: /Andrew Bayko/ }));
    const log = await screen.findByRole('log', { name: 'Messages' });
    await within(log).findByText(newest[0]!.message);
    await expect.poll(() => log.scrollTop).toBe(maxScroll(log));
    expect(olderReads()).toBe(0);

    scrollTo(log, 0);
    // The page arrives above: the reader stays on what they saw, away from the top.
    await within(log).findByText(`message ${(PAGES - 1) * PAGE}`);
    await pause(300);
    expect(olderReads()).toBe(1);
    expect(log.scrollTop).toBeGreaterThan(20 * 40);

    scrollTo(log, 0);
    await within(log).findByText(`message ${(PAGES - 2) * PAGE}`);
    await pause(300);
    expect(olderReads()).toBe(2);
  });
});
