import { print, runCli } from '../cli/cli';
import { describeTarget, withDynamo } from '../admin/dynamodb';
import { ensureTable } from '../../core/table';
import { guardAwsWrite } from '../cli/aws-target';

await runCli(
  {
    name: 'ddb:schema-load',
    summary:
      'Creates the messages table of the data model (pk/sk, the message-group-sk-index GSI, on-demand billing, stream NEW_IMAGE). An existing table is reported and left as it is. On target aws it first prints the account, region and table.',
    options: {},
  },
  () =>
    withDynamo(async ({ config, db }) => {
      print(describeTarget(config));
      await guardAwsWrite(config, { script: 'ddb:schema-load', target: { table: config.tableName } });
      const created = await ensureTable(db, config.tableName);
      print(
        created
          ? `created table ${config.tableName}`
          : `table ${config.tableName} already exists; left unchanged`,
      );
    }),
);
