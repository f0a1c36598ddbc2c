import { DeleteTableCommand, waitUntilTableNotExists } from '@aws-sdk/client-dynamodb';
import { print, runCli, UsageError } from '../cli/cli';
import { describeTarget, withDynamo } from '../admin/dynamodb';

await runCli(
  {
    name: 'ddb:drop',
    summary:
      'Deletes the messages table and everything in it. On target aws it prints the region and table and refuses without --yes.',
    options: { yes: { type: 'boolean', help: 'confirm dropping a table on target aws' } },
  },
  (args) =>
    withDynamo(async ({ config, db }) => {
      print(describeTarget(config));
      if (config.target === 'aws' && !args.values.yes) {
        throw new UsageError(
          `refusing to drop table ${config.tableName} in ${config.region} on target aws without --yes`,
        );
      }
      await db.send(new DeleteTableCommand({ TableName: config.tableName }));
      // On AWS the table lingers in DELETING; wait so a schema-load right after can recreate it.
      await waitUntilTableNotExists({ client: db, maxWaitTime: 300 }, { TableName: config.tableName });
      print(`dropped table ${config.tableName}`);
    }),
);
