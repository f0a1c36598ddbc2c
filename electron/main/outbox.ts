import { z } from 'zod';
import type { SecretStore } from '../../core/auth/session-store';
import { parseInput } from '../../core/input';
import { createLogger } from '../../core/log';
import {
  MAX_MESSAGE_RAW_LENGTH,
  MESSAGE_UUID_EXPIRED,
  SEND_QUEUED,
  type MessageView,
} from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import { messageCreatedAt } from '../../shared/message-text';
import { AppError, fail, isAppError, ok, type Result } from '../../shared/result';
import { isOfflineError } from './connectivity';
import { SealedDir } from './sealed-dir';

const log = createLogger('outbox');

/** The logical file of the SealedDir that holds the queue. */
export const OUTBOX_FILE = 'outbox';

export interface OutboxEntry {
  groupUuid: string;
  messageUuid: string;
  text: string;
  /** When it was sent in the app (ISO 8601). */
  created_at: string;
}

export interface OutboxOptions {
  /** The folder of the sealed folders; undefined (or no OS keyring): the queue lives in memory only. */
  root: string | undefined;
  personUuid: string;
  secrets: SecretStore;
  /** The message service's sendMessage for this person (idempotent by messageUuid). */
  send(entry: { groupUuid: string; messageUuid: string; text: string }): Promise<MessageView>;
  /**
   * Every entry that leaves the outbox, as first queued (its original uuid), with how it ended:
   * for the 'outbox.settled' push, whether the send() that queued it still waits or not.
   */
  settled(entry: OutboxEntry, outcome: Result<MessageView>): void;
  newUuid?(): string;
  /**
   * False while DynamoDB is known to be unreachable: a new send is queued without a try (the
   * connectivity monitor's probe drains the outbox when the connection is back).
   */
  isOnline?(): boolean;
}

const entrySchema = z.object({
  groupUuid: z.string().min(1).max(64),
  messageUuid: z.string().min(1).max(64),
  text: z.string().max(MAX_MESSAGE_RAW_LENGTH),
  created_at: z.string().max(64),
});

const storedOutbox = z.object({
  version: z.literal(1),
  entries: z.array(
    z.object({ entry: entrySchema, sendUuid: z.string().min(1).max(64), renewable: z.boolean() }),
  ),
});
type StoredOutbox = z.infer<typeof storedOutbox>;

/** One queued message. */
interface Queued {
  /** As first queued: its uuid is the one the renderer knows. */
  readonly entry: OutboxEntry;
  /** The uuid it is sent under: the original, or the one that replaced it when that expired. */
  sendUuid: string;
  /** Whether a write that holds it has finished: nothing is delivered before. */
  saved: boolean;
  /**
   * Whether its uuid was within the clock window when it was queued: only then may the outbox
   * send it under a new uuid when the old one has expired by the time it goes out. A message
   * handed in with an expired uuid is refused as the service refuses it.
   */
  renewable: boolean;
  /** How it left the outbox, once it has. */
  outcome?: { ok: true; value: MessageView } | { ok: false; error: unknown };
  /** The send() of it now waiting, which a duplicate joins. */
  waiting?: Promise<MessageView>;
}

/** Enough to answer a resend of a message delivered lately, by its original uuid. */
const REMEMBERED_DELIVERIES = 200;

/** A delivery stopped without the entry's fault (a write failed): it stays queued. */
class KeptQueued extends Error {}

const queuedError = (cause: unknown) =>
  new AppError('Unavailable', 'Offline: the message will be sent when the connection is back.', {
    reason: SEND_QUEUED,
    cause,
  });

/**
 * Every send of the app, kept on disk (sealed, in the person's SealedDir) until DynamoDB has it:
 * a message sent while the service cannot be reached is not lost when the app quits, and goes out
 * once the connection is back, in the order it was written.
 *
 * - One FIFO for all conversations, delivered one at a time: order per conversation is kept, and
 *   each entry is delivered once however send() and drain() interleave.
 * - An entry is on disk before its first delivery, and its uuid is what makes a delivery
 *   idempotent: after a crash, a resend meets the stored copy.
 * - An entry whose uuid has expired (the service checked that nothing is stored under it) gets a
 *   new uuid, written to disk BEFORE anything is sent under it: a crash then resends the new one,
 *   never the text under two uuids.
 * - A connection failure or a throttling keeps the queue; any other refusal is for good: the entry
 *   leaves with that error.
 */
export class Outbox {
  private readonly queue: Queued[] = [];
  /** Original uuid -> what was delivered (text and stored message), the latest few. */
  private readonly delivered = new Map<string, { text: string; value: MessageView }>();
  /** The chain of disk writes, one after the other, each of the queue as it is then. */
  private writes: Promise<unknown> = Promise.resolve();
  /** The delivery pass running now, and the one that will run after it (which new callers join). */
  private running: Promise<unknown> = Promise.resolve();
  private nextPass: Promise<unknown> | undefined;
  private closed = false;
  private wiped = false;
  private readonly newUuid: () => string;

  private constructor(
    private readonly options: OutboxOptions,
    private readonly dir: SealedDir | undefined,
  ) {
    this.newUuid = options.newUuid ?? (() => newMessageUuid());
  }

  /** Opens the person's outbox with what an earlier run left queued. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const dir =
      options.root === undefined
        ? undefined
        : await SealedDir.open(options.root, options.personUuid, options.secrets);
    const outbox = new Outbox(options, dir);
    const stored = await dir?.read(OUTBOX_FILE, 'the outbox');
    if (stored !== undefined) {
      const parsed = storedOutbox.safeParse(stored);
      if (parsed.success) {
        for (const { entry, sendUuid, renewable } of parsed.data.entries)
          outbox.queue.push({ entry, sendUuid, renewable, saved: true });
      } else {
        log.warn('the outbox file is not in the expected form; it was discarded');
        await dir?.remove(OUTBOX_FILE);
      }
    }
    if (outbox.queue.length > 0)
      log.info('messages are waiting in the outbox', { count: outbox.queue.length });
    return outbox;
  }

  /** What is queued, oldest first, as first queued. */
  entries(): OutboxEntry[] {
    return this.queue.map(({ entry }) => ({ ...entry }));
  }

  /**
   * Queues the message (resolving only once the file holds it), then delivers it behind whatever
   * is queued. Answers the stored message, or rejects with the refusal that removed it, or with
   * SEND_QUEUED when it stays queued (no connection, or throttled). A send of a message already
   * queued joins it.
   */
  send(input: OutboxEntry): Promise<MessageView> {
    if (this.closed) return Promise.reject(this.closedError());
    let entry: OutboxEntry;
    try {
      entry = parseInput(entrySchema, input);
    } catch (error) {
      return Promise.reject(error);
    }
    const known = this.find(entry.messageUuid);
    if (known && known.entry.text !== entry.text) {
      return Promise.reject(
        new AppError(
          'Conflict',
          `message uuid ${entry.messageUuid} was already used for a different message; make a new uuid`,
        ),
      );
    }
    if (known?.waiting) return known.waiting;
    const recent = this.delivered.get(entry.messageUuid);
    if (!known && recent?.text === entry.text) return Promise.resolve(recent.value);

    const queued = known ?? {
      entry,
      sendUuid: entry.messageUuid,
      saved: false,
      renewable: messageCreatedAt(entry.messageUuid, Date.now()).ok,
    };
    const waiting = this.attempt(queued, !known);
    queued.waiting = waiting;
    const forget = () => {
      if (queued.waiting === waiting) queued.waiting = undefined;
    };
    waiting.then(forget, forget);
    return waiting;
  }

  /**
   * Delivers everything queued, in order. Stops at the first entry that cannot go now and rejects
   * with why (an offline error, a throttling), so a connectivity probe that drains learns whether
   * the service could be reached; resolves once the queue is empty. A caller that only wants the
   * queue to move must catch.
   */
  async drain(): Promise<void> {
    if (this.closed) return;
    const stopped = await this.pass();
    if (stopped !== undefined) throw stopped;
  }

  /**
   * Sign-out: forgets the queue and deletes its file (a delivery in flight settles nothing). The
   * folder and its key are shared with the message cache: deleting them is the sign-out's.
   */
  async wipe(): Promise<void> {
    this.closed = true;
    this.wiped = true;
    this.queue.length = 0;
    this.delivered.clear();
    await this.writes;
    await this.dir?.remove(OUTBOX_FILE);
  }

  /** Quitting: no more deliveries or writes; what is queued stays on disk for the next run. */
  async close(): Promise<void> {
    this.closed = true;
    await this.writes;
  }

  private async attempt(queued: Queued, isNew: boolean): Promise<MessageView> {
    if (isNew) {
      this.queue.push(queued);
      try {
        await this.persist();
      } catch (error) {
        if (!queued.saved) this.drop(queued);
        log.error(
          'a message could not be written to the outbox',
          error instanceof Error ? error : String(error),
        );
        throw new AppError('Internal', 'The message could not be kept for sending; try again.', {
          cause: error,
        });
      }
      // Known to be offline: no try (it would only wait for the connection to fail again).
      if (this.options.isOnline?.() === false) throw queuedError(undefined);
    }
    const stopped = await this.pass();
    const { outcome } = queued;
    if (outcome?.ok) return outcome.value;
    if (outcome) throw outcome.error;
    if (this.wiped) throw new AppError('Unavailable', 'Signed out before the message was confirmed as sent.');
    throw queuedError(stopped ?? this.closedError());
  }

  /**
   * A delivery pass: the one waiting to run after the current one, or a new one. Every pass
   * starts after its callers queued their entries, and passes never overlap: one delivery at a time.
   */
  private pass(): Promise<unknown> {
    if (this.nextPass) return this.nextPass;
    const next = this.running.then(() => {
      if (this.nextPass === next) this.nextPass = undefined;
      return this.deliverQueued();
    });
    this.nextPass = next;
    this.running = next.catch(() => {});
    return next;
  }

  /** Delivers from the head on; answers why it stopped, or undefined when nothing is left that can go. */
  private async deliverQueued(): Promise<unknown> {
    for (;;) {
      const head = this.queue[0];
      // An entry not yet on disk is not sent: its own send() runs a pass once it is.
      if (this.closed || !head?.saved) return undefined;
      let value: MessageView;
      try {
        value = await this.deliver(head);
      } catch (error) {
        if (this.closed) return undefined;
        if (error instanceof KeptQueued) return error.cause;
        if (isOfflineError(error) || (isAppError(error) && error.code === 'Unavailable')) return error;
        await this.leave(head, { ok: false, error });
        continue;
      }
      if (this.closed) return undefined;
      this.remember(head.entry, value);
      await this.leave(head, { ok: true, value });
    }
  }

  /** Sends one entry; an expired uuid is renewed once (on disk first), then sent again. */
  private async deliver(queued: Queued): Promise<MessageView> {
    const { groupUuid, text } = queued.entry;
    for (let renewed = false; ; renewed = true) {
      try {
        return await this.options.send({ groupUuid, messageUuid: queued.sendUuid, text });
      } catch (error) {
        // A new uuid that has expired too says this computer's clock is off: that is for good.
        const expired = isAppError(error) && error.reason === MESSAGE_UUID_EXPIRED;
        if (renewed || !queued.renewable || !expired) throw error;
      }
      if (this.closed) throw new KeptQueued('closed');
      const previous = queued.sendUuid;
      queued.sendUuid = this.newUuid();
      try {
        await this.persist();
      } catch (error) {
        queued.sendUuid = previous;
        log.error('a renewed message uuid could not be written; the message stays queued', {
          error: error instanceof Error ? error.message : String(error),
        });
        throw new KeptQueued('the outbox could not be written', { cause: error });
      }
      log.info('a queued message had an expired uuid; it is sent under a new one');
    }
  }

  /** Takes a delivered or refused entry off the queue and the file, then reports it. */
  private async leave(queued: Queued, outcome: NonNullable<Queued['outcome']>): Promise<void> {
    queued.outcome = outcome;
    this.drop(queued);
    try {
      await this.persist();
    } catch (error) {
      // Harmless: the next write drops it, and a resend after a crash meets the stored copy.
      log.warn('the outbox could not be written after a delivery', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    if (this.closed) return;
    try {
      this.options.settled({ ...queued.entry }, outcome.ok ? ok(outcome.value) : failure(outcome.error));
    } catch (error) {
      log.error('reporting a settled message failed', error instanceof Error ? error : String(error));
    }
  }

  /** Writes the queue as it is when the write begins, after every write before it. */
  private persist(): Promise<void> {
    const write = this.writes.then(async () => {
      const dir = this.dir;
      if (this.wiped) return;
      const snapshot = [...this.queue];
      if (dir) {
        if (snapshot.length === 0) await dir.remove(OUTBOX_FILE);
        else {
          const stored: StoredOutbox = {
            version: 1,
            entries: snapshot.map(({ entry, sendUuid, renewable }) => ({ entry, sendUuid, renewable })),
          };
          await dir.write(OUTBOX_FILE, stored);
        }
      }
      for (const queued of snapshot) queued.saved = true;
    });
    this.writes = write.catch(() => {});
    return write;
  }

  private find(messageUuid: string): Queued | undefined {
    return this.queue.find(
      (queued) => queued.entry.messageUuid === messageUuid || queued.sendUuid === messageUuid,
    );
  }

  private drop(queued: Queued): void {
    const index = this.queue.indexOf(queued);
    if (index >= 0) this.queue.splice(index, 1);
  }

  private remember(entry: OutboxEntry, value: MessageView): void {
    this.delivered.delete(entry.messageUuid);
    this.delivered.set(entry.messageUuid, { text: entry.text, value });
    if (this.delivered.size > REMEMBERED_DELIVERIES)
      this.delivered.delete(this.delivered.keys().next().value!);
  }

  private closedError(): AppError {
    return new AppError('Unavailable', 'The outbox is closed; the message was not sent.');
  }
}

/** A refusal as the renderer gets it: an AppError's own words, anything else as Internal. */
function failure(error: unknown): Result<never> {
  if (isAppError(error)) return fail(error.code, error.message, error.reason);
  return fail('Internal', 'The message could not be sent.');
}
