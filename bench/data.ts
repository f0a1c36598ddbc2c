import type { Person } from '../shared/model';
import type { SeedOptions } from '../scripts/seed/ddb-seed';
import { planSeed, type ConversationPlan } from '../scripts/seed/plan';

/**
 * The seeds the seeding benchmark writes into one table, which the read benchmarks then use.
 * Different seed values give different people, so no two seeds share a conversation.
 *
 * Many in flight: 100,000 messages in ONE conversation (andrewbrown ↔ bayko), for Pattern A at
 * that size. One in flight: a tenth of that in two halves (one request at a time would take
 * minutes for all of it), each spread over 30 conversations, the smaller ones around 100 messages.
 */
export const MANY_IN_FLIGHT = {
  users: 3,
  groups: 1,
  messages: 100_000,
  seedValue: 'bench-many-in-flight',
  concurrency: 8,
} satisfies SeedOptions;

/** Written first, unmeasured, to warm the JVM up. */
export const WARM_UP = { messages: 10_000, seedValue: 'bench-warm-up' } satisfies SeedOptions;

export const ONE_IN_FLIGHT = [
  { users: 10, groups: 30, messages: 5_000, seedValue: 'bench-one-in-flight-a', concurrency: 1 },
  { users: 10, groups: 30, messages: 5_000, seedValue: 'bench-one-in-flight-b', concurrency: 1 },
] as const satisfies SeedOptions[];

export interface BenchConversation {
  groupUuid: string;
  /** A member, who may read it. */
  reader: Person;
  messages: number;
}

const asBenchConversation = (plan: ConversationPlan): BenchConversation => ({
  groupUuid: plan.groupUuid,
  reader: {
    uuid: plan.members[0].uuid,
    handle: plan.members[0].handle,
    display_name: plan.members[0].display_name,
  },
  messages: plan.messageCount,
});

/** The conversation of 100,000 messages, and the seeded one nearest to 100 messages. */
export function benchConversations(): { small: BenchConversation; big: BenchConversation } {
  const big = planSeed(MANY_IN_FLIGHT).conversations[0]!;
  const small = planSeed(ONE_IN_FLIGHT[0]).conversations.reduce((best, conversation) =>
    Math.abs(conversation.messageCount - 100) < Math.abs(best.messageCount - 100) ? conversation : best,
  );
  return { small: asBenchConversation(small), big: asBenchConversation(big) };
}
