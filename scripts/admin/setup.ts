import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { Config } from '../../core/config';
import { createCognitoClient, createDynamoClient } from '../../core/clients';
import { toAppError } from '../../core/errors';
import { AppError } from '../../shared/result';
import { requireUserPoolId, seedCognitoUsers } from './cognito';
import { ensureLocalUserPool } from './cognito-pool';
import { loadUsersSchema, openDatabase, seedDirectoryUsers, updateCognitoUserIds } from './postgres';
import { ensureTable } from '../../core/table';
import { seedMessages } from '../seed/ddb-seed';
import { SEED_DEFAULTS, type SeedSizes } from '../seed/plan';
import { DEV_PASSWORD, seedUsers } from '../seed/users';

/**
 * Everything the app needs, in order: the user pool (local), the users schema, the table, then
 * the seeds and the cognito_user_id links. Every step is idempotent, so `npm run setup` can run
 * any number of times; the local cloud's first start runs it with `seedOnlyWhenEmpty`, so later
 * starts reuse the data instead of rewriting it.
 */
export interface SetupReport {
  /** True when this run created the table (a first start). */
  firstStart: boolean;
  userPoolId: string;
  userPoolClientId: string | undefined;
  accounts: string[];
  lines: string[];
}

export interface SetupOptions {
  seedOnlyWhenEmpty: boolean;
  seed?: Partial<SeedSizes>;
  log?: (line: string) => void;
}

async function tableIsEmpty(config: Config): Promise<boolean> {
  const db = createDynamoClient(config);
  try {
    const page = await db.send(new ScanCommand({ TableName: config.tableName, Limit: 1, Select: 'COUNT' }));
    return (page.Count ?? 0) === 0;
  } finally {
    db.destroy();
  }
}

export async function runSetup(base: Config, options: SetupOptions): Promise<SetupReport> {
  const lines: string[] = [];
  const log = (line: string) => {
    lines.push(line);
    options.log?.(line);
  };
  const sizes = { ...SEED_DEFAULTS, ...options.seed };
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

    const users = seedUsers({ count: sizes.users, seedValue: sizes.seedValue });
    const directory = await seedDirectoryUsers(pool, users);
    log(`directory: ${directory.inserted} users added, ${directory.existing} already there`);
    const accounts = await seedCognitoUsers(cognito, userPoolId, users, DEV_PASSWORD);
    log(`cognito: ${accounts.created} accounts created, ${accounts.existing} already there`);
    if (!options.seedOnlyWhenEmpty || (await tableIsEmpty(config))) {
      const counts = await seedMessages(db, config.tableName, sizes);
      log(
        `messages: ${counts.messages} in ${counts.conversations} conversations (${(counts.durationMs / 1000).toFixed(1)} s)`,
      );
    } else {
      log('messages: table already has data; not seeded again');
    }
    const links = await updateCognitoUserIds(pool, cognito, userPoolId);
    log(`cognito ids: ${links.updated} linked, ${links.alreadyRight} already right`);
    return {
      firstStart: createdTable,
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
