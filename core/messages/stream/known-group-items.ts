import { type MessageGroupItem } from '../items';

/** One conversation's group items, by member partition key. */
export type GroupItemsByMember = ReadonlyMap<string, MessageGroupItem>;

/**
 * The group items Pattern E last wrote or read, per conversation, kept between batches (and
 * between invocations of a warm Lambda). Only a guess: every move is conditional on the item
 * being exactly as remembered, and a failed condition throws the guess away and reads the GSI.
 * In steady state a message then costs one conditional write per member and no query.
 */
export class KnownGroupItems {
  private readonly byGroup = new Map<string, GroupItemsByMember>();

  constructor(private readonly maxGroups = 5_000) {}

  get(groupUuid: string): GroupItemsByMember | undefined {
    return this.byGroup.get(groupUuid);
  }

  set(groupUuid: string, items: GroupItemsByMember): void {
    this.byGroup.delete(groupUuid);
    this.byGroup.set(groupUuid, items);
    if (this.byGroup.size > this.maxGroups) {
      const oldest = this.byGroup.keys().next().value;
      if (oldest !== undefined) this.byGroup.delete(oldest);
    }
  }

  forget(groupUuid: string): void {
    this.byGroup.delete(groupUuid);
  }
}
