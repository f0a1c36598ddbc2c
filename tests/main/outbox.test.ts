import { randomUUID } from 'node:crypto';
import { access, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { toAppError } from '../../core/errors';
import { Outbox, OUTBOX_FILE, type OutboxEntry, type OutboxOptions } from '../../electron/main/outbox';
import { SealedDir } from '../../electron/main/sealed-dir';
import { MESSAGE_UUID_EXPIRED, SEND_QUEUED, type MessageView } from '../../shared/messages';
import { newMessageUuid } from '../../shared/message-uuid';
import { AppError, type Result } from '../../shared/result';
import { captureLog } from '../support/log-capture';
import { TestCipher } from '../support/test-cipher';

const me = randomUUID();
const groupA = randomUUID();
const groupB = randomUUID();

type SendInput = { groupUuid: string; messageUuid: string; text: string };

/**
 * The message service as the outbox sees it, scripted: stores by uuid (a resend answers the
 * stored copy), cannot be reached while `reachable` is false, refuses what `refuse` says, and
 * answers MESSAGE_UUID_EXPIRED for the uuids in `expired` that it does not hold. `hold` keeps
 * each send in flight until released.
 */
class ScriptedService {
  reachable = true;
  readonly calls: SendInput[] = [];
  readonly stored = new Map<string, MessageView>();
  readonly expired = new Set<string>();
  refuse: ((input: SendInput) => AppError | undefined) | undefined;
  hold = false;
  private readonly held: (() => void)[] = [];
  onCall: ((input: SendInput) => Promise<void>) | undefined;

  send = async (input: SendInput): Promise<MessageView> => {
    this.calls.push(input);
    await this.onCall?.(input);
    if (this.hold) await new Promise<void>((resolve) => this.held.push(resolve));
    if (!this.reachable) {
      throw toAppError(
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8000'), { code: 'ECONNREFUSED' }),
        'DynamoDB',
      );
    }
    const refusal = this.refuse?.(input);
    if (refusal) throw refusal;
    const known = this.stored.get(input.messageUuid);
    if (known) return known;
    if (this.expired.has(input.messageUuid)) {
      throw new AppError('Invalid', 'the uuid is outside the window', { reason: MESSAGE_UUID_EXPIRED });
    }
    const view: MessageView = {
      message_uuid: input.messageUuid,
      message: input.text,
      created_at: new Date().toISOString(),
      user_uuid: me,
      handle: 'andrew',
      display_name: 'Andrew',
      sk: `${new Date().toISOString()}#${input.messageUuid}`,
    };
    this.stored.set(input.messageUuid, view);
    return view;
  };

  /** Lets every held send go on. */
  release(): void {
    this.hold = false;
    for (const resolve of this.held.splice(0)) resolve();
  }

  /** The uuids stored, in the order they were stored. */
  delivered(): string[] {
    return [...this.stored.keys()];
  }
}

let root: string;
let cipher: TestCipher;
let service: ScriptedService;
let settled: { entry: OutboxEntry; outcome: Result<MessageView> }[];
const opened: Outbox[] = [];

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'cruddur-outbox-'));
  cipher = new TestCipher();
  service = new ScriptedService();
  settled = [];
  captureLog();
});
afterEach(async () => {
  for (const outbox of opened.splice(0)) await outbox.close();
  await rm(root, { recursive: true, force: true });
});

async function open(options: Partial<OutboxOptions> = {}): Promise<Outbox> {
  const outbox = await Outbox.open({
    root,
    personUuid: me,
    secrets: cipher,
    send: service.send,
    settled: (entry, outcome) => settled.push({ entry, outcome }),
    ...options,
  });
  opened.push(outbox);
  return outbox;
}

/** A second outbox on the same folder, as the next launch would open it (its sends go nowhere). */
const reopened = () => open({ send: () => new Promise<MessageView>(() => {}), settled: () => {} });

const entry = (text: string, groupUuid = groupA): OutboxEntry => ({
  groupUuid,
  messageUuid: newMessageUuid(),
  text,
  created_at: new Date().toISOString(),
});

const queuedRejection = { code: 'Unavailable', reason: SEND_QUEUED };

describe('outbox', () => {
  it('holds an entry on disk while its delivery is in flight, and drops it after', async () => {
    const outbox = await open();
    const message = entry('on disk before it goes');
    service.hold = true;
    const sending = outbox.send(message);
    await vi.waitFor(() => expect(service.calls).toHaveLength(1));

    expect((await reopened()).entries()).toEqual([message]);
    service.release();
    await expect(sending).resolves.toMatchObject({
      message_uuid: message.messageUuid,
      message: message.text,
    });
    expect((await reopened()).entries()).toEqual([]);
    expect(settled).toEqual([
      { entry: message, outcome: { ok: true, value: service.stored.get(message.messageUuid) } },
    ]);
  });

  it('keeps no text in the clear on disk', async () => {
    service.reachable = false;
    const outbox = await open();
    await outbox.send(entry('my bank PIN is 4821')).catch(() => {});
    const dir = SealedDir.dirOf(root, me);
    const bytes = Buffer.concat(
      await Promise.all((await readdir(dir)).map((name) => readFile(join(dir, name)))),
    );
    expect(bytes.length).toBeGreaterThan(0);
    expect(bytes.toString('latin1')).not.toContain('4821');
  });

  it('queues a send while offline (SEND_QUEUED), and a later drain delivers it once and settles it', async () => {
    service.reachable = false;
    const outbox = await open();
    const message = entry('sent in a tunnel');
    await expect(outbox.send(message)).rejects.toMatchObject(queuedRejection);
    expect(outbox.entries()).toEqual([message]);
    expect(settled).toEqual([]);

    service.reachable = true;
    await outbox.drain();
    await outbox.drain();
    expect(service.calls.filter((call) => call.messageUuid === message.messageUuid)).toHaveLength(2);
    expect(service.delivered()).toEqual([message.messageUuid]);
    expect(outbox.entries()).toEqual([]);
    expect(settled).toEqual([
      { entry: message, outcome: { ok: true, value: service.stored.get(message.messageUuid) } },
    ]);
  });

  it('rejects drain with the offline error that stopped it, keeping the queue', async () => {
    service.reachable = false;
    const outbox = await open();
    await outbox.send(entry('one')).catch(() => {});
    await expect(outbox.drain()).rejects.toMatchObject({ code: 'Unavailable' });
    expect(outbox.entries()).toHaveLength(1);
  });

  it('keeps the order across offline and online, in every conversation', async () => {
    service.reachable = false;
    const outbox = await open();
    const first = entry('1', groupA);
    const second = entry('2', groupB);
    const third = entry('3', groupA);
    await expect(outbox.send(first)).rejects.toMatchObject(queuedRejection);
    await expect(outbox.send(second)).rejects.toMatchObject(queuedRejection);
    expect(outbox.entries().map((e) => e.text)).toEqual(['1', '2']);

    service.reachable = true;
    // A send once online goes behind what waited.
    await expect(outbox.send(third)).resolves.toMatchObject({ message: '3' });
    expect(service.delivered()).toEqual([first.messageUuid, second.messageUuid, third.messageUuid]);
    expect(settled.map(({ entry: e }) => e.text)).toEqual(['1', '2', '3']);
  });

  it('keeps a throttled send queued (SEND_QUEUED too)', async () => {
    const outbox = await open();
    service.refuse = () =>
      toAppError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }), 'DynamoDB');
    const message = entry('slow down');
    await expect(outbox.send(message)).rejects.toMatchObject(queuedRejection);
    expect(outbox.entries()).toEqual([message]);
    service.refuse = undefined;
    await outbox.drain();
    expect(service.delivered()).toEqual([message.messageUuid]);
  });

  it('removes an entry refused for good and settles it with the error; those behind it go on', async () => {
    service.reachable = false;
    const outbox = await open();
    const refused = entry('not a member any more', groupB);
    const next = entry('still fine', groupA);
    await outbox.send(refused).catch(() => {});
    await outbox.send(next).catch(() => {});

    service.reachable = true;
    const forbidden = new AppError('Forbidden', 'you are not a member of this conversation');
    service.refuse = (input) => (input.groupUuid === groupB ? forbidden : undefined);
    await outbox.drain();
    expect(outbox.entries()).toEqual([]);
    expect(service.delivered()).toEqual([next.messageUuid]);
    expect(settled).toEqual([
      { entry: refused, outcome: { ok: false, error: { code: 'Forbidden', message: forbidden.message } } },
      { entry: next, outcome: { ok: true, value: service.stored.get(next.messageUuid) } },
    ]);

    // A send refused at once rejects with the refusal itself.
    const again = entry('no', groupB);
    await expect(outbox.send(again)).rejects.toBe(forbidden);
    expect(settled.at(-1)).toMatchObject({
      entry: again,
      outcome: { ok: false, error: { code: 'Forbidden' } },
    });
    expect((await reopened()).entries()).toEqual([]);
  });

  it('renews an expired uuid on disk before sending under it, and settles with the original', async () => {
    const renewed = newMessageUuid();
    const outbox = await open({ newUuid: () => renewed });
    const message = entry('queued for too long');
    service.expired.add(message.messageUuid);
    // Crash right as the renewed send goes out: the next launch sends the renewed uuid, never the old.
    const seenOnDisk: string[] = [];
    service.onCall = async (input) => {
      if (input.messageUuid !== renewed) return;
      const next = new ScriptedService();
      const crashed = await open({ send: next.send, settled: () => {} });
      await crashed.drain();
      seenOnDisk.push(...next.calls.map((call) => call.messageUuid));
      await crashed.close();
    };

    const value = await outbox.send(message);
    expect(service.calls.map((call) => call.messageUuid)).toEqual([message.messageUuid, renewed]);
    expect(seenOnDisk).toEqual([renewed]);
    expect(value).toMatchObject({ message_uuid: renewed, message: message.text });
    expect(settled).toEqual([{ entry: message, outcome: { ok: true, value } }]);
  });

  it('refuses a message handed in with an already expired uuid, as the service does, renewing nothing', async () => {
    const renewed = newMessageUuid();
    const outbox = await open({ newUuid: () => renewed });
    const stale = { ...entry('from an hour ago'), messageUuid: newMessageUuid(Date.now() - 3_600_000) };
    service.expired.add(stale.messageUuid);
    await expect(outbox.send(stale)).rejects.toMatchObject({ code: 'Invalid', reason: MESSAGE_UUID_EXPIRED });
    expect(service.calls.map((call) => call.messageUuid)).toEqual([stale.messageUuid]);
    expect(service.delivered()).toEqual([]);
    expect(outbox.entries()).toEqual([]);
  });

  it('queues a send without trying while the connection is known to be down', async () => {
    let online = false;
    const outbox = await open({ isOnline: () => online });
    const message = entry('written on a train');
    await expect(outbox.send(message)).rejects.toMatchObject(queuedRejection);
    expect(service.calls).toEqual([]);
    expect((await reopened()).entries()).toEqual([message]);
    online = true;
    await outbox.drain();
    expect(service.delivered()).toEqual([message.messageUuid]);
  });

  it('refuses for good when the renewed uuid has expired too (the clock is off)', async () => {
    const renewed = newMessageUuid();
    const outbox = await open({ newUuid: () => renewed });
    const message = entry('clock off');
    service.expired.add(message.messageUuid).add(renewed);
    await expect(outbox.send(message)).rejects.toMatchObject({
      code: 'Invalid',
      reason: MESSAGE_UUID_EXPIRED,
    });
    expect(service.calls).toHaveLength(2);
    expect(outbox.entries()).toEqual([]);
    expect(settled).toEqual([
      {
        entry: message,
        outcome: {
          ok: false,
          error: { code: 'Invalid', message: expect.any(String), reason: MESSAGE_UUID_EXPIRED },
        },
      },
    ]);
  });

  it('keeps what is queued through a close and a reopen', async () => {
    service.reachable = false;
    const outbox = await open();
    const first = entry('first', groupA);
    const second = entry('second\nline', groupB);
    await outbox.send(first).catch(() => {});
    await outbox.send(second).catch(() => {});
    await outbox.close();

    service.reachable = true;
    const next = await open();
    expect(next.entries()).toEqual([first, second]);
    await next.drain();
    expect(service.delivered()).toEqual([first.messageUuid, second.messageUuid]);
    expect((await reopened()).entries()).toEqual([]);
  });

  it('forgets everything and deletes its file on wipe', async () => {
    service.reachable = false;
    const outbox = await open();
    await outbox.send(entry('sign me out')).catch(() => {});
    const file = (await SealedDir.open(root, me, cipher))!.pathOf(OUTBOX_FILE);
    await expect(access(file)).resolves.toBeUndefined();

    await outbox.wipe();
    expect(outbox.entries()).toEqual([]);
    await expect(access(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await reopened()).entries()).toEqual([]);
    await expect(outbox.send(entry('after'))).rejects.toMatchObject({ code: 'Unavailable' });
    expect(settled).toEqual([]);
  });

  it('keeps the queue in memory only without an OS keyring', async () => {
    cipher.backend = 'basic_text';
    service.reachable = false;
    const outbox = await open();
    const message = entry('not on disk');
    await expect(outbox.send(message)).rejects.toMatchObject(queuedRejection);
    expect(outbox.entries()).toEqual([message]);
    expect(await readdir(root)).toEqual([]);
    expect((await reopened()).entries()).toEqual([]);

    service.reachable = true;
    await outbox.drain();
    expect(service.delivered()).toEqual([message.messageUuid]);
  });

  it('delivers each entry once when drains and sends (duplicates too) run at once', async () => {
    service.reachable = false;
    const outbox = await open();
    const waiting = [entry('a'), entry('b', groupB)];
    for (const message of waiting) await outbox.send(message).catch(() => {});

    const offlineTries = service.calls.length;
    service.reachable = true;
    service.hold = true;
    const fresh = entry('c');
    const all = Promise.allSettled([
      outbox.drain(),
      outbox.send(fresh),
      outbox.drain(),
      outbox.send(waiting[1]!),
      outbox.send(fresh),
      outbox.drain(),
    ]);
    await vi.waitFor(() => expect(service.calls).toHaveLength(offlineTries + 1));
    service.release();
    const outcomes = await all;

    expect(outcomes.map((outcome) => outcome.status)).toEqual(Array(6).fill('fulfilled'));
    const uuids = [...waiting, fresh].map((message) => message.messageUuid);
    expect(service.calls.filter((call) => !uuids.includes(call.messageUuid))).toEqual([]);
    // Once online, one call each.
    expect(service.calls.slice(offlineTries).map((call) => call.messageUuid)).toEqual(uuids);
    expect(settled.map(({ entry: e }) => e.messageUuid)).toEqual(uuids);
  });

  it('joins a duplicate send of an entry in flight, and refuses the same uuid with other text', async () => {
    const outbox = await open();
    const message = entry('once');
    service.hold = true;
    const first = outbox.send(message);
    const second = outbox.send({ ...message });
    await expect(outbox.send({ ...message, text: 'other' })).rejects.toMatchObject({ code: 'Conflict' });
    service.release();
    const [a, b] = await Promise.all([first, second]);
    expect(b).toEqual(a);
    expect(service.calls).toHaveLength(1);
    expect(settled).toHaveLength(1);
  });

  it('refuses an entry that is not one (Invalid), queueing nothing', async () => {
    const outbox = await open();
    await expect(outbox.send({ groupUuid: groupA } as unknown as OutboxEntry)).rejects.toMatchObject({
      code: 'Invalid',
    });
    expect(outbox.entries()).toEqual([]);
    expect(service.calls).toEqual([]);
  });
});
