import { guardAwsWrite } from '../cli/aws-target';
import type { Config } from '../../core/config';
import { itemToJson } from '../output/attribute-json';
import { intFlag, print, runCli, UsageError } from '../cli/cli';
import { describeTarget, formatCount, withDynamo } from '../admin/dynamodb';
import { analyzeStatement, type StatementInfo } from '../partiql/statement';
import { PARAM_HELP, statementParameters } from '../partiql/params';
import { columnsOf, formatTable, jsonLines } from '../output/table';
import { executeStatement, statementError, type StatementOutcome } from '../partiql/run';

const plural = (count: number, noun: string): string =>
  `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;

function theStatement(positionals: string[]): string {
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'give the PartiQL statement, in quotes'
        : `give the statement as ONE quoted argument (got ${positionals.length})`,
    );
  }
  return positionals[0]!;
}

const WRITE_VERBS = new Set(['INSERT', 'UPDATE', 'DELETE']);

/** Read-only unless asked: anything but a SELECT needs --write, and on target aws also --yes. */
function guardWrites(info: StatementInfo, flags: { write?: boolean; yes?: boolean }, config: Config): void {
  if (info.readOnly) return;
  const what = WRITE_VERBS.has(info.verb)
    ? `${info.verb === 'INSERT' ? 'an' : 'a'} ${info.verb}`
    : `a statement that is not a SELECT (it starts with ${info.verb || 'no keyword'})`;
  if (!flags.write)
    throw new UsageError(`refusing to run ${what} without --write (only SELECT runs without it)`);
  if (config.target === 'aws' && !flags.yes) {
    throw new UsageError(
      `refusing to run ${what} on ${describeTarget(config, { table: false })} without --yes`,
    );
  }
}

function printItems(outcome: StatementOutcome, info: StatementInfo, json: boolean): void {
  const items = outcome.items.map(itemToJson);
  if (json) {
    if (items.length > 0) print(jsonLines(items).join('\n'));
  } else if (items.length > 0 && columnsOf(items).length === 0) {
    print(`(${plural(items.length, 'item')}, none with the selected attributes)`);
  } else if (items.length > 0) {
    print(formatTable(items).join('\n'));
  } else if (info.readOnly) {
    print('(no items)');
  }
}

function capacityText({ capacity }: StatementOutcome, config: Config): string {
  if (!capacity) {
    const why = config.target === 'local' ? 'DynamoDB Local reports none' : 'the response carried none';
    return `consumed capacity: not reported (${why})`;
  }
  const parts = [
    capacity.read === undefined ? '' : `read ${capacity.read}`,
    capacity.write === undefined ? '' : `write ${capacity.write}`,
  ].filter(Boolean);
  return `consumed capacity: ${capacity.units} units${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

/** Everything but the data goes to stderr, so stdout stays a clean table or JSON Lines. */
function report(
  outcome: StatementOutcome,
  info: StatementInfo,
  limit: number | undefined,
  config: Config,
): void {
  const counts = `${plural(outcome.items.length, 'item')} from ${plural(outcome.pages, 'page')}`;
  if (info.fullScan && info.target) {
    const source = info.target.index ? `index "${info.target.index}"` : `table "${info.target.table}"`;
    process.stderr.write(
      `warning: full scan of ${source} (no equality on ${info.keyAttribute} in the WHERE clause): ` +
        `${plural(outcome.pages, 'page')} read, ${plural(outcome.items.length, 'item')} returned ` +
        `(ExecuteStatement reports no ScannedCount, so these count what arrived)\n`,
    );
  }
  if (!info.readOnly && outcome.items.length === 0) {
    process.stderr.write(`${info.verb || 'statement'} done; ${capacityText(outcome, config)}\n`);
    return;
  }
  const more = outcome.truncated ? `; stopped at --limit ${limit}, more may remain` : '';
  process.stderr.write(`${counts}${more}; ${capacityText(outcome, config)}\n`);
}

await runCli(
  {
    name: 'ddb:query',
    summary: [
      'Runs one PartiQL statement (ExecuteStatement) and prints the items as a table, or JSON Lines with --json;',
      'follows NextToken to the end or --limit. Read-only unless --write: only SELECT runs without it.',
      'A SELECT with no equality on the partition key (pk; message_group_uuid on the index',
      'message-group-sk-index) is a full scan and gets a warning. Counts, capacity and warnings go to stderr.',
      'e.g. npm run ddb:query -- \'SELECT * FROM "cruddur-messages" WHERE pk = ?\' --param MSG#<group uuid>',
    ].join('\n'),
    positionals: '"<PartiQL statement>"',
    options: {
      param: { type: 'string', value: 'VALUE', multiple: true, help: PARAM_HELP },
      limit: { type: 'string', value: 'N', help: 'stop after N items (default: all)' },
      json: { type: 'boolean', help: 'print one JSON object per item (JSON Lines)' },
      write: { type: 'boolean', help: 'allow a statement that is not a SELECT (INSERT, UPDATE, DELETE)' },
      yes: { type: 'boolean', help: 'with --write on target aws: confirm' },
    },
  },
  (args) =>
    withDynamo(async ({ config, db }) => {
      const statement = theStatement(args.positionals);
      const info = analyzeStatement(statement);
      guardWrites(info, args.values, config);
      // A write on target aws names the account first (the statement names its own table).
      if (!info.readOnly)
        await guardAwsWrite(config, { script: 'ddb:query', target: { table: config.tableName } });
      const parameters = statementParameters(args.values.param ?? [], info.parameterCount);
      const limit = intFlag(args.values.limit, '--limit', { min: 1, max: 10_000_000 });
      const outcome = await executeStatement(db, { statement, parameters, limit }).catch((error: unknown) => {
        throw statementError(error, info, describeTarget(config, { table: false })) ?? error;
      });
      printItems(outcome, info, args.values.json ?? false);
      report(outcome, info, limit, config);
    }),
);
