import { randomUUID } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { Notifier } from '../../electron/main/notifier';
import { ConversationPoller, type PollSource } from '../../electron/main/poller';
import { tapPublish } from '../../electron/main/push-tap';
import { UnreadTally } from '../../electron/main/unread-tally';
import type { EventMap, EventName } from '../../shared/contract';
import type { ConversationView, MessageView, NewerItems } from '../../shared/messages';
import { groupSk, messageSk, type Person } from '../../shared/model';
import { DEFAULT_SETTINGS, type Settings } from '../../shared/settings';
import { captureLog } from '../support/log-capture';
import { createFakeElectron, FakeNotification } from './support/fake-electron';

const andrew: Person = { uuid: randomUUID(), handle: 'andrewbrown', display_name: 'Andrew Brown' };
const bayko: Person = { uuid: randomUUID(), handle: 'bayko', display_name: 'Bayko' };
const londo: Person = { uuid: randomUUID(), handle: 'londo', display_name: 'Londo' };

/** What is stored, as the poller reads it: a message list per conversation and my group items. */
class StoredNews implements PollSource {
  readonly messages = new Map<string, MessageView[]>();
  readonly groups = new Map<string, ConversationView>();
  private clock = Date.parse('2026-03-01T10:00:00.000Z');

  /** Stores a message from `from` in my conversation with `other`, as Patterns C and E would. */
  send(groupUuid: string, from: Person, other: Person, text: string): MessageView {
    const created_at = new Date((this.clock += 1_000)).toISOString();
    const message_uuid = randomUUID();
    const message: MessageView = {
      message_uuid,
      message: text,
      created_at,
      user_uuid: from.uuid,
      handle: from.handle,
      display_name: from.display_name,
      sk: messageSk(created_at, message_uuid),
    };
    this.messages.set(groupUuid, [...(this.messages.get(groupUuid) ?? []), message]);
    const before = this.groups.get(groupUuid)?.unread_count ?? 0;
    this.groups.set(groupUuid, {
      message_group_uuid: groupUuid,
      message: text,
      last_reply_at: created_at,
      user_uuid: other.uuid,
      handle: other.handle,
      display_name: other.display_name,
      sk: groupSk(created_at, groupUuid),
      unread_count: from.uuid === andrew.uuid ? before : before + 1,
    });
    return message;
  }

  async listMessagesAfter(_caller: Person, groupUuid: string, afterSk: string) {
    return newer((this.messages.get(groupUuid) ?? []).filter((m) => m.sk > afterSk));
  }

  async listConversationsAfter(_caller: Person, afterSk: string) {
    return newer(
      [...this.groups.values()].filter((g) => g.sk > afterSk).sort((a, b) => (a.sk < b.sk ? -1 : 1)),
    );
  }

  /** Pattern B's first page, newest first. */
  page(): ConversationView[] {
    return [...this.groups.values()].sort((a, b) => (a.sk < b.sk ? 1 : -1));
  }
}

const newer = <T>(items: T[]): NewerItems<T> => ({ items, has_more: false, consumed_capacity: 0 });

/**
 * The poller, the unread tally and the notifier wired as assembleBackend wires them, on Electron's
 * (fake) Notification, a window whose focus the test sets, and the settings the test sets.
 */
function desktop() {
  const fake = createFakeElectron();
  const store = new StoredNews();
  const pushed: { event: EventName; payload: unknown }[] = [];
  const record = <E extends EventName>(event: E, payload: EventMap[E]) => pushed.push({ event, payload });
  const state = { focused: true, settings: { ...DEFAULT_SETTINGS } as Settings };
  const showWindow = vi.fn();
  const unread = new UnreadTally(() => {});
  const notifier = new Notifier({
    notifications: {
      isSupported: () => fake.electron.Notification.isSupported(),
      create: (options) => new fake.electron.Notification(options),
    },
    settings: () => state.settings,
    isWatched: (groupUuid) => poller.watched() === groupUuid,
    isFocused: () => state.focused,
    unreadBefore: (session, groupUuid) => unread.unreadOf(session, groupUuid),
    showWindow,
    publish: record,
  });
  const push = tapPublish(record, { unread, notifier });
  const poller: ConversationPoller = new ConversationPoller({
    source: store,
    publish: push,
    isFocused: () => state.focused,
  });
  let session = '';
  return {
    store,
    state,
    showWindow,
    pushed,
    get session() {
      return session;
    },
    signIn(person: Person = andrew) {
      session = randomUUID();
      poller.reset({ id: session, person });
      unread.reset(session);
      notifier.reset({ id: session, personUuid: person.uuid });
    },
    /** The renderer loads the list (and the open conversation), as the handlers note them. */
    load(watch?: string) {
      const page = store.page();
      poller.noteConversations(session, page);
      unread.note(session, page);
      if (watch) {
        poller.noteMessages(session, watch, [...(store.messages.get(watch) ?? [])].reverse());
        poller.watch(session, watch);
      }
    },
    tick: () => poller.tick(),
    /** A push as the poller makes it (the tally and the notifier hear it first). */
    push,
    opened: () => pushed.filter((p) => p.event === 'conversation.open').map((p) => p.payload),
  };
}

const shown = () => FakeNotification.onScreen().map((n) => n.options);

let d: ReturnType<typeof desktop>;
let withBayko: string;
let withLondo: string;

beforeEach(() => {
  d = desktop();
  withBayko = randomUUID();
  withLondo = randomUUID();
  d.store.send(withBayko, andrew, bayko, 'hi Bayko');
  d.store.send(withLondo, londo, londo, 'hi Andrew');
  d.signIn();
  d.load();
});

describe('desktop notifications', () => {
  it('shows none for what the first load of the list holds, unread or not', async () => {
    await d.tick();
    expect(FakeNotification.made).toHaveLength(0);
  });

  it('shows the sender and the text of a message from someone else', async () => {
    d.store.send(withBayko, bayko, bayko, 'are you there?');
    await d.tick();
    expect(shown()).toEqual([{ title: 'Bayko', body: 'are you there?' }]);
  });

  it('on a click shows the window and opens the conversation, for the sign-in it was shown for', async () => {
    d.store.send(withBayko, bayko, bayko, 'are you there?');
    await d.tick();
    FakeNotification.made[0]!.emit('click');
    expect(d.showWindow).toHaveBeenCalledTimes(1);
    expect(d.opened()).toEqual([{ session: d.session, groupUuid: withBayko }]);
  });

  it("closes a sign-in's notifications when the next begins, and a late click opens nothing", async () => {
    d.store.send(withBayko, bayko, bayko, 'are you there?');
    await d.tick();
    const notification = FakeNotification.made[0]!;
    d.signIn(londo);
    expect(notification.closed).toBe(true);
    notification.emit('click');
    expect(d.opened()).toEqual([]);
  });

  it('shows none for my own message', async () => {
    d.store.send(withBayko, andrew, bayko, 'me again');
    await d.tick();
    d.state.focused = false;
    d.load(withBayko);
    d.store.send(withBayko, andrew, bayko, 'and from my phone');
    await d.tick();
    expect(d.pushed.map((p) => p.event)).toEqual(
      expect.arrayContaining(['messages.new', 'conversations.changed']),
    );
    expect(FakeNotification.made).toHaveLength(0);
  });

  it("shows the other member's message, not my later one, when both arrive at once", async () => {
    d.load(withBayko);
    d.state.focused = false;
    d.store.send(withBayko, bayko, bayko, 'from Bayko');
    d.store.send(withBayko, andrew, bayko, 'my answer from my phone');
    await d.tick();
    expect(FakeNotification.made.map((n) => n.options)).toEqual([{ title: 'Bayko', body: 'from Bayko' }]);
  });

  it('shows one notification for a message both pushes bring', async () => {
    d.load(withBayko);
    d.state.focused = false;
    d.store.send(withBayko, bayko, bayko, 'once');
    await d.tick();
    const events = d.pushed.map((p) => p.event);
    expect(events).toContain('messages.new');
    expect(events).toContain('conversations.changed');
    expect(FakeNotification.made.map((n) => n.options)).toEqual([{ title: 'Bayko', body: 'once' }]);
  });

  it('shows one notification for a message pushed again, by either push', async () => {
    const message = d.store.send(withLondo, londo, londo, 'just once');
    const group = d.store.groups.get(withLondo)!;
    d.push('messages.new', { session: d.session, groupUuid: withLondo, messages: [message] });
    d.push('conversations.changed', { session: d.session, conversations: [group] });
    d.push('messages.new', { session: d.session, groupUuid: withLondo, messages: [message] });
    d.push('conversations.changed', { session: d.session, conversations: [group] });
    expect(FakeNotification.made.map((n) => n.options)).toEqual([{ title: 'Londo', body: 'just once' }]);
  });

  it('shows none for a push of another sign-in', async () => {
    const message = d.store.send(withLondo, londo, londo, 'for someone else');
    d.push('messages.new', { session: randomUUID(), groupUuid: withLondo, messages: [message] });
    expect(FakeNotification.made).toHaveLength(0);
  });

  it('shows one notification per conversation for a burst, with the latest message', async () => {
    for (const text of ['one', 'two', 'three']) d.store.send(withBayko, bayko, bayko, text);
    d.store.send(withLondo, londo, londo, 'also me');
    await d.tick();
    d.store.send(withBayko, bayko, bayko, 'four');
    await d.tick();
    expect(shown()).toEqual(
      expect.arrayContaining([
        { title: 'Bayko', body: 'four' },
        { title: 'Londo', body: 'also me' },
      ]),
    );
    expect(shown()).toHaveLength(2);
  });

  it('shows none while the conversation is on screen in the focused window', async () => {
    d.load(withBayko);
    d.store.send(withBayko, bayko, bayko, 'you can see this');
    await d.tick();
    expect(FakeNotification.made).toHaveLength(0);
  });

  it('shows one while the conversation is open in a window that is not focused', async () => {
    d.load(withBayko);
    d.state.focused = false;
    d.store.send(withBayko, bayko, bayko, 'look here');
    await d.tick();
    expect(shown()).toEqual([{ title: 'Bayko', body: 'look here' }]);
  });

  it('shows only who wrote when the text is to stay hidden', async () => {
    d.state.settings = { ...DEFAULT_SETTINGS, notificationText: false };
    d.store.send(withBayko, bayko, bayko, 'a secret');
    await d.tick();
    expect(shown()).toEqual([{ title: 'Cruddur', body: 'New message from Bayko' }]);
  });

  it('shows none when notifications are off, or the desktop has none', async () => {
    d.state.settings = { ...DEFAULT_SETTINGS, notifications: false };
    d.store.send(withBayko, bayko, bayko, 'quiet');
    await d.tick();
    d.state.settings = { ...DEFAULT_SETTINGS };
    FakeNotification.supported = false;
    d.store.send(withLondo, londo, londo, 'quiet too');
    await d.tick();
    expect(FakeNotification.made).toHaveLength(0);
  });

  it('never writes message text to the log', async () => {
    const log = captureLog();
    d.store.send(withBayko, bayko, bayko, 'the secret plan');
    await d.tick();
    FakeNotification.made[0]!.emit('click');
    expect(log.text()).not.toContain('the secret plan');
  });
});
