import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { createCognitoClient, createDynamoClient } from '../../core/clients';
import { configWithTable, pgPool, testConfig } from '../support/cloud';
import { createPeople } from '../support/messages';

describe('the test local cloud', () => {
  it('has DynamoDB Local, the user pool and PostgreSQL with the users table', async () => {
    const config = await configWithTable('smoke');
    const db = createDynamoClient(config);
    const tables = await db.send(new ListTablesCommand({}));
    expect(tables.TableNames).toContain(config.tableName);
    const pool = await createCognitoClient(config).send(
      new DescribeUserPoolCommand({ UserPoolId: config.userPoolId }),
    );
    expect(pool.UserPool?.Id).toBe(testConfig().userPoolId);
    const pg = pgPool(config);
    const { rows: columns } = await pg.query<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = 'users' ORDER BY ordinal_position`,
    );
    expect(columns.map((column) => column.column_name)).toEqual([
      'uuid',
      'handle',
      'display_name',
      'email',
      'cognito_user_id',
      'created_at',
    ]);
    const [person] = await createPeople(pg, ['smoke']);
    const { rows } = await pg.query<{ count: number }>(
      'SELECT count(*)::int AS count FROM users WHERE lower(handle) = lower($1)',
      [person!.handle],
    );
    expect(rows[0]!.count).toBe(1);
    await pg.end();
    db.destroy();
  });
});
