import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConversationPoller } from '../../electron/main/poller';
import { SessionMessages, type MessageSource } from '../../electron/main/session-messages';
import { UnreadTally } from '../../electron/main/unread-tally';
import type { ConversationView, PageOptions } from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { TestCipher } from '../support/test-cipher';

const me: Person = { uuid: randomUUID(), handle: 'me', display_name: 'Me' };

const entry = (minute: number): ConversationView => {
  const at = `2026-03-01T10:${String(minute).padStart(2, '0')}:00.000Z`;
  const group = randomUUID();
  return {
    message_group_uuid: group,
    message: `at ${minute}`,
    last_reply_at: at,
    user_uuid: randomUUID(),
    handle: `p${minute}`,
    display_name: `P ${minute}`,
    sk: `GRP#${at}#${group}`,
    unread_count: 0,
  };
};

/** The sign-in's reads over a stand-in service that lists `list` (newest first) and counts its reads. */
async function sessionOver(list: ConversationView[]) {
  const reads: PageOptions[] = [];
  const source = {
    listConversations: async (_: Person, options: PageOptions = {}) => {
      reads.push(options);
      const limit = options.limit ?? 50;
      return {
        items: list.slice(0, limit),
        cursor: list.length > limit ? 'more' : null,
        consumed_capacity: 1,
      };
    },
    startConversation: async () => {
      const started = entry(59);
      list.unshift(started);
      return { message_group_uuid: started.message_group_uuid, created: true, group: started, message: {} };
    },
  } as unknown as MessageSource;
  const session = { id: randomUUID(), person: me };
  const poller = new ConversationPoller({ source: {} as never, publish: () => {}, isFocused: () => true });
  poller.reset(session);
  const unread = new UnreadTally(() => {});
  unread.reset(session.id);
  const local = await SessionMessages.open({
    session,
    source,
    poller,
    unread,
    publish: () => {},
    secrets: new TestCipher(),
    cacheRoot: undefined,
    outboxRoot: undefined,
    cacheLimitBytes: 1 << 20,
  });
  return { local, reads };
}

describe('a sign-in answering the conversation list from its cache', () => {
  it('reads DynamoDB for a first page when the cached list is shorter than the page and has more behind it', async () => {
    const { local, reads } = await sessionOver([entry(3), entry(2), entry(1)]);
    expect((await local.listConversations({ limit: 1 })).items).toHaveLength(1);
    const page = await local.listConversations({});
    expect(page.items).toHaveLength(3);
    expect(reads).toEqual([{ limit: 1 }, {}]);
    // A whole list is answered from the cache from then on.
    expect((await local.listConversations({})).consumed_capacity).toBe(0);
    expect(reads).toHaveLength(2);
  });

  it('keeps a conversation I start in the cached list', async () => {
    const { local, reads } = await sessionOver([entry(1)]);
    await local.listConversations({});
    const started = await local.startConversation({
      handle: 'p59',
      messageUuid: newMessageUuid(),
      text: 'hi',
    });
    const page = await local.listConversations({});
    expect(page.items.map((c) => c.message_group_uuid)).toContain(started.message_group_uuid);
    expect(reads).toHaveLength(1);
  });
});
