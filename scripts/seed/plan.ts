import { conversationUuidFor } from '../../core/messages/conversation-id';
import { messageItem, type MessageItem } from '../../core/messages/items';
import { AppError } from '../../shared/result';
import { between, seededRandom, shuffle, uuidV7, type Random } from './random';
import { messageText, pickKind, type MessageKind } from './text';
import { DEFAULT_SEED_VALUE, seedUsers, type SeedUser } from './users';

/**
 * What the DynamoDB seed writes, computed without touching DynamoDB: who talks to whom, how many
 * messages each conversation has, and when. Everything follows from the sizes and the seed value.
 *
 * Time: every timestamp is placed relative to SEED_END_AT, a fixed instant, never the clock, so
 * a second run on another day writes the very same keys (the sort keys hold the timestamps) and
 * duplicates nothing. The newest message is at most a few hours before SEED_END_AT; the oldest
 * about 800 days before it, so the data spans three calendar years (2024 to 2026).
 */
export const SEED_END_AT = '2026-11-20T18:00:00.000Z';
const END_MS = Date.parse(SEED_END_AT);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** andrewbrown ↔ bayko, the conversation that exercises paging, gets at least this many. */
export const BIG_CONVERSATION_MIN_MESSAGES = 1_000;
const BIG_CONVERSATION_SHARE = 0.4;

/** The newest messages of the big conversation: one of each kind, so the first page shows them all. */
const BIG_CONVERSATION_TAIL: MessageKind[] = ['long', 'html', 'rtl', 'multiline', 'plain', 'emoji'];

export interface SeedSizes {
  users: number;
  groups: number;
  messages: number;
  seedValue: string;
}

export const SEED_DEFAULTS: SeedSizes = {
  users: 10,
  groups: 15,
  messages: 3_000,
  seedValue: DEFAULT_SEED_VALUE,
};

export const SEED_LIMITS = {
  users: { min: 3, max: 500 },
  groups: { min: 1, max: 100_000 },
  messages: { min: 1, max: 5_000_000 },
} as const;

export interface ConversationPlan {
  groupUuid: string;
  /** The first is andrewbrown in his conversations; the order means nothing else. */
  members: [SeedUser, SeedUser];
  messageCount: number;
  firstAtMs: number;
  lastAtMs: number;
}

export interface SeedPlan {
  sizes: SeedSizes;
  users: SeedUser[];
  conversations: ConversationPlan[];
}

function checkSizes(sizes: SeedSizes): void {
  for (const name of ['users', 'groups', 'messages'] as const) {
    const { min, max } = SEED_LIMITS[name];
    const value = sizes[name];
    if (!Number.isInteger(value) || value < min || value > max) {
      throw new AppError('Invalid', `--${name} must be a whole number from ${min} to ${max}, not ${value}`);
    }
  }
  const pairs = (sizes.users * (sizes.users - 1)) / 2;
  if (sizes.groups > pairs) {
    throw new AppError(
      'Invalid',
      `--groups ${sizes.groups} is more than the ${pairs} conversations ${sizes.users} users can have (one per pair)`,
    );
  }
  if (sizes.messages < sizes.groups) {
    throw new AppError(
      'Invalid',
      `--messages ${sizes.messages} is fewer than --groups ${sizes.groups}: every conversation needs a message`,
    );
  }
}

/** Pairs of user indexes: the named users' conversations first, then andrewbrown's, then the rest shuffled. */
function choosePairs(userCount: number, groups: number, random: Random): [number, number][] {
  const first: [number, number][] = [
    [0, 1],
    [0, 2],
    [1, 2],
  ];
  for (let other = 3; other < userCount; other++) first.push([0, other]);
  const rest: [number, number][] = [];
  for (let a = 1; a < userCount; a++) for (let b = Math.max(a + 1, 3); b < userCount; b++) rest.push([a, b]);
  return [...first, ...shuffle(random, rest)].slice(0, groups);
}

/** Splits `total` into `parts` whole numbers of at least 1, unevenly, as real conversations are. */
function splitMessages(total: number, parts: number, random: Random): number[] {
  if (parts === 0) return [];
  const weights = Array.from({ length: parts }, () => 0.05 + random() ** 2);
  const sum = weights.reduce((a, b) => a + b, 0);
  const spare = total - parts;
  const counts = weights.map((weight) => 1 + Math.floor((spare * weight) / sum));
  // Hand what the rounding dropped to the first conversations, so the counts add up exactly.
  let left = total - counts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % parts, left--) counts[i]! += 1;
  return counts;
}

export function planSeed(options: Partial<SeedSizes> = {}): SeedPlan {
  const sizes: SeedSizes = { ...SEED_DEFAULTS, ...definedOnly(options) };
  checkSizes(sizes);
  const random = seededRandom(sizes.seedValue, 'plan');
  const users = seedUsers({ count: sizes.users, seedValue: sizes.seedValue });
  const pairs = choosePairs(users.length, sizes.groups, random);
  const big =
    sizes.groups === 1
      ? sizes.messages
      : Math.min(
          sizes.messages - (sizes.groups - 1),
          Math.max(BIG_CONVERSATION_MIN_MESSAGES, Math.round(sizes.messages * BIG_CONVERSATION_SHARE)),
        );
  const counts = [big, ...splitMessages(sizes.messages - big, sizes.groups - 1, random)];
  const conversations = pairs.map(([a, b], index): ConversationPlan => {
    const members: [SeedUser, SeedUser] = [users[a]!, users[b]!];
    const messageCount = counts[index]!;
    const lastAtMs =
      index === 0
        ? END_MS - Math.floor(between(random, 0, 2 * HOUR))
        : END_MS - Math.floor(random() ** 2 * 150 * DAY);
    const firstAtMs =
      messageCount === 1
        ? lastAtMs
        : index === 0
          ? END_MS - 800 * DAY + Math.floor(between(random, 0, 10 * DAY))
          : lastAtMs - Math.floor(between(random, 20, 700) * DAY);
    return {
      groupUuid: conversationUuidFor(members[0].uuid, members[1].uuid),
      members,
      messageCount,
      firstAtMs,
      lastAtMs,
    };
  });
  return { sizes, users, conversations };
}

function definedOnly(options: Partial<SeedSizes>): Partial<SeedSizes> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined));
}

/**
 * Message times from first to last, strictly increasing: mostly bursts a few minutes apart with
 * the odd long silence, the way people chat. The first and last land exactly on the plan's ends.
 */
function messageTimes(conversation: ConversationPlan, random: Random): number[] {
  const count = conversation.messageCount;
  const gaps = Array.from({ length: count - 1 }, () => -Math.log(1 - random()) * (random() < 0.1 ? 200 : 1));
  const total = gaps.reduce((a, b) => a + b, 0);
  // Reserve 1 ms per message so equal times are impossible even when gaps round to nothing.
  const span = conversation.lastAtMs - conversation.firstAtMs - (count - 1);
  const times = [conversation.firstAtMs];
  let elapsed = 0;
  gaps.forEach((gap, index) => {
    elapsed += gap;
    const offset = index === gaps.length - 1 ? span : Math.floor((span * elapsed) / total);
    times.push(conversation.firstAtMs + offset + index + 1);
  });
  return times;
}

/** A conversation's messages, oldest first; uuids are v7 carrying each message's created_at. */
export function* conversationMessages(
  plan: SeedPlan,
  conversation: ConversationPlan,
): Generator<MessageItem> {
  const random = seededRandom(plan.sizes.seedValue, 'messages', conversation.groupUuid);
  const times = messageTimes(conversation, random);
  const isBig = conversation.groupUuid === plan.conversations[0]?.groupUuid;
  const tailStart = times.length - BIG_CONVERSATION_TAIL.length;
  let sender = random() < 0.5 ? 0 : 1;
  for (const [index, ms] of times.entries()) {
    if (index > 0 && random() < 0.55) sender = 1 - sender;
    const kind = isBig && index >= tailStart ? BIG_CONVERSATION_TAIL[index - tailStart]! : pickKind(random);
    const text = messageText(kind, random);
    const uuid = uuidV7(ms, random);
    yield messageItem(
      conversation.groupUuid,
      conversation.members[sender]!,
      uuid,
      text,
      new Date(ms).toISOString(),
    );
  }
}
