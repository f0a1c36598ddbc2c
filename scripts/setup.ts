/**
 * `npm run setup`: every admin step in order (user pool on local, users schema, table, directory
 * seed, Cognito accounts, messages seed, cognito_user_id links). Idempotent: run it any time.
 */
import { loadConfig } from '../core/config';
import { guardAwsWrite } from './cli/aws-target';
import { print, runCli } from './cli/cli';
import { parseSeedSizes, seedSizeOptions } from './seed/flags';
import { runSetup } from './admin/setup';

await runCli(
  {
    name: 'setup',
    summary:
      'Creates what is missing and seeds all three stores (DynamoDB, PostgreSQL, Cognito) with the same people; running it again changes nothing. On target aws it needs --yes.',
    options: { ...seedSizeOptions(), yes: { type: 'boolean', help: 'confirm seeding on target aws' } },
  },
  async (args) => {
    const config = loadConfig();
    const seed = parseSeedSizes(args.values);
    // On target aws: refused without --yes, then the account, region, table and pool are named.
    await guardAwsWrite(config, {
      script: 'setup',
      target: { table: config.tableName },
      confirm: { yes: args.values.yes },
    });
    await runSetup(config, { seedOnce: false, seed, log: (line) => print(line) });
    print('setup complete');
  },
);
