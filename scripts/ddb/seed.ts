import { print, runCli } from '../cli/cli';
import { seedMessages } from '../seed/ddb-seed';
import { describeTarget, formatCount, requireTable, withDynamo } from '../admin/dynamodb';
import { progressBar } from '../cli/progress';
import { SEED_END_AT } from '../seed/plan';
import { parseSeedSizes, seedSizeOptions } from '../seed/flags';
import { guardAwsWrite } from '../cli/aws-target';

await runCli(
  {
    name: 'ddb:seed',
    summary: `Fills the messages table with realistic conversations: andrewbrown, bayko, londo and generated users; one andrewbrown-bayko conversation with at least 1,000 messages; messages over three calendar years up to ${SEED_END_AT.slice(0, 10)}, with emoji, right-to-left script, line breaks, HTML-looking text and messages at the length limit. The same options and seed value always write the same items, so running it again duplicates nothing. On target aws it needs --yes.`,
    options: {
      ...seedSizeOptions(),
      yes: { type: 'boolean', help: 'confirm seeding on target aws' },
      json: { type: 'boolean', help: 'print the counts as JSON' },
    },
  },
  (args) =>
    withDynamo(async (script) => {
      const { config, db } = script;
      const sizes = parseSeedSizes(args.values);
      const json = args.values.json ?? false;
      if (!json) print(describeTarget(config));
      await guardAwsWrite(config, {
        script: 'ddb:seed',
        target: { table: config.tableName },
        confirm: { yes: args.values.yes },
      });
      await requireTable(script);
      const bar = progressBar('seeding');
      const counts = await seedMessages(db, config.tableName, {
        ...sizes,
        onProgress: (written, total) => bar.update(written, total),
      }).finally(() => bar.finish());
      if (json) {
        print(JSON.stringify(counts));
        return;
      }
      const seconds = counts.durationMs / 1000;
      print(
        `seeded ${formatCount(counts.messages)} messages in ${formatCount(counts.conversations)} conversations ` +
          `between ${formatCount(counts.users)} users (${formatCount(counts.groupItems)} group items): ` +
          `${formatCount(counts.itemsWritten)} items in ${seconds.toFixed(1)} s, ` +
          `${formatCount(Math.round(counts.itemsWritten / seconds))} items/s`,
      );
      if (counts.staleGroupItemsDeleted > 0)
        print(
          `replaced ${formatCount(counts.staleGroupItemsDeleted)} group items that pointed at older messages`,
        );
    }),
);
