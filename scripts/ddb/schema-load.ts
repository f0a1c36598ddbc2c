import { print, runCli } from '../cli/cli';
import { describeTarget, withDynamo } from '../admin/dynamodb';
import { ensureTable } from '../../core/table';

await runCli(
  {
    name: 'ddb:schema-load',
    summary:
      'Creates the messages table of the data model (pk/sk, the message-group-sk-index GSI, on-demand billing, stream NEW_IMAGE). An existing table is reported and left as it is.',
    options: {},
  },
  () =>
    withDynamo(async ({ config, db }) => {
      print(describeTarget(config));
      const created = await ensureTable(db, config.tableName);
      print(
        created
          ? `created table ${config.tableName}`
          : `table ${config.tableName} already exists; left unchanged`,
      );
    }),
);
