import type { EventMap } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import { createLogger } from '../../core/log';

const log = createLogger('notifier');

/** The slice of Electron's Notification the notifier uses (electron/main/ stays testable in Node). */
export interface NotificationLike {
  show(): void;
  close(): void;
  on(event: 'click' | 'close', listener: () => void): unknown;
}

/** Electron's Notification class, behind a function so the notifier never imports electron. */
export interface DesktopNotifications {
  /** False where the desktop has no notifications (then none is ever made). */
  isSupported(): boolean;
  create(options: { title: string; body: string }): NotificationLike;
}

export interface NotifierOptions {
  notifications: DesktopNotifications;
  settings(): Pick<Settings, 'notifications' | 'notificationText'>;
  /** Whether the conversation is the one on screen (the poller watches it for this sign-in). */
  isWatched(groupUuid: string): boolean;
  /** Whether the window is focused: a watched conversation is on screen only then. */
  isFocused(): boolean;
  /** The unread count the tally had before this push (undefined: the conversation is not known). */
  unreadBefore(session: string, groupUuid: string): number | undefined;
  /** Shows, restores and focuses the window. */
  showWindow(): void;
  publish(event: 'conversation.open', payload: EventMap['conversation.open']): void;
}

/** A sign-in as the notifier serves it: which pushes are its own, and whose messages are mine. */
export interface NotifierSession {
  id: string;
  personUuid: string;
}

/**
 * Desktop notifications for messages from someone else whose conversation is not on screen in a
 * focused window. It hears only what the poller pushes (never the first load of a list):
 * messages.new for the watched conversation (whose messages name their senders), and
 * conversations.changed for the others, where a conversation whose unread count went up has a new
 * message from its other member.
 *
 * Per conversation it remembers the newest message time it has handled, which both pushes move,
 * so a message is notified once whichever push brings it first; and a conversation has at most one
 * notification, replaced by the next, so a burst shows one with the latest message. Everything is
 * per sign-in: a new one closes what the previous showed. Message text goes only to the
 * notification, never to the log.
 */
export class Notifier {
  private session: NotifierSession | undefined;
  private readonly handledUpTo = new Map<string, string>();
  private readonly shown = new Map<string, NotificationLike>();

  constructor(private readonly options: NotifierOptions) {}

  /** Starts over for a new sign-in (undefined: nobody): closes every notification shown so far. */
  reset(session: NotifierSession | undefined): void {
    this.session = session;
    this.handledUpTo.clear();
    const shown = [...this.shown.values()];
    this.shown.clear();
    for (const notification of shown) notification.close();
  }

  /** The poller's messages.new (oldest first). */
  messagesArrived({ session, groupUuid, messages }: EventMap['messages.new']): void {
    const me = this.session;
    if (!me || session !== me.id || messages.length === 0) return;
    const handled = this.handledUpTo.get(groupUuid);
    const fresh = messages.filter(
      (m) => m.user_uuid !== me.personUuid && (!handled || m.created_at > handled),
    );
    this.handled(
      groupUuid,
      messages.map((m) => m.created_at),
    );
    const latest = fresh.reduce<(typeof fresh)[number] | undefined>(
      (newest, m) => (!newest || m.created_at > newest.created_at ? m : newest),
      undefined,
    );
    if (latest) this.notify(me.id, groupUuid, latest.display_name, latest.message);
  }

  /**
   * The poller's conversations.changed, heard before the tally takes it: an unread count above the
   * tally's (or above 0 for a conversation it does not know) is a new message from the other member.
   */
  conversationsChanged({ session, conversations }: EventMap['conversations.changed']): void {
    const me = this.session;
    if (!me || session !== me.id) return;
    for (const view of conversations) {
      const groupUuid = view.message_group_uuid;
      // The poller reads the watched conversation's messages in the same round: messages.new
      // says who wrote each, where a group item only holds the last text, perhaps my own.
      if (this.options.isWatched(groupUuid)) continue;
      const handled = this.handledUpTo.get(groupUuid);
      if (handled && view.last_reply_at <= handled) continue;
      this.handled(groupUuid, [view.last_reply_at]);
      const before = this.options.unreadBefore(session, groupUuid) ?? 0;
      if (view.unread_count > before) this.notify(me.id, groupUuid, view.display_name, view.message);
    }
  }

  private handled(groupUuid: string, times: readonly string[]): void {
    for (const time of times) {
      const known = this.handledUpTo.get(groupUuid);
      if (!known || time > known) this.handledUpTo.set(groupUuid, time);
    }
  }

  private notify(session: string, groupUuid: string, sender: string, text: string): void {
    const settings = this.options.settings();
    const onScreen = this.options.isWatched(groupUuid) && this.options.isFocused();
    if (!settings.notifications || onScreen) return;
    if (!this.options.notifications.isSupported()) return;
    const content = settings.notificationText
      ? { title: sender, body: text }
      : { title: 'Cruddur', body: `New message from ${sender}` };
    let notification: NotificationLike;
    try {
      notification = this.options.notifications.create(content);
    } catch (error) {
      log.warn('could not show a notification', { error: error instanceof Error ? error.name : 'unknown' });
      return;
    }
    const previous = this.shown.get(groupUuid);
    this.shown.set(groupUuid, notification);
    previous?.close();
    notification.on('click', () => this.open(session, groupUuid, notification));
    notification.on('close', () => this.forget(groupUuid, notification));
    notification.show();
  }

  private open(session: string, groupUuid: string, notification: NotificationLike): void {
    this.forget(groupUuid, notification);
    this.options.showWindow();
    // A notification of an earlier sign-in opens nothing of the next person's.
    if (this.session?.id === session) this.options.publish('conversation.open', { session, groupUuid });
  }

  private forget(groupUuid: string, notification: NotificationLike): void {
    if (this.shown.get(groupUuid) === notification) this.shown.delete(groupUuid);
  }
}
