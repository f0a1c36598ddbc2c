import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { endQuietlyOnClosedStdout, intFlag, print, runCli } from '../cli/cli';
import { itemToJson } from '../output/attribute-json';
import { formatCount, withDynamo } from '../admin/dynamodb';
import { ItemTable } from '../output/item-table';

endQuietlyOnClosedStdout();

await runCli(
  {
    name: 'ddb:scan',
    summary:
      'Prints every item of the messages table, following every page of the scan (DynamoDB returns at most 1 MB a page).',
    options: {
      limit: { type: 'string', value: 'N', help: 'stop after N items' },
      json: { type: 'boolean', help: 'print JSON Lines: one item a line, attributes as plain JSON values' },
    },
  },
  (args) =>
    withDynamo(async ({ config, db }) => {
      const limit = intFlag(args.values.limit, '--limit', { min: 1, max: Number.MAX_SAFE_INTEGER });
      const json = args.values.json ?? false;
      const table = new ItemTable();
      let printed = 0;
      let pages = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const remaining = limit === undefined ? undefined : limit - printed;
        const page = await db.send(
          new ScanCommand({ TableName: config.tableName, ExclusiveStartKey: start, Limit: remaining }),
        );
        pages += 1;
        const items = (page.Items ?? []).slice(0, remaining).map(itemToJson);
        printed += items.length;
        start = page.LastEvaluatedKey;
        const lines = json ? items.map((item) => JSON.stringify(item)) : table.page(items);
        if (lines.length > 0) print(lines.join('\n'));
      } while (start && (limit === undefined || printed < limit));
      if (!json) {
        const more = start ? ' (stopped at --limit)' : '';
        print(`${formatCount(printed)} items in ${formatCount(pages)} pages of ${config.tableName}${more}`);
      }
    }),
);
