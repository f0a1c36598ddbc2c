import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { print, runCli } from '../cli/cli';
import { describeTarget, withDynamo } from '../admin/dynamodb';

/** Every table name, following LastEvaluatedTableName across pages. */
async function listAllTables(db: DynamoDBDocumentClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await db.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start);
  return names;
}

await runCli(
  {
    name: 'ddb:list-tables',
    summary: 'Lists every DynamoDB table at the configured endpoint (or region on target aws).',
    options: { json: { type: 'boolean', help: 'print a JSON array of table names' } },
  },
  (args) =>
    withDynamo(async ({ config, db }) => {
      const names = await listAllTables(db);
      if (args.values.json) {
        print(JSON.stringify(names));
        return;
      }
      print(
        `${names.length} table${names.length === 1 ? '' : 's'} (${describeTarget(config, { table: false })})`,
      );
      for (const name of names) print(`  ${name}`);
    }),
);
