import { DescribeTableCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Config } from '../../core/config';
import { createCognitoClient, createDynamoClient } from '../../core/clients';
import { toAppError } from '../../core/errors';
import { AppError } from '../../shared/result';
import { requireUserPoolId, seedCognitoUsers } from './cognito';
import { ensureLocalUserPool } from './cognito-pool';
import { loadUsersSchema, openDatabase, seedDirectoryUsers, updateCognitoUserIds } from './postgres';
import { ensureTable } from '../../core/table';
import { seedMessages } from '../seed/ddb-seed';
import { planSeed, type SeedSizes } from '../seed/plan';
import { isMarkerOf, readSeedMarker, seedMarkerFile, writeSeedMarker } from '../seed/seed-marker';
import { DEV_PASSWORD, seedUsers } from '../seed/users';

/**
 * Everything the app needs, in order: the user pool (local), the users schema, the table, then
 * the seeds and the cognito_user_id links. Every step is idempotent, so `npm run setup` can run
 * any number of times; the local cloud's starts run it with `seedOnce`, so a table is seeded
 * once (a seed an earlier start did not finish is finished) and later starts reuse the data.
 */
export interface SetupReport {
  /** True when this run created the table (a first start). */
  firstStart: boolean;
  /**
   * What this run did with the messages: seeded them, finished a seed an earlier run began
   * ('resumed'), or left the table as it was ('kept').
   */
  messages: 'seeded' | 'resumed' | 'kept';
  userPoolId: string;
  userPoolClientId: string | undefined;
  accounts: string[];
  lines: string[];
}

export interface SetupOptions {
  /**
   * Seed the messages once per table (the local cloud): finish a seed an earlier start began,
   * seed an empty table, leave any other table alone. Without it, always seed (npm run setup).
   */
  seedOnce: boolean;
  seed?: Partial<SeedSizes>;
  log?: (line: string) => void;
}

type MessagesStep = { seed: 'seeded' | 'resumed'; sizes: SeedSizes } | { seed: 'kept'; why: string };

async function tableIsEmpty(db: DynamoDBDocumentClient, tableName: string): Promise<boolean> {
  const page = await db.send(new ScanCommand({ TableName: tableName, Limit: 1, Select: 'COUNT' }));
  return (page.Count ?? 0) === 0;
}

async function tableCreatedAt(db: DynamoDBDocumentClient, tableName: string): Promise<string> {
  const table = await db.send(new DescribeTableCommand({ TableName: tableName }));
  return table.Table?.CreationDateTime?.toISOString() ?? '';
}

/** Whether and how this run seeds the messages, and with which sizes (a resumed seed keeps its own). */
async function messagesStep(
  db: DynamoDBDocumentClient,
  config: Config,
  options: SetupOptions,
  requested: SeedSizes,
): Promise<MessagesStep> {
  if (!options.seedOnce) return { seed: 'seeded', sizes: requested };
  const table = { name: config.tableName, createdAt: await tableCreatedAt(db, config.tableName) };
  const marker = await readSeedMarker(seedMarkerFile(config.localDir));
  if (isMarkerOf(marker, table)) {
    return marker.finished
      ? { seed: 'kept', why: 'seeded on an earlier start; not seeded again' }
      : { seed: 'resumed', sizes: marker.sizes };
  }
  if (await tableIsEmpty(db, config.tableName)) return { seed: 'seeded', sizes: requested };
  return {
    seed: 'kept',
    why: 'table already has data the local cloud did not seed; not seeded (npm run setup seeds it)',
  };
}

/**
 * Seeds the messages; on the local cloud a marker says it began and, after its last write, that
 * it finished, so a start stopped halfway is finished by the next one.
 */
async function seedTable(
  db: DynamoDBDocumentClient,
  config: Config,
  sizes: SeedSizes,
  log: (line: string) => void,
): Promise<void> {
  const file = seedMarkerFile(config.localDir);
  const local = config.target === 'local';
  const marker = {
    table: config.tableName,
    tableCreatedAt: local ? await tableCreatedAt(db, config.tableName) : '',
    sizes,
    finished: false,
  };
  if (local) await writeSeedMarker(file, marker);
  const counts = await seedMessages(db, config.tableName, sizes);
  if (local) await writeSeedMarker(file, { ...marker, finished: true });
  log(
    `messages: ${counts.messages} in ${counts.conversations} conversations (${(counts.durationMs / 1000).toFixed(1)} s)`,
  );
}

export async function runSetup(base: Config, options: SetupOptions): Promise<SetupReport> {
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  const requested = planSeed(options.seed).sizes;
  const cognito = createCognitoClient(base);
  const db = createDynamoClient(base);
  const pool = openDatabase(base);
  try {
    let config = base;
    if (base.target === 'local') {
      const ids = await ensureLocalUserPool(cognito, base.localDir).catch((error: unknown) => {
        throw toAppError(error, `Cognito at ${base.cognitoEndpoint}`);
      });
      config = { ...base, ...ids };
      log(`user pool ${ids.userPoolId} ${ids.created ? 'created' : 'exists'}`);
    }
    const userPoolId = requireUserPoolId(config);

    const schema = await loadUsersSchema(pool);
    log(`users schema ${schema.created ? 'created' : 'exists'}`);
    const createdTable = await ensureTable(db, config.tableName).catch((error: unknown) => {
      throw toAppError(error, `DynamoDB at ${config.dynamodbEndpoint ?? config.region}`);
    });
    log(`table ${config.tableName} ${createdTable ? 'created' : 'exists'}`);
    const messages = await messagesStep(db, config, options, requested);
    const sizes = messages.seed === 'kept' ? requested : messages.sizes;

    const users = seedUsers({ count: sizes.users, seedValue: sizes.seedValue });
    const directory = await seedDirectoryUsers(pool, users);
    log(`directory: ${directory.inserted} users added, ${directory.existing} already there`);
    const accounts = await seedCognitoUsers(cognito, userPoolId, users, DEV_PASSWORD);
    log(`cognito: ${accounts.created} accounts created, ${accounts.existing} already there`);
    if (messages.seed === 'kept') {
      log(`messages: ${messages.why}`);
    } else {
      if (messages.seed === 'resumed') log('messages: finishing the seed an earlier start left unfinished');
      await seedTable(db, config, messages.sizes, log);
    }
    const links = await updateCognitoUserIds(pool, cognito, userPoolId);
    log(`cognito ids: ${links.updated} linked, ${links.alreadyRight} already right`);
    return {
      firstStart: createdTable,
      messages: messages.seed,
      userPoolId,
      userPoolClientId: config.userPoolClientId,
      accounts: users.slice(0, 3).map((user) => user.handle),
      lines,
    };
  } catch (error) {
    throw error instanceof AppError ? error : toAppError(error, 'a service of the local cloud');
  } finally {
    cognito.destroy();
    db.destroy();
    await pool.end();
  }
}
