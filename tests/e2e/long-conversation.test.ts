import { describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { conversationUuidFor } from '../../core/messages/conversation-id';
import { conversationItem, messageGroupItem, messageItem } from '../../core/messages/items';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { batchPut } from '../support/messages';
import { useOtherPeople } from './support/others';
import { useAppSession } from './support/session';
import { conversationRow, messageLog, signIn } from './support/ui';

/**
 * A conversation of 10,000 messages stays light: the list renders only what is near the
 * viewport, however far back the reader scrolls. garibaldi (no seeded conversation, signed in by
 * no other e2e file) talks with a new person; the messages go straight into DynamoDB Local, as
 * the seed writes them, so the test spends its time reading, not sending.
 */
const session = useAppSession();
const others = useOtherPeople();

const MESSAGES = 10_000;
const MAX_BUBBLES = 150;
/** Older pages read by scrolling to the top again and again. */
const PAGES_UP = 5;

/**
 * Writes the conversation: both group items first, already pointing at the newest message and
 * read by both (so Pattern E, seeing the messages arrive on the stream, has nothing to move),
 * then the conversation item and the messages, a second apart, ending a minute ago.
 */
async function seedLongConversation(me: Person, other: Person): Promise<string> {
  const groupUuid = conversationUuidFor(me.uuid, other.uuid);
  const end = Date.now() - 60_000;
  const messages = Array.from({ length: MESSAGES }, (_, i) => {
    const at = end - (MESSAGES - 1 - i) * 1_000;
    const sender = i % 3 === 0 ? me : other;
    return messageItem(
      groupUuid,
      sender,
      newMessageUuid(at),
      `Message ${i + 1} of ${MESSAGES}`,
      new Date(at).toISOString(),
    );
  });
  const last = messages.at(-1)!;
  const read = { last_read_sk: last.sk, unread_count: 0 };
  await batchPut(others.db, others.tableName, [
    messageGroupItem(groupUuid, me, other, last, read),
    messageGroupItem(groupUuid, other, me, last, read),
  ]);
  await batchPut(others.db, others.tableName, [
    conversationItem(groupUuid, [me.uuid, other.uuid], messages[0]!.created_at),
    ...messages,
  ]);
  return groupUuid;
}

/** The numbers of the messages rendered now ("Message 9,950 of 10,000" gives 9950). */
async function renderedNumbers(log: Locator): Promise<number[]> {
  const texts = await log.locator('.bubble__text').allTextContents();
  return texts.flatMap((text) => {
    const match = /^Message (\d+) of/.exec(text);
    return match ? [Number(match[1])] : [];
  });
}

describe('a conversation of 10,000 messages', () => {
  it(`keeps fewer than ${MAX_BUBBLES} message elements while scrolling back through it`, async () => {
    const { page } = session.app();
    const garibaldi = await others.seeded('garibaldi');
    const [chatty] = await others.fresh(`chatty${Date.now().toString(36)}`);
    await seedLongConversation(garibaldi, chatty!);

    await signIn(page, 'garibaldi');
    await conversationRow(page, chatty!.display_name).click();
    const log = messageLog(page);
    await log.getByText(`Message ${MESSAGES} of ${MESSAGES}`).waitFor();
    const bubbles = log.locator('.bubble');
    const counts = [await bubbles.count()];

    let oldest = Math.min(...(await renderedNumbers(log)));
    for (let round = 0; round < PAGES_UP; round++) {
      const before = oldest;
      await log.evaluate((el) => {
        el.scrollTop = 0;
      });
      // The older page arrives and the view keeps its place (the top row is no longer the oldest).
      await expect
        .poll(async () => Math.min(...(await renderedNumbers(log))), { timeout: 10_000 })
        .toBeLessThan(before);
      oldest = Math.min(...(await renderedNumbers(log)));
      counts.push(await bubbles.count());
      // Half way down what is loaded: still only what is near the viewport.
      await log.evaluate((el) => {
        el.scrollTop = el.scrollHeight / 2;
      });
      counts.push(await bubbles.count());
    }
    const olderPages = session
      .app()
      .calls.filter((c) => c.operation === 'listMessages' && (c.payload as { cursor?: unknown }).cursor);
    expect(olderPages.length).toBeGreaterThanOrEqual(PAGES_UP - 1);
    expect(oldest).toBeLessThan(MESSAGES - PAGES_UP * 20);
    expect(Math.max(...counts)).toBeLessThan(MAX_BUBBLES);
    expect(Math.min(...counts)).toBeGreaterThan(0);
    expect(session.app().errors).toEqual([]);
  }, 120_000);
});
