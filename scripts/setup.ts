/**
 * `npm run setup`: every admin step in order (user pool on local, users schema, table, directory
 * seed, Cognito accounts, messages seed, cognito_user_id links). Idempotent: run it any time.
 */
import { loadConfig } from '../core/config';
import { AppError } from '../shared/result';
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
    if (config.target === 'aws') {
      print(
        `target aws: region ${config.region}, table ${config.tableName}, pool ${config.userPoolId ?? '(none)'}`,
      );
      if (!args.values.yes)
        throw new AppError('Invalid', 'setup on target aws writes seed data; add --yes to confirm');
    }
    await runSetup(config, { seedOnce: false, seed, log: (line) => print(line) });
    print('setup complete');
  },
);
