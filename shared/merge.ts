import type { ConversationView, MessageView } from './messages';

/**
 * How copies of messages and of conversation-list entries are merged, by the renderer's stores and
 * by the main process's cache alike (one rule, so the two never disagree about what is newest).
 * No zod here: the renderer imports it.
 */

const bySk = (a: MessageView, b: MessageView) => (a.sk < b.sk ? -1 : a.sk > b.sk ? 1 : 0);

/** The incoming messages oldest first, one per uuid (the later copy wins, as a Map would keep it). */
function sortedUnique(incoming: readonly MessageView[]): MessageView[] {
  const byUuid = new Map<string, MessageView>();
  for (const message of incoming) byUuid.set(message.message_uuid, message);
  return [...byUuid.values()].sort(bySk);
}

/**
 * Loaded messages and new ones, oldest first, one per uuid (the incoming copy wins). The sort
 * key is `sk` (`MSG#{created_at}#{uuid}`, ordered as a string). Why not a Map and a sort of
 * everything: a page arrives per scroll to the top of a 10,000-message conversation, so the work
 * is one pass over both sorted arrays, with no comparison at all for a page wholly older than what
 * is loaded (an older page) or wholly newer (arrivals). A message's sk never changes (it is made of
 * its time and uuid), so a page strictly older or newer than what is loaded holds no copy of it.
 */
export function mergeMessages(
  current: readonly MessageView[],
  incoming: readonly MessageView[],
): MessageView[] {
  if (incoming.length === 0) return current as MessageView[];
  const fresh = sortedUnique(incoming);
  if (current.length === 0) return fresh;
  if (fresh.at(-1)!.sk < current[0]!.sk) return fresh.concat(current);
  if (fresh[0]!.sk > current.at(-1)!.sk) return current.concat(fresh);
  const uuids = new Set(fresh.map((m) => m.message_uuid));
  return mergeSorted(
    current.filter((m) => !uuids.has(m.message_uuid)),
    fresh,
  );
}

/** Two arrays sorted by sk, with no uuid in both, merged in one pass. */
function mergeSorted(a: readonly MessageView[], b: readonly MessageView[]): MessageView[] {
  const merged = new Array<MessageView>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) merged[k++] = a[i]!.sk <= b[j]!.sk ? a[i++]! : b[j++]!;
  while (i < a.length) merged[k++] = a[i++]!;
  while (j < b.length) merged[k++] = b[j++]!;
  return merged;
}

/** Newest reply first; ties broken by uuid so the order never flickers. */
function byLastReply(a: ConversationView, b: ConversationView): number {
  if (a.last_reply_at !== b.last_reply_at) return a.last_reply_at < b.last_reply_at ? 1 : -1;
  return a.message_group_uuid < b.message_group_uuid ? 1 : -1;
}

/**
 * The newer of two copies of one conversation. A newer last message brings the table's unread
 * count; with the same last message the count can only have gone down (a read mark moves forward,
 * never back), so an answer read before my mark moved cannot bring back a count I cleared.
 */
function newerCopy(known: ConversationView | undefined, incoming: ConversationView): ConversationView {
  if (!known || known.last_reply_at < incoming.last_reply_at) return incoming;
  if (known.last_reply_at > incoming.last_reply_at) return known;
  return { ...incoming, unread_count: Math.min(known.unread_count, incoming.unread_count) };
}

/** The conversations of both, one per uuid (the newer copy), newest reply first. */
export function mergeConversations(
  current: readonly ConversationView[],
  incoming: readonly ConversationView[],
): ConversationView[] {
  const merged = new Map(current.map((conversation) => [conversation.message_group_uuid, conversation]));
  for (const conversation of incoming) {
    merged.set(
      conversation.message_group_uuid,
      newerCopy(merged.get(conversation.message_group_uuid), conversation),
    );
  }
  return [...merged.values()].sort(byLastReply);
}
