import { randomBytes, randomUUID } from 'node:crypto';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import type { OperationName } from '../../shared/contract';
import type { ErrorCode } from '../../shared/result';

/**
 * The trust suite's hostile payloads for the message operations and the search, shared by the
 * IPC suite (tests/integration/hostile-payloads.test.ts) and the message API's HTTP suite
 * (tests/integration/api-http.test.ts), so both refuse the very same inputs.
 */
export const HUGE = 'x'.repeat(20 * 1024 * 1024);
export const MINUTE = 60_000;
export const DAY = 24 * 60 * MINUTE;

/** What the payloads refer to: made by each suite in its beforeAll. */
export interface HostileFixture {
  me: { handle: string; uuid: string };
  ann: Person;
  bob: Person;
  /** My conversation with ann, and one between ann and bob that I am not in. */
  mine: string;
  foreign: string;
  /** Real cursors: a page of my messages, of my conversations, of my other conversation (with bob). */
  messagesCursor: string;
  conversationsCursor: string;
  otherConversationCursor: string;
  /** A page of the foreign conversation, made by another app (another cursor secret) for ann. */
  foreignCursor: string;
}

/**
 * One character of the signature changed. Not the last one: a 32-byte HMAC's last base64url
 * character carries 2 bits that decoding drops, so A and B there can decode to the same bytes.
 */
export const tampered = (cursor: string) => {
  const at = cursor.length - 5;
  return cursor.slice(0, at) + (cursor[at] === 'A' ? 'B' : 'A') + cursor.slice(at + 1);
};
/** A UUID v7 whose time is `offsetMs` from now. */
export const uuidAt = (offsetMs: number) => newMessageUuid(Date.now() + offsetMs);
export const send = (fx: HostileFixture, over: Record<string, unknown> = {}) => ({
  groupUuid: fx.mine,
  messageUuid: newMessageUuid(),
  text: 'hostile',
  ...over,
});
export const start = (fx: HostileFixture, over: Record<string, unknown> = {}) => ({
  handle: fx.ann.handle,
  messageUuid: newMessageUuid(),
  text: 'hostile',
  ...over,
});
/** JSON as the renderer could build it: own "__proto__" and "constructor" keys survive IPC's structured clone. */
export const json = (text: string): unknown => JSON.parse(text);

/** How a payload is sent: from which frame (null: a destroyed one), or to a second app where nobody is signed in. */
export interface Via {
  from?: string | null;
  signedOut?: boolean;
}
export type Case = [what: string, expected: ErrorCode, payload: (fx: HostileFixture) => unknown, via?: Via];

export const fromEvil: Via = { from: 'https://evil.example/' };
export const signedOutApp: Via = { signedOut: true };
export const nobody = () => `nobody_${randomBytes(4).toString('hex')}`;

export type MessageOperationName =
  | 'searchUsers'
  | 'listConversations'
  | 'listMessages'
  | 'sendMessage'
  | 'startConversation'
  | 'markConversationRead';

export const messagePayloads: Record<MessageOperationName, Case[]> & Partial<Record<OperationName, Case[]>> =
  {
    searchUsers: [
      ['a NUL', 'Invalid', () => ({ query: 'an\u0000' })],
      ['a lone high surrogate', 'Invalid', () => ({ query: '\ud800' })],
      ['a lone low surrogate', 'Invalid', () => ({ query: '\udc00ann' })],
      ['a control character', 'Invalid', () => ({ query: 'ann\u0007' })],
      ['20 MB', 'Invalid', () => ({ query: HUGE })],
      ['a number', 'Invalid', () => ({ query: 42 })],
      ['a limit of its own', 'Invalid', () => ({ query: 'a', limit: 100_000 })],
      ['a valid search while signed out', 'Unauthenticated', () => ({ query: 'a' }), signedOutApp],
    ],
    listConversations: [
      ['a page of 0', 'Invalid', () => ({ limit: 0 })],
      ['a page of 101', 'Invalid', () => ({ limit: 101 })],
      ['a fractional page', 'Invalid', () => ({ limit: 2.5 })],
      ['an infinite page', 'Invalid', () => ({ limit: Infinity })],
      ['a page size as text', 'Invalid', () => ({ limit: '10' })],
      ['an empty cursor', 'Invalid', () => ({ cursor: '' })],
      ['a tampered cursor', 'Invalid', (fx) => ({ cursor: tampered(fx.conversationsCursor) })],
      ["a cursor of a conversation's messages", 'Invalid', (fx) => ({ cursor: fx.messagesCursor })],
      ["another app's cursor", 'Invalid', (fx) => ({ cursor: fx.foreignCursor })],
      ['a 20 MB cursor', 'Invalid', () => ({ cursor: HUGE })],
      ['a __proto__ key', 'Invalid', () => json('{"__proto__":{"limit":1}}')],
      ["someone else's partition", 'Invalid', (fx) => ({ pk: `GRP#${fx.ann.uuid}` })],
      ['null', 'Invalid', () => null],
      ['a valid call while signed out', 'Unauthenticated', () => ({}), signedOutApp],
    ],
    listMessages: [
      ['a conversation I am not in', 'Forbidden', (fx) => ({ groupUuid: fx.foreign })],
      ['a random v4 uuid', 'Forbidden', () => ({ groupUuid: randomUUID() })],
      ['not a uuid', 'Invalid', () => ({ groupUuid: 'MSG#anything' })],
      ['a NUL after the uuid', 'Invalid', (fx) => ({ groupUuid: `${fx.mine}\u0000` })],
      ['a number', 'Invalid', () => ({ groupUuid: 12345 })],
      [
        'a cursor of my conversations',
        'Invalid',
        (fx) => ({ groupUuid: fx.mine, cursor: fx.conversationsCursor }),
      ],
      [
        'a cursor of my other conversation',
        'Invalid',
        (fx) => ({ groupUuid: fx.mine, cursor: fx.otherConversationCursor }),
      ],
      ['a tampered cursor', 'Invalid', (fx) => ({ groupUuid: fx.mine, cursor: tampered(fx.messagesCursor) })],
      [
        "a foreign conversation with its own app's cursor",
        'Forbidden',
        (fx) => ({ groupUuid: fx.foreign, cursor: fx.foreignCursor }),
      ],
      ['someone to act as', 'Invalid', (fx) => ({ groupUuid: fx.mine, userUuid: fx.ann.uuid })],
      [
        'a forged cache cursor',
        'Invalid',
        (fx) => ({ groupUuid: fx.mine, cursor: 'cached:../../cursor.key' }),
      ],
      ['my conversation while signed out', 'Unauthenticated', (fx) => ({ groupUuid: fx.mine }), signedOutApp],
    ],
    sendMessage: [
      ['into a conversation I am not in', 'Forbidden', (fx) => send(fx, { groupUuid: fx.foreign })],
      ['into a random v4 uuid', 'Forbidden', (fx) => send(fx, { groupUuid: randomUUID() })],
      ['a v4 message uuid', 'Invalid', (fx) => send(fx, { messageUuid: randomUUID() })],
      ['a message uuid 80 years ahead', 'Invalid', (fx) => send(fx, { messageUuid: uuidAt(80 * 365 * DAY) })],
      ['a message uuid 10 minutes ahead', 'Invalid', (fx) => send(fx, { messageUuid: uuidAt(10 * MINUTE) })],
      ['a message uuid of 1970', 'Invalid', (fx) => send(fx, { messageUuid: newMessageUuid(1_000) })],
      ['a message uuid 30 days old', 'Invalid', (fx) => send(fx, { messageUuid: uuidAt(-30 * DAY) })],
      ['only invisible characters', 'Invalid', (fx) => send(fx, { text: '\u200b\u2060\u3164\ufeff\u2800' })],
      ['a NUL', 'Invalid', (fx) => send(fx, { text: 'hi\u0000there' })],
      [
        'an escape sequence',
        'Invalid',
        (fx) => send(fx, { text: '\u001b]8;;https://evil.example\u0007click' }),
      ],
      ['a direction override', 'Invalid', (fx) => send(fx, { text: 'invoice\u202egnp.exe' })],
      ['a direction isolate', 'Invalid', (fx) => send(fx, { text: 'a\u2067b' })],
      ['a lone surrogate', 'Invalid', (fx) => send(fx, { text: 'broken \ud83d' })],
      ['20 MB of text', 'Invalid', (fx) => send(fx, { text: HUGE })],
      ['1,025 characters', 'Invalid', (fx) => send(fx, { text: 'y'.repeat(1025) })],
      ['a sender of its own', 'Invalid', (fx) => send(fx, { user_uuid: fx.ann.uuid })],
      ['no text', 'Invalid', (fx) => ({ groupUuid: fx.mine, messageUuid: newMessageUuid() })],
      ['an object for the text', 'Invalid', (fx) => send(fx, { text: { toString: 'hi' } })],
      [
        'a __proto__ key',
        'Invalid',
        (fx) => json(`{"__proto__":{"user_uuid":"${fx.ann.uuid}"},${JSON.stringify(send(fx)).slice(1)}`),
      ],
      ['another site', 'Forbidden', (fx) => send(fx), fromEvil],
      ['into my conversation while signed out', 'Unauthenticated', (fx) => send(fx), signedOutApp],
      [
        'a NUL while signed out (Invalid first)',
        'Invalid',
        (fx) => send(fx, { text: '\u0000' }),
        signedOutApp,
      ],
    ],
    startConversation: [
      ['a NUL in the handle', 'Invalid', (fx) => start(fx, { handle: `${fx.ann.handle}\u0000` })],
      ['a lone surrogate in the handle', 'Invalid', (fx) => start(fx, { handle: `${fx.ann.handle}\udfff` })],
      ['a LIKE wildcard for the handle', 'Invalid', (fx) => start(fx, { handle: '%' })],
      ['an empty handle', 'Invalid', (fx) => start(fx, { handle: ' @ ' })],
      ['myself', 'Invalid', (fx) => start(fx, { handle: fx.me.handle })],
      ['an unknown handle', 'NotFound', (fx) => start(fx, { handle: nobody() })],
      ['only invisible characters', 'Invalid', (fx) => start(fx, { text: '\u115f\u1160\uffa0\u180e' })],
      ['a message uuid a day ahead', 'Invalid', (fx) => start(fx, { messageUuid: uuidAt(DAY) })],
      ['an extra field', 'Invalid', (fx) => start(fx, { created: true })],
      [
        'a constructor key',
        'Invalid',
        (fx) => json(`{"constructor":{},${JSON.stringify(start(fx)).slice(1)}`),
      ],
      ['to ann while signed out', 'Unauthenticated', (fx) => start(fx), signedOutApp],
    ],
    markConversationRead: [
      [
        'a conversation I am not in',
        'Forbidden',
        (fx) => ({ groupUuid: fx.foreign, upTo: newMessageUuid() }),
      ],
      ['a random v4 conversation', 'Forbidden', () => ({ groupUuid: randomUUID(), upTo: newMessageUuid() })],
      ['a v4 message uuid', 'Invalid', (fx) => ({ groupUuid: fx.mine, upTo: randomUUID() })],
      ['a message a day ahead', 'Invalid', (fx) => ({ groupUuid: fx.mine, upTo: uuidAt(DAY) })],
      ['no message', 'Invalid', (fx) => ({ groupUuid: fx.mine })],
      [
        'a count of its own',
        'Invalid',
        (fx) => ({ groupUuid: fx.mine, upTo: newMessageUuid(), unread_count: 0 }),
      ],
      ['another site', 'Forbidden', (fx) => ({ groupUuid: fx.mine, upTo: newMessageUuid() }), fromEvil],
      [
        'my conversation while signed out',
        'Unauthenticated',
        (fx) => ({ groupUuid: fx.mine, upTo: newMessageUuid() }),
        signedOutApp,
      ],
    ],
  };
