import type { EventMap, EventName } from '../../shared/contract';
import { createLogger } from '../../core/log';
import type { Notifier } from './notifier';
import type { UnreadTally } from './unread-tally';

const log = createLogger('push');

export type Publish = <E extends EventName>(event: E, payload: EventMap[E]) => void;

/** One push, as its event name and payload together (so a test of the name narrows the payload). */
type Pushed = { [E in EventName]: { event: E; payload: EventMap[E] } }[EventName];

function observe({ event, payload }: Pushed, unread: UnreadTally, notifier: Notifier | undefined): void {
  if (event === 'messages.new') notifier?.messagesArrived(payload);
  if (event === 'conversations.changed') {
    // The notifier compares with the counts before this push, so it hears it before the tally.
    notifier?.conversationsChanged(payload);
    unread.note(payload.session, payload.conversations);
  }
}

/**
 * `publish` as the poller gets it: the unread tally and the notifier hear each push first, since
 * what is new to the renderer is what is new to them. What they throw never stops a push.
 */
export function tapPublish(
  publish: Publish,
  listeners: { unread: UnreadTally; notifier: Notifier | undefined },
): Publish {
  return (event, payload) => {
    try {
      observe({ event, payload } as Pushed, listeners.unread, listeners.notifier);
    } catch (error) {
      log.error('a push could not be observed', { event, error });
    }
    publish(event, payload);
  };
}
