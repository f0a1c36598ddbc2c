import { groupPk, type Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import type { MessageContext } from './context';
import { getConversationItem, queryGroupItems } from './conversation-reads';

/**
 * Who belongs to which conversation. A conversation's two members never change (its uuid is
 * derived from the pair), so what we learn stays true and is cached for the life of the process:
 * in steady state a read or a send costs only its own DynamoDB request. Only positive answers are
 * cached, because a conversation that does not exist yet may be started later.
 */
export class MembershipCache {
  private readonly membersByGroup = new Map<string, ReadonlySet<string>>();

  constructor(private readonly maxGroups = 10_000) {}

  remember(groupUuid: string, memberUuids: Iterable<string>): void {
    const known = this.membersByGroup.get(groupUuid);
    const members = new Set([...(known ?? []), ...memberUuids]);
    // Re-inserting moves the group to the young end of the Map's order; the oldest goes first.
    this.membersByGroup.delete(groupUuid);
    this.membersByGroup.set(groupUuid, members);
    if (this.membersByGroup.size > this.maxGroups) {
      const oldest = this.membersByGroup.keys().next().value;
      if (oldest !== undefined) this.membersByGroup.delete(oldest);
    }
  }

  /** True when `userUuid` is known to belong to the conversation; false means "not known". */
  knows(groupUuid: string, userUuid: string): boolean {
    return this.membersByGroup.get(groupUuid)?.has(userUuid) ?? false;
  }
}

/** Passes when the caller is a member of the conversation, otherwise throws Forbidden. */
export async function requireMember(ctx: MessageContext, caller: Person, groupUuid: string): Promise<void> {
  if (ctx.members.knows(groupUuid, caller.uuid)) return;
  const members = await loadMembers(ctx, groupUuid, caller);
  if (members.length > 0) ctx.members.remember(groupUuid, members);
  if (members.includes(caller.uuid)) return;
  throw notAMember(groupUuid);
}

/**
 * What a non-member is told, by every pattern alike: the same answer whether the conversation
 * exists or not, since its uuid names the two people in it.
 */
export const notAMember = (groupUuid: string): AppError =>
  new AppError('Forbidden', `you are not a member of conversation ${groupUuid}`);

/** The members from the conversation item (one consistent read), or from the group items. */
async function loadMembers(ctx: MessageContext, groupUuid: string, caller: Person): Promise<string[]> {
  const conversation = await getConversationItem(ctx, groupUuid);
  if (conversation) return conversation.member_uuids;
  // Conversations written before the conversation item existed have only their group items:
  // each names its OTHER member, and its key names its owner.
  const members = new Set<string>();
  for (const item of await queryGroupItems(ctx, groupUuid)) {
    members.add(item.user_uuid);
    if (item.pk === groupPk(caller.uuid)) members.add(caller.uuid);
  }
  return [...members];
}
