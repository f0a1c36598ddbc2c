import type { MessageService } from '../core/messages';
import { seedUsers, type SeedUser } from '../scripts/seed/users';
import { newMessageUuid } from '../shared/message-uuid';
import type { ConversationView } from '../shared/messages';
import type { Person } from '../shared/model';
import { RequestCounter, type BenchCloud } from './cloud';
import { personOf, writeConversation } from './conversation-seed';
import { count, type BenchResult } from './report';
import { benchMessageService } from './service';

/** People of their own (their seed value), so no other benchmark's conversations are theirs. */
const SEED_VALUE = 'bench-requests';
/** Messages in each of andrewbrown's two conversations: more than one page. */
const MESSAGES = 100;
/** How many of the newest messages andrewbrown has not read in the conversation with londo. */
const UNREAD_TAIL = 10;

/** The rule the renderer follows (use-read-marks.ts), part of the figure: no mark, no write. */
export const MARK_RULE =
  'the renderer calls markConversationRead only when the conversation list says unread_count > 0, ' +
  'once a message of the other person newer than the mark has been on screen in a focused window';

const WRITE_COMMANDS = new Set([
  'PutCommand',
  'UpdateCommand',
  'DeleteCommand',
  'TransactWriteCommand',
  'BatchWriteCommand',
  'PutItemCommand',
  'UpdateItemCommand',
  'DeleteItemCommand',
  'TransactWriteItemsCommand',
  'BatchWriteItemCommand',
]);

/** Requests by kind, from a RequestCounter: what each action costs. */
export interface ActionCost {
  described: string;
  reads: number;
  writes: number;
}

export function costOf(byCommand: ReadonlyMap<string, number>): ActionCost {
  let reads = 0;
  let writes = 0;
  for (const [command, n] of byCommand) {
    if (WRITE_COMMANDS.has(command)) writes += n;
    else reads += n;
  }
  const described = [...byCommand]
    .map(([command, n]) => `${count(n)} ${command.replace(/Command$/, '')}`)
    .join(' + ');
  return { described: described || 'none', reads, writes };
}

/**
 * Benchmark: DynamoDB requests per user action with unread tracking, through the app's own
 * MessageService, counted per HTTP attempt by a middleware on the client. Opening a conversation
 * is Pattern A's first page, plus one read-mark write when something is unread; sending is
 * Pattern C. Membership is learnt from the conversation list first, as the app does at sign-in.
 */
export async function requestsPerAction(cloud: BenchCloud): Promise<BenchResult> {
  const [andrew, bayko, londo] = seedUsers({ count: 3, seedValue: SEED_VALUE }) as [
    SeedUser,
    SeedUser,
    SeedUser,
  ];
  const conversation = (other: SeedUser, unreadTail: number) =>
    writeConversation(cloud.db, cloud.tableName, {
      seedValue: SEED_VALUE,
      members: [andrew, other],
      messages: MESSAGES,
      unreadTail,
    });
  const withBayko = await conversation(bayko, 0);
  const withLondo = await conversation(londo, UNREAD_TAIL);
  const reader = personOf(andrew);

  const db = cloud.newClient();
  const requests = new RequestCounter(db);
  const service = benchMessageService(db, cloud.tableName);
  const measure = async (action: () => Promise<void>) => {
    requests.reset();
    await action();
    return costOf(requests.byCommand);
  };

  // First, on a fresh service that knows no memberships yet (as after a restart): the last row.
  const coldOpen = await measure(async () => {
    await service.listMessages(reader, withBayko.groupUuid);
  });
  const list = await service.listConversations(reader);
  const viewOf = (groupUuid: string): ConversationView => {
    const view = list.items.find((item) => item.message_group_uuid === groupUuid);
    if (!view) throw new Error(`the conversation list lacks ${groupUuid}`);
    return view;
  };
  const unreadBefore = viewOf(withLondo.groupUuid).unread_count;
  if (unreadBefore === 0) throw new Error('the conversation given unread messages lists none');
  if (viewOf(withBayko.groupUuid).unread_count !== 0) throw new Error('the read conversation lists unread');

  const openUnread = await measure(() => openConversation(service, reader, viewOf(withLondo.groupUuid)));
  const openRead = await measure(() => openConversation(service, reader, viewOf(withBayko.groupUuid)));
  const send = await measure(async () => {
    await service.sendMessage(reader, {
      groupUuid: withBayko.groupUuid,
      messageUuid: newMessageUuid(),
      text: 'A message the benchmark sends',
    });
  });
  const unreadAfter = (await service.listConversations(reader)).items.find(
    (item) => item.message_group_uuid === withLondo.groupUuid,
  )!.unread_count;
  if (unreadAfter !== 0) throw new Error(`after the mark, ${unreadAfter} are still unread`);

  const meetsUnread = openUnread.reads === 1 && openUnread.writes <= 1;
  const meetsRead = openRead.reads === 1 && openRead.writes === 0;
  const row = (action: string, cost: ActionCost, goal: string) => [
    action,
    cost.described,
    count(cost.reads),
    count(cost.writes),
    goal,
  ];
  return {
    title: 'Requests per action with unread tracking (MessageService on DynamoDB Local)',
    headers: ['action', 'requests', 'reads', 'writes', 'goal'],
    rows: [
      row(
        `open a conversation, ${count(unreadBefore)} unread: first page + mark read`,
        openUnread,
        '1 read + ≤ 1 write',
      ),
      row('open a conversation, nothing unread: first page', openRead, '1 read, no write'),
      row('send a message (Pattern C)', send, '1 write'),
      row('open, membership not yet known (first read after a start)', coldOpen, '-'),
    ],
    ratios: [
      {
        label: 'requests, opening with unread ÷ opening with nothing unread',
        value: (openUnread.reads + openUnread.writes) / (openRead.reads + openRead.writes),
      },
    ],
    target:
      "opening a conversation costs Pattern A's read plus at most one mark-read write, and none when nothing is unread",
    meets: meetsUnread && meetsRead,
    notes: [
      MARK_RULE,
      `after the mark the list shows ${count(unreadAfter)} unread (was ${count(unreadBefore)})`,
      'memberships are learnt from the conversation list (Pattern B) at sign-in, so steady-state reads skip the membership GetItem the last row pays once per conversation and process',
      'the group items a send moves (Pattern E) are written by the stream worker, not by the sender: not counted here',
    ],
  };
}

/** What the app does on opening a conversation: its first page, and a mark only when unread. */
async function openConversation(service: MessageService, reader: Person, view: ConversationView) {
  const page = await service.listMessages(reader, view.message_group_uuid);
  const newest = page.items[0];
  if (view.unread_count > 0 && newest) {
    await service.markConversationRead(reader, {
      groupUuid: view.message_group_uuid,
      upTo: newest.message_uuid,
    });
  }
}
