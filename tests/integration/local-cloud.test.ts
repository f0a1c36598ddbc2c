import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { DescribeUserPoolCommand } from '@aws-sdk/client-cognito-identity-provider';
import { describe, expect, it } from 'vitest';
import { createCognitoClient, createDynamoClient } from '../../core/clients';
import { configWithTable, pgPool, testConfig } from '../support/cloud';

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
    const { rows } = await pg.query<{ count: string }>('SELECT count(*) FROM users');
    expect(Number(rows[0]!.count)).toBeGreaterThanOrEqual(0);
    await pg.end();
    db.destroy();
  });
});
