import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MessageService } from '../../core/messages';
import { ConversationPoller, type PollSource } from '../../electron/main/poller';
import type { EventMap, EventName } from '../../shared/contract';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { createPeople, messageTestBed, type MessageTestBed } from '../support/messages';

/** How far before the position asked for a read of what is new starts (core's rule). */
const OVERLAP_MS = 4 * 60_000;

/** `MSG#2026-…#uuid` or `GRP#2026-…#uuid`, moved back by the overlap: sorts before that time. */
function overlapped(sk: string): string {
  const [prefix, at] = sk.split('#');
  return `${prefix}#${new Date(Date.parse(at!) - OVERLAP_MS).toISOString()}`;
}

/** The real message service, read the way core reads what is new: from a window before the position. */
const overlapping = (service: MessageService): PollSource => ({
  listMessagesAfter: (caller, groupUuid, afterSk) =>
    service.listMessagesAfter(caller, groupUuid, overlapped(afterSk)),
  listConversationsAfter: (caller, afterSk) => service.listConversationsAfter(caller, overlapped(afterSk)),
});

let bed: MessageTestBed;
beforeAll(async () => {
  bed = await messageTestBed('overlap');
});
afterAll(() => bed.close());

describe('the poller over reads that overlap what the renderer has', () => {
  let pushed: { event: EventName; payload: EventMap[EventName] }[];
  let poller: ConversationPoller;
  let ann: Person;
  let bob: Person;
  let carol: Person;
  let groupUuid: string;

  const send = (text: string, at = Date.now()) =>
    bed.service.sendMessage(ann, { groupUuid, messageUuid: newMessageUuid(at), text });
  const pushedTexts = () =>
    pushed.flatMap(({ payload }) =>
      'messages' in payload
        ? payload.messages.map((m) => m.message)
        : 'conversations' in payload
          ? payload.conversations.map((c) => c.message)
          : [],
    );

  beforeAll(async () => {
    [ann, bob, carol] = (await createPeople(bed.pool, ['ann', 'bob', 'carol'])) as [Person, Person, Person];
    groupUuid = (
      await bed.service.startConversation(ann, {
        handle: bob.handle,
        messageUuid: newMessageUuid(),
        text: 'hi bob',
      })
    ).message_group_uuid;
    pushed = [];
    poller = new ConversationPoller({
      source: overlapping(bed.service),
      publish: (event, payload) => pushed.push({ event, payload }),
      isFocused: () => true,
    });
    // Bob's window loads his list and opens the conversation, as the handlers note it.
    poller.reset({ id: 'bob-session', person: bob });
    poller.noteConversations('bob-session', (await bed.service.listConversations(bob)).items);
    poller.noteMessages('bob-session', groupUuid, (await bed.service.listMessages(bob, groupUuid)).items);
    poller.watch('bob-session', groupUuid);
  });

  it('pushes nothing the renderer already loaded', async () => {
    await poller.tick();
    expect(pushed).toEqual([]);
  });

  it('pushes each new message and conversation once, however often a read sees it again', async () => {
    await send('first news');
    await send('second news');
    await bed.service.startConversation(carol, {
      handle: bob.handle,
      messageUuid: newMessageUuid(),
      text: 'from carol',
    });
    await poller.tick();
    await poller.tick();
    await poller.tick();
    // The two lists are polled side by side: which push comes first is not fixed.
    expect(pushedTexts().sort()).toEqual(['first news', 'from carol', 'second news']);
    expect(pushed.every(({ payload }) => 'session' in payload && payload.session === 'bob-session')).toBe(
      true,
    );
  });

  it('pushes a message that sorts before the newest one the renderer has, once (its clock was slow)', async () => {
    pushed.length = 0;
    await send('written a minute slow', Date.now() - 60_000);
    await poller.tick();
    await poller.tick();
    expect(pushedTexts()).toEqual(['written a minute slow']);
  });
});
