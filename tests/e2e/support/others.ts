import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type pg from 'pg';
import { afterAll, beforeAll, inject } from 'vitest';
import { createDynamoClient } from '../../../core/clients';
import { loadConfig } from '../../../core/config';
import { MessageService } from '../../../core/messages';
import { conversationUuidFor } from '../../../core/messages/conversation-id';
import { UserDirectory } from '../../../core/users/directory';
import { newMessageUuid } from '../../../shared/message-uuid';
import type { Person } from '../../../shared/model';
import { pgPool } from '../../support/cloud';
import { createPeople } from '../../support/messages';

/**
 * The other side of an end-to-end conversation: people who are not at the keyboard, writing
 * through their own MessageService on the same local cloud, as another copy of the app would.
 * Their messages reach the page the real way: Pattern E moves the group items, the page's
 * poller finds them.
 */
export interface OtherPeople {
  db: DynamoDBDocumentClient;
  tableName: string;
  service: MessageService;
  /** A seeded person (they can also sign in: DEV_PASSWORD). */
  seeded(handle: string): Promise<Person>;
  /** New people in the directory only (they cannot sign in, but can write), with unique handles. */
  fresh(...labels: string[]): Promise<Person[]>;
  /** `from` sends `text` into the conversation they share with `to` (Pattern C). */
  send(from: Person, to: Person, text: string): Promise<void>;
  /** `from` writes to `to` by handle, starting the conversation when there is none (Pattern D). */
  start(from: Person, to: Person, text: string): Promise<string>;
}

/** The other people of a test file: connected before its first test, closed after its last. */
export function useOtherPeople(): OtherPeople {
  let db: DynamoDBDocumentClient;
  let pool: pg.Pool;
  let directory: UserDirectory;
  let service: MessageService;
  let tableName: string;
  beforeAll(() => {
    const config = loadConfig(inject('cloudEnv'));
    db = createDynamoClient(config);
    pool = pgPool(config);
    directory = new UserDirectory(pool);
    tableName = config.tableName;
    service = new MessageService({ db, tableName, directory });
  });
  afterAll(async () => {
    db.destroy();
    await pool.end();
  });
  return {
    get db() {
      return db;
    },
    get tableName() {
      return tableName;
    },
    get service() {
      return service;
    },
    async seeded(handle) {
      const found = await directory.findByHandle(handle);
      if (!found) throw new Error(`${handle} is not seeded`);
      return { uuid: found.uuid, handle: found.handle, display_name: found.display_name };
    },
    fresh: (...labels) => createPeople(pool, labels),
    async send(from, to, text) {
      await service.sendMessage(from, {
        groupUuid: conversationUuidFor(from.uuid, to.uuid),
        messageUuid: newMessageUuid(Date.now()),
        text,
      });
    },
    async start(from, to, text) {
      const started = await service.startConversation(from, {
        handle: to.handle,
        messageUuid: newMessageUuid(Date.now()),
        text,
      });
      return started.message_group_uuid;
    },
  };
}

/** A text no other test (or run) has sent. */
export const uniqueText = (what: string): string =>
  `${what} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
