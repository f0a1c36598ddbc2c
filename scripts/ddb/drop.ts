import { DeleteTableCommand, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { print, runCli } from '../cli/cli';
import { guardAwsWrite } from '../cli/aws-target';
import { describeTarget, withDynamo } from '../admin/dynamodb';

await runCli(
  {
    name: 'ddb:drop',
    summary:
      'Deletes the messages table and everything in it. On target aws it refuses without --yes, and with it first prints the account, region and table.',
    options: { yes: { type: 'boolean', help: 'confirm dropping a table on target aws' } },
  },
  (args) =>
    withDynamo(async ({ config, db }) => {
      print(describeTarget(config));
      await guardAwsWrite(config, {
        script: 'ddb:drop',
        target: { table: config.tableName },
        confirm: { yes: args.values.yes },
      });
      await db.send(new DeleteTableCommand({ TableName: config.tableName }));
      // On AWS the table lingers in DELETING; wait so a schema-load right after can recreate it.
      await waitUntilTableNotExists({ client: db, maxWaitTime: 300 }, { TableName: config.tableName });
      print(`dropped table ${config.tableName}`);
    }),
);
