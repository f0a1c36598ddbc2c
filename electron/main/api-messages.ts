import { z } from 'zod';
import { apiPaths } from '../../core/api/wire';
import type { PeopleDirectory, SignedInAccount } from '../../core/auth/people';
import type { MessageOperations } from '../../core/messages';
import type { Profile } from '../../shared/auth';
import type {
  ConversationView,
  MarkConversationReadInput,
  MessageView,
  NewerItems,
  Page,
  PageOptions,
  ReadMark,
  SendMessageInput,
  StartConversationInput,
  StartConversationResult,
} from '../../shared/messages';
import type { Person } from '../../shared/model';
import { isAppError } from '../../shared/result';
import type { ApiClient, ApiRequest } from './api-client';

/**
 * What the API answers, parsed before anything of it reaches the cache or the renderer: unknown
 * fields are dropped, and a shape this app does not know is an Internal error, not a strange
 * screen later.
 */
const text = (max: number) => z.string().max(max);
const personFields = { uuid: text(64), handle: text(64), display_name: text(400) };
const personSchema = z.object(personFields) satisfies z.ZodType<Person>;
const profileSchema = z.object({ ...personFields, email: text(254) }) satisfies z.ZodType<Profile>;
const messageSchema = z.object({
  message_uuid: text(64),
  message: text(8_192),
  created_at: text(64),
  user_uuid: text(64),
  handle: text(64),
  display_name: text(400),
  sk: text(256),
}) satisfies z.ZodType<MessageView>;
const conversationSchema = z.object({
  message_group_uuid: text(64),
  message: text(8_192),
  last_reply_at: text(64),
  user_uuid: text(64),
  handle: text(64),
  display_name: text(400),
  sk: text(256),
  unread_count: z.number().int().min(0),
}) satisfies z.ZodType<ConversationView>;
const capacity = z.number().min(0).default(0);
const pageOf = <T>(item: z.ZodType<T>) =>
  z.object({ items: z.array(item), cursor: text(4_096).nullable(), consumed_capacity: capacity });
const newerOf = <T>(item: z.ZodType<T>) =>
  z.object({ items: z.array(item), has_more: z.boolean(), consumed_capacity: capacity });
const startedSchema = z.object({
  message_group_uuid: text(64),
  created: z.boolean(),
  message: messageSchema,
  group: conversationSchema,
}) satisfies z.ZodType<StartConversationResult>;
const readMarkSchema = z.object({ unread_count: z.number().int().min(0) }) satisfies z.ZodType<ReadMark>;
const peopleSchema = z.object({ people: z.array(personSchema) });

/**
 * The access token of a person's sign-in, fresh (AuthService.accessToken): Unauthenticated when
 * that person is no longer the one signed in. `renew` refreshes it first.
 */
export type TokenSource = (personUuid: string, renew: boolean) => Promise<string>;

/**
 * The message operations over the message API (the app in API mode). The caller argument is who
 * the app thinks is signed in: it picks whose token goes out, and a caller who is no longer signed
 * in gets Unauthenticated before anything is sent. The server takes identity from the token alone.
 */
export class ApiMessages implements MessageOperations {
  /** The last token a refusal made this renew (kept in this process only, like every token). */
  private renewed: string | undefined;

  constructor(
    private readonly client: ApiClient,
    private readonly token: TokenSource,
  ) {}

  listMessages(caller: Person, groupUuid: string, options: PageOptions = {}): Promise<Page<MessageView>> {
    return this.call(caller, {
      method: 'GET',
      path: apiPaths.messages(groupUuid),
      query: { limit: options.limit, cursor: options.cursor },
      schema: pageOf(messageSchema),
    });
  }

  listMessagesAfter(
    caller: Person,
    groupUuid: string,
    afterSk: string,
    options: { limit?: number } = {},
  ): Promise<NewerItems<MessageView>> {
    return this.call(caller, {
      method: 'GET',
      path: apiPaths.messages(groupUuid),
      query: { after: afterSk, limit: options.limit },
      schema: newerOf(messageSchema),
    });
  }

  listConversations(caller: Person, options: PageOptions = {}): Promise<Page<ConversationView>> {
    return this.call(caller, {
      method: 'GET',
      path: apiPaths.conversations(),
      query: { limit: options.limit, cursor: options.cursor },
      schema: pageOf(conversationSchema),
    });
  }

  listConversationsAfter(
    caller: Person,
    afterSk: string,
    options: { limit?: number } = {},
  ): Promise<NewerItems<ConversationView>> {
    return this.call(caller, {
      method: 'GET',
      path: apiPaths.conversations(),
      query: { after: afterSk, limit: options.limit },
      schema: newerOf(conversationSchema),
    });
  }

  /** PUT under the message's own uuid: a resend (the outbox after an outage) stores nothing new. */
  sendMessage(caller: Person, { groupUuid, messageUuid, text }: SendMessageInput): Promise<MessageView> {
    return this.call(caller, {
      method: 'PUT',
      path: apiPaths.message(groupUuid, messageUuid),
      body: { text },
      schema: messageSchema,
    });
  }

  startConversation(
    caller: Person,
    { handle, messageUuid, text }: StartConversationInput,
  ): Promise<StartConversationResult> {
    return this.call(caller, {
      method: 'POST',
      path: apiPaths.conversations(),
      body: { handle, messageUuid, text },
      schema: startedSchema,
    });
  }

  markConversationRead(caller: Person, { groupUuid, upTo }: MarkConversationReadInput): Promise<ReadMark> {
    return this.call(caller, {
      method: 'POST',
      path: apiPaths.read(groupUuid),
      body: { upTo },
      schema: readMarkSchema,
    });
  }

  /**
   * One request as `caller`. A 401 comes from the gateway's authorizer, before the Lambda ran
   * anything, so it is safe to ask again once with a renewed token: API Gateway checks expiry by
   * its own clock, and a token this computer still thinks valid may be past it there. A renewed
   * token that is refused too is not renewed again (a misconfigured pool would otherwise cost a
   * Cognito refresh per poll).
   */
  private async call<T>(caller: Person, request: Omit<ApiRequest<T>, 'token'>): Promise<T> {
    const token = await this.token(caller.uuid, false);
    try {
      return (await this.client.request({ ...request, token })).value;
    } catch (error) {
      if (!isAppError(error) || error.code !== 'Unauthenticated' || token === this.renewed) throw error;
    }
    const renewed = await this.token(caller.uuid, true);
    this.renewed = renewed;
    return (await this.client.request({ ...request, token: renewed })).value;
  }
}

/**
 * The directory over the message API: the server links the token's sub to its directory row on
 * the first GET /v1/me, and answers the search. It cannot say beforehand whether a handle or an
 * email is taken (no `taken`): the first sign-in's link refuses one with 409.
 */
export class ApiPeople implements PeopleDirectory {
  constructor(private readonly client: ApiClient) {}

  async userOf(account: SignedInAccount): Promise<Profile> {
    const answer = await this.client.request({
      method: 'GET',
      path: apiPaths.me(),
      token: account.accessToken,
      schema: profileSchema,
    });
    return answer.value;
  }

  async search(query: string, me: Person, account: SignedInAccount): Promise<Person[]> {
    const answer = await this.client.request({
      method: 'GET',
      path: apiPaths.people(),
      token: account.accessToken,
      query: { query },
      schema: peopleSchema,
    });
    return answer.value.people.filter((person) => person.uuid !== me.uuid);
  }
}
