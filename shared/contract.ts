import { z } from 'zod';
import {
  confirmForgotPasswordInput,
  confirmSignUpInput,
  forgotPasswordInput,
  resendCodeInput,
  searchUsersInput,
  signInInput,
  signUpInput,
  type CodeDelivery,
  type Profile,
} from './auth';
import {
  markConversationReadInputSchema,
  MAX_MESSAGE_RAW_LENGTH,
  messageGroupUuidSchema,
  pageOptionsSchema,
  sendMessageInputSchema,
  startConversationInputSchema,
  type Connectivity,
  type ConversationView,
  type MessageView,
  type OutboxEntryView,
  type Page,
  type ReadMark,
  type StartConversationResult,
} from './messages';
import type { ConnectionView, ServiceCheck } from './connection';
import { connectionInputSchema } from './connection-schema';
import type { MenuCommand, Settings } from './settings';
import { settingsPatchSchema } from './settings-schema';
import { cappedString } from './text';
import type { Person } from './model';
import type { AppErrorShape, Result } from './result';
import type { BackendTarget } from './targets';

/**
 * The IPC contract, declared once: each operation has a name (which is also the method name on
 * `window.api`), a zod schema for its input and a type for its output. The preload builds
 * `window.api` from these names and the main process registers one handler per name.
 */
interface Operation<Input extends z.ZodType, Output> {
  input: Input;
  /** Phantom field that carries the output type (boxed, so null outputs survive); never set. */
  output?: { type: Output };
}

const operation = <Output>() => {
  return <Input extends z.ZodType>(input: Input): Operation<Input, Output> => ({ input });
};

export interface AppInfo {
  name: string;
  version: string;
  target: BackendTarget;
  region: string;
}

export const contract = {
  getAppInfo: operation<AppInfo>()(z.undefined()),

  /** The signed-in profile (restoring a remembered session), or null. */
  getSession: operation<Profile | null>()(z.undefined()),
  signIn: operation<Profile>()(signInInput.strict()),
  signUp: operation<CodeDelivery>()(signUpInput.strict()),
  confirmSignUp: operation<null>()(confirmSignUpInput.strict()),
  resendCode: operation<CodeDelivery>()(resendCodeInput.strict()),
  forgotPassword: operation<CodeDelivery>()(forgotPasswordInput.strict()),
  confirmForgotPassword: operation<null>()(confirmForgotPasswordInput.strict()),
  signOut: operation<null>()(z.undefined()),
  /** People to start a conversation with: prefix of handle or name, never me, at most 20. */
  searchUsers: operation<Person[]>()(searchUsersInput.strict()),

  /** Pattern B: my conversations, most recent reply first. */
  listConversations: operation<Page<ConversationView>>()(pageOptionsSchema),
  /** Pattern A: a conversation's messages, newest page first. */
  listMessages: operation<Page<MessageView>>()(
    pageOptionsSchema.extend({ groupUuid: messageGroupUuidSchema }),
  ),
  /**
   * Pattern C: send into a conversation I am a member of; the message uuid makes a resend
   * idempotent. Every send goes through the main process's outbox, in order per conversation:
   * while DynamoDB cannot be reached the answer is Unavailable with reason SEND_QUEUED, and the
   * message goes out later (its outcome an 'outbox.settled' event).
   */
  sendMessage: operation<MessageView>()(sendMessageInputSchema),
  /** Pattern D: the first message to someone (or into the conversation we already share). */
  startConversation: operation<StartConversationResult>()(startConversationInputSchema),
  /** Which conversation is on screen, so the main process polls it for new messages (null: none). */
  watchConversation: operation<null>()(z.object({ groupUuid: messageGroupUuidSchema.nullable() }).strict()),
  /** Moves my read mark up to a message I have seen on screen in a focused window (never back). */
  markConversationRead: operation<ReadMark>()(markConversationReadInputSchema),
  /** My messages still waiting in the outbox (sent while offline), oldest first. */
  getOutbox: operation<OutboxEntryView[]>()(z.undefined()),
  /** The conversation I had open last (kept with the message cache), or null. */
  getLastConversation: operation<string | null>()(z.undefined()),

  /** Whether DynamoDB can be reached now. */
  getConnectivity: operation<Connectivity>()(z.undefined()),
  /** "Try now": tries the connection (and the outbox) at once instead of at the next retry. */
  retryNow: operation<Connectivity>()(z.undefined()),

  /** My unsent text in a conversation ('' when none), kept on disk by the main process, per person. */
  getDraft: operation<string>()(z.object({ groupUuid: messageGroupUuidSchema }).strict()),
  /** Keeps (or, with '', forgets) my unsent text in a conversation. */
  saveDraft: operation<null>()(
    z
      .object({
        groupUuid: messageGroupUuidSchema,
        text: cappedString(MAX_MESSAGE_RAW_LENGTH, 'the draft is too long'),
      })
      .strict(),
  ),

  getSettings: operation<Settings>()(z.undefined()),
  /** Changes some settings; answers all of them as they now are. */
  updateSettings: operation<Settings>()(settingsPatchSchema),

  /** Where the app connects (target, region, table, pool, directory host), never a secret. */
  getConnection: operation<ConnectionView>()(z.undefined()),
  /**
   * Saves the connection to connection.json (a password encrypted, apart) and rebuilds the
   * services on it: the sign-in ends. Answers the connection as it now is.
   */
  updateConnection: operation<ConnectionView>()(connectionInputSchema),
  /** Whether DynamoDB, Cognito and PostgreSQL answer the connection now, each within a bound. */
  checkServices: operation<ServiceCheck[]>()(z.undefined()),

  /** Opens an http(s) link from a message in the system browser, after the shell's check. */
  openLink: operation<null>()(z.object({ url: cappedString(4096, 'the link is too long') }).strict()),
} as const;

export type Contract = typeof contract;
export type OperationName = keyof Contract;

/** What the renderer passes (before parsing). */
export type OperationInput<N extends OperationName> = z.input<Contract[N]['input']>;
/** What the handler receives (after parsing). */
export type ParsedInput<N extends OperationName> = z.output<Contract[N]['input']>;
export type OperationOutput<N extends OperationName> = NonNullable<Contract[N]['output']>['type'];

export const operationNames = Object.keys(contract) as OperationName[];

/**
 * Events the main process pushes to the renderer, declared once as `contract` is: the names
 * come from this object and each payload type from its phantom field.
 */
const event = <Payload>(): { payload?: Payload } => ({});

export const events = {
  'window.focus': event<{ focused: boolean }>(),
  /**
   * Signed in (a new session), signed out, or the session ended (refresh failed): `session` is an
   * opaque id of this sign-in (never a token), null while nobody is signed in.
   */
  'session.changed': event<{ profile: Profile | null; session: string | null }>(),
  /** New messages in a conversation, oldest first, for the sign-in `session` names. */
  'messages.new': event<{ session: string; groupUuid: string; messages: MessageView[] }>(),
  /** Conversations whose last message changed (new or reordered), newest first, for `session`. */
  'conversations.changed': event<{ session: string; conversations: ConversationView[] }>(),
  /** A message of the outbox was stored (with the message as stored) or refused for good. */
  'outbox.settled': event<{
    session: string;
    groupUuid: string;
    /** The uuid it was sent with (a message whose uuid expired is stored under a new one). */
    messageUuid: string;
    outcome: { ok: true; value: MessageView } | { ok: false; error: AppErrorShape };
  }>(),
  /** Conversations I may no longer read (their membership check failed): dropped from the cache. */
  'conversations.removed': event<{ session: string; groupUuids: string[] }>(),
  /** DynamoDB became reachable or unreachable (the offline banner). */
  'connectivity.changed': event<Connectivity>(),
  /** A notification was clicked: the window is shown; the page opens this conversation of `session`. */
  'conversation.open': event<{ session: string; groupUuid: string }>(),
  /** The application menu asks the page for something it does itself. */
  'menu.command': event<{ command: MenuCommand }>(),
} as const;

export type EventName = keyof typeof events;
export type EventMap = { [E in EventName]: NonNullable<(typeof events)[E]['payload']> };
export const eventNames = Object.keys(events) as EventName[];

/** The events that carry one person's data: delivered only while the session they name is current. */
export type SessionEventName = {
  [E in EventName]: EventMap[E] extends { session: string } ? E : never;
}[EventName];
// A Record, so an event that gains a `session` field and is not listed here fails to compile.
const sessionEvents: Record<SessionEventName, true> = {
  'messages.new': true,
  'conversations.changed': true,
  'conversation.open': true,
  'outbox.settled': true,
  'conversations.removed': true,
};
export const isSessionEvent = (name: EventName): name is SessionEventName =>
  Object.hasOwn(sessionEvents, name);

export const invokeChannel = (name: OperationName): string => `cruddur:invoke:${name}`;
export const eventChannel = (name: EventName): string => `cruddur:event:${name}`;

type Method<N extends OperationName> =
  undefined extends OperationInput<N>
    ? (input?: OperationInput<N>) => Promise<Result<OperationOutput<N>>>
    : (input: OperationInput<N>) => Promise<Result<OperationOutput<N>>>;

/** The object the preload exposes as `window.api`. */
export type Api = { [N in OperationName]: Method<N> } & {
  on<E extends EventName>(event: E, listener: (payload: EventMap[E]) => void): () => void;
};
