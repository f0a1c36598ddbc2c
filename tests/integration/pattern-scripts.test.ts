import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { conversationUuidFor } from '../../core/messages/conversation-id';
import { startStreamWorker, type StreamWorker } from '../../scripts/local/stream-worker';
import { EXIT_CODES } from '../../scripts/cli/cli';
import { openPatternSession, type PatternSession } from '../../scripts/patterns/script';
import { newMessageUuid } from '../../shared/message-uuid';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { cloudEnv, runScript, type ScriptResult } from '../support/cloud';
import { freePort } from '../support/local-cloud-setup';
import {
  countItems,
  createPeople,
  messageTestBed,
  percentile,
  waitFor,
  type MessageTestBed,
} from '../support/messages';

const MESSAGE_KEYS = ['created_at', 'display_name', 'handle', 'message', 'message_uuid', 'user_uuid'];
const GROUP_KEYS = [
  'display_name',
  'handle',
  'last_reply_at',
  'message',
  'message_group_uuid',
  'unread_count',
  'user_uuid',
];
const ISO_8601 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

interface PageOutput {
  items: Record<string, unknown>[];
  cursor: string | null;
  consumed_capacity: number;
}

function parsed<T>(result: ScriptResult): T {
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as T;
}

/** One line on stderr, `error: …`, and nothing that looks like a stack trace. */
function expectOneLineError(result: ScriptResult, code: number, pattern: RegExp): void {
  expect(result.code, result.stderr).toBe(code);
  expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
  expect(result.stderr).toMatch(/^error: /);
  expect(result.stderr).toMatch(pattern);
  expect(result.stdout).toBe('');
}

let bed: MessageTestBed;
let worker: StreamWorker;
let env: Record<string, string>;
let ann: Person, ben: Person, cal: Person, dee: Person, eve: Person;
let groupUuid: string;
/** What the first test sends into ann↔ben; the paging test reads it back as the newest message. */
let sentText: string;

const script = (name: string, args: string[], extra: Record<string, string> = {}) =>
  runScript(name, args, { ...env, ...extra });
const latestGroup = async (person: Person) =>
  (await bed.service.listConversations(person, { limit: 1 })).items[0];

beforeAll(async () => {
  bed = await messageTestBed('pattern-scripts');
  env = cloudEnv({ CRUDDUR_TABLE: bed.config.tableName });
  const stateFile = join(await mkdtemp(join(tmpdir(), 'pattern-scripts-')), 'position.json');
  worker = await startStreamWorker({ config: bed.config, stateFile });
  [ann, ben, cal, dee, eve] = (await createPeople(bed.pool, ['ann', 'ben', 'cal', 'dee', 'eve'])) as [
    Person,
    Person,
    Person,
    Person,
    Person,
  ];
  const send = (from: Person, to: Person, text: string) =>
    bed.service.startConversation(from, { handle: to.handle, messageUuid: newMessageUuid(), text });
  // ann↔cal first, so ann↔ben holds the newer reply in ann's list.
  await send(ann, cal, 'with cal');
  ({ message_group_uuid: groupUuid } = await send(ann, ben, 'm0'));
  await send(ben, ann, 'm1');
  await send(ann, ben, 'm2');
});

afterAll(async () => {
  await worker?.stop();
  await bed?.close();
});

describe('the pattern scripts, as an admin runs them', () => {
  it('create-message twice with one --message-uuid stores one message; both lists show it first', async () => {
    const messageUuid = newMessageUuid();
    sentText = `line one\nline two ${randomBytes(3).toString('hex')}`;
    const args = ['--as', ann.handle, '--group', groupUuid, '--text', sentText];
    const twice = await Promise.all([
      script('ddb:create-message', [...args, '--message-uuid', messageUuid, '--json']),
      script('ddb:create-message', [...args, '--message-uuid', messageUuid, '--json']),
    ]);
    const [first, second] = twice.map((result) => parsed<Record<string, unknown>>(result));
    expect(first).toEqual(second);
    expect(first).toEqual({
      message_group_uuid: groupUuid,
      message_uuid: messageUuid,
      message: sentText,
      created_at: expect.stringMatching(ISO_8601),
      user_uuid: ann.uuid,
      handle: ann.handle,
      display_name: ann.display_name,
    });
    const stored = (await bed.service.listMessages(ben, groupUuid, { limit: 100 })).items;
    expect(stored.filter((m) => m.message_uuid === messageUuid)).toHaveLength(1);
    expect(stored.map((m) => m.message)).toEqual([sentText, 'm2', 'm1', 'm0']);

    // Pattern E (the stream worker in this process) moves both members' group items.
    await waitFor(
      'both group items at the new message',
      async () =>
        (await latestGroup(ann))?.message === sentText && (await latestGroup(ben))?.message === sentText,
      5_000,
    );
    const [forAnn, forBen] = (
      await Promise.all([
        script('ddb:list-conversations', ['--as', ann.handle, '--json']),
        script('ddb:list-conversations', ['--as', `@${ben.handle}`, '--json']),
      ])
    ).map((result) => parsed<PageOutput>(result));
    for (const page of [forAnn!, forBen!]) {
      expect(page.cursor).toBeNull();
      expect(typeof page.consumed_capacity).toBe('number');
      for (const item of page.items) {
        expect(Object.keys(item).sort()).toEqual(GROUP_KEYS);
        expect(item['last_reply_at']).toMatch(ISO_8601);
      }
    }
    expect(forAnn!.items.map((g) => [g['handle'], g['message']])).toEqual([
      [ben.handle, sentText],
      [cal.handle, 'with cal'],
    ]);
    // ann wrote the newest message: she has read it all.
    expect(forAnn!.items[0]).toMatchObject({
      message_group_uuid: groupUuid,
      user_uuid: ben.uuid,
      unread_count: 0,
    });
    expect(forBen!.items).toEqual([
      {
        message_group_uuid: groupUuid,
        message: sentText,
        last_reply_at: first!['created_at'],
        user_uuid: ann.uuid,
        handle: ann.handle,
        display_name: ann.display_name,
        // m2 and the new message came after ben's reply m1.
        unread_count: 2,
      },
    ]);
  });

  it('get-conversation pages newest first, and --cursor reads the older page', async () => {
    const newest = await script('ddb:get-conversation', [
      groupUuid,
      '--as',
      ben.handle,
      '--limit',
      '3',
      '--json',
    ]);
    const page1 = parsed<PageOutput>(newest);
    expect(page1.items.map((m) => m['message'])).toEqual([sentText, 'm2', 'm1']);
    expect(page1.cursor).toEqual(expect.any(String));
    const older = await script('ddb:get-conversation', [
      groupUuid,
      '--as',
      ben.handle,
      '--limit',
      '3',
      '--cursor',
      page1.cursor!,
      '--json',
    ]);
    const page2 = parsed<PageOutput>(older);
    expect(page2.items.map((m) => m['message'])).toEqual(['m0']);
    expect(page2.cursor).toBeNull();
    // Exactly what the service reads, without the poller's sk.
    const all = (await bed.service.listMessages(ben, groupUuid)).items.map(({ sk: _sk, ...m }) => m);
    expect([...page1.items, ...page2.items]).toEqual(all);
    for (const item of all) expect(Object.keys(item).sort()).toEqual(MESSAGE_KEYS);
    expect(all[0]!.created_at).toMatch(ISO_8601);
    expect(page1.consumed_capacity).toEqual(expect.any(Number));
  });

  it('create-message-group creates a conversation, then reuses it from the other side', async () => {
    const created = parsed<Record<string, unknown>>(
      await script('ddb:create-message-group', [
        '--as',
        ann.handle,
        '--to',
        dee.handle,
        '--text',
        'hello dee',
        '--json',
      ]),
    );
    const deeAnn = conversationUuidFor(ann.uuid, dee.uuid);
    expect(created).toMatchObject({
      message_group_uuid: deeAnn,
      created: true,
      message: 'hello dee',
      message_uuid: expect.any(String),
      created_at: expect.stringMatching(ISO_8601),
      user_uuid: ann.uuid,
      handle: ann.handle,
      to: { user_uuid: dee.uuid, handle: dee.handle, display_name: dee.display_name },
    });
    const reused = parsed<Record<string, unknown>>(
      await script('ddb:create-message-group', [
        '--as',
        dee.handle,
        '--to',
        `@${ann.handle}`,
        '--text',
        'hi ann',
        '--json',
      ]),
    );
    expect(reused).toMatchObject({
      message_group_uuid: deeAnn,
      created: false,
      message: 'hi ann',
      handle: dee.handle,
    });
    const messages = (await bed.service.listMessages(dee, deeAnn)).items.map((m) => m.message);
    expect(messages).toEqual(['hi ann', 'hello dee']);
  });

  it('prints a table with local times and the next cursor', async () => {
    const result = await script('ddb:get-conversation', [groupUuid, '--as', ann.handle, '--limit', '1']);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^FROM +WHEN \(.+\) +MESSAGE$/);
    expect(lines[2]).toMatch(new RegExp(`^@${ann.handle} .+ line one⏎line two`));
    expect(result.stdout).toMatch(/1 message; consumed capacity: [\d.]+ read units/);
    expect(result.stdout).toContain(
      `older: npm run ddb:get-conversation -- ${groupUuid} --as ${ann.handle} --cursor `,
    );
  });

  it('list-conversations prints a table with the unread count', async () => {
    const result = await script('ddb:list-conversations', ['--as', ben.handle]);
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^WITH +LAST REPLY +LAST MESSAGE +UNREAD +CONVERSATION$/);
    expect(lines[2]).toMatch(new RegExp(`^@${ann.handle} .+ 2 +${groupUuid}$`));
  });

  it('exit 4 for a non-member, 3 for an unknown --as, 2 for empty text, 5 without DynamoDB; nothing written', async () => {
    const before = await countItems(bed.db, bed.config.tableName);
    const nobody = `nobody_${randomBytes(4).toString('hex')}`;
    const closed = `http://127.0.0.1:${await freePort()}`;
    const [outsider, unknown, empty, unreachable] = await Promise.all([
      script('ddb:get-conversation', [groupUuid, '--as', eve.handle, '--json']),
      script('ddb:list-conversations', ['--as', nobody]),
      script('ddb:create-message', ['--as', ann.handle, '--group', groupUuid, '--text', ' \n ']),
      script('ddb:list-conversations', ['--as', ann.handle], { CRUDDUR_DYNAMODB_ENDPOINT: closed }),
    ]);
    expectOneLineError(outsider!, 4, new RegExp(`not a member of conversation ${groupUuid}`));
    expectOneLineError(unknown!, 3, new RegExp(`--as: no user with handle '${nobody}'`));
    expectOneLineError(empty!, 2, /--text: the message is empty/);
    expectOneLineError(unreachable!, 5, new RegExp(`DynamoDB at ${closed} cannot be reached`));
    expect(await countItems(bed.db, bed.config.tableName)).toBe(before);
  });
});

describe('done when: a sent message reaches both lists within 2 seconds (in-process, stream worker running)', () => {
  let session: PatternSession;
  beforeAll(() => {
    session = openPatternSession(env);
  });
  afterAll(() => session?.close());

  it('create-message as A into A↔B shows in A’s and B’s lists first; a third person is refused', async () => {
    // The scripts' own plumbing: --as looked up in PostgreSQL, the service built from the config.
    const [a, b, outsider] = await Promise.all(
      [ann, ben, eve].map((person) => session.person(person.handle, '--as')),
    );
    const lags: number[] = [];
    for (let i = 0; i < 20; i++) {
      const text = `done-when ${i} ${randomBytes(3).toString('hex')}`;
      const sentAt = performance.now();
      await session.service.sendMessage(a!, { groupUuid, messageUuid: newMessageUuid(), text });
      await waitFor(
        `"${text}" first in both lists`,
        async () => {
          const [forA, forB] = await Promise.all(
            [a!, b!].map(
              async (person) => (await session.service.listConversations(person, { limit: 1 })).items[0],
            ),
          );
          return [forA, forB].every(
            (group) => group?.message_group_uuid === groupUuid && group.message === text,
          );
        },
        2_000,
      );
      lags.push(Math.round(performance.now() - sentAt));
    }
    console.info(
      `send → first in both members' lists (20 sends, stream worker in-process): ` +
        `p50 ${percentile(lags, 50)} ms, p95 ${percentile(lags, 95)} ms, max ${Math.max(...lags)} ms`,
    );
    expect(percentile(lags, 95)).toBeLessThan(2_000);

    const refused = await session.service.listMessages(outsider!, groupUuid).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AppError);
    expect(EXIT_CODES[(refused as AppError).code]).toBe(4);
  });
});
