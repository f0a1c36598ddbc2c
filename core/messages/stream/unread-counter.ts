import type { MessageGroupItem, MessageItem, ReadState } from '../items';
import { ownerOf } from './group-item-repair';

/**
 * What a member has read once Pattern E moves their group item from its last message to
 * `message`, counted from the messages of the same batch (`batch`, the conversation's INSERTs;
 * `message` is one of them). Only messages after both the item's last message and the member's
 * read mark count, and only up to `message`: a record delivered again, or one older than the
 * item, counts nothing, and a mark made before Pattern E got here (the poller shows messages
 * before the stream catches up) is kept. A message the member wrote themself means they have
 * read everything before it (as Signal and Slack do when you reply): the mark moves to it and
 * only the other member's messages after it count.
 */
export function readStateAfter(
  item: MessageGroupItem,
  message: MessageItem,
  batch: readonly MessageItem[],
): ReadState {
  const owner = ownerOf(item);
  const from = maxSk(item.last_message_sk, item.last_read_sk ?? '');
  const bySk = new Map<string, MessageItem>();
  for (const each of [...batch, message])
    if (each.sk > from && each.sk <= message.sk) bySk.set(each.sk, each);
  const inRange = [...bySk.values()];
  const ownNewest = inRange
    .filter((each) => each.user_uuid === owner)
    .reduce<string | undefined>((newest, each) => maxSk(newest ?? '', each.sk), undefined);
  const unreadAfter = ownNewest ?? from;
  const added = inRange.filter((each) => each.user_uuid !== owner && each.sk > unreadAfter).length;
  if (ownNewest !== undefined) return { last_read_sk: ownNewest, unread_count: added };
  return { last_read_sk: item.last_read_sk, unread_count: (item.unread_count ?? 0) + added };
}

const maxSk = (a: string, b: string): string => (a < b ? b : a);
