import type { EventMap, EventName } from '../../shared/contract';
import { createLogger } from '../../core/log';
import type { Notifier } from './notifier';
import type { UnreadTally } from './unread-tally';

const log = createLogger('push');

export type Publish = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** One push, as its event name and payload together (so a test of the name narrows the payload). */
type Pushed = { [E in EventName]: { event: E; payload: EventMap[E] } }[EventName];

/** The pushes of the poller's news. */
export type NewsPush = Extract<Pushed, { event: 'messages.new' | 'conversations.changed' }>;

interface Listeners {
  unread: UnreadTally;
  notifier: Notifier | undefined;
  /** The message cache of the push's session keeps the news. */
  heard?(push: NewsPush): void;
}

function observe(push: Pushed, { unread, notifier, heard }: Listeners): void {
  const { event, payload } = push;
  if (event === 'messages.new') notifier?.messagesArrived(payload);
  if (event === 'conversations.changed') {
    // The notifier compares with the counts before this push, so it hears it before the tally.
    notifier?.conversationsChanged(payload);
    unread.note(payload.session, payload.conversations);
  }
  if (push.event === 'messages.new' || push.event === 'conversations.changed') heard?.(push);
}

/**
 * `publish` as the poller gets it: the unread tally, the notifier and the cache hear each push first, since
 * what is new to the renderer is what is new to them. What they throw never stops a push.
 */
export function tapPublish(publish: Publish, listeners: Listeners): Publish {
  return (event, payload) => {
    try {
      observe({ event, payload } as Pushed, listeners);
    } catch (error) {
      log.error('a push could not be observed', { event, error });
    }
    publish(event, payload);
  };
}
