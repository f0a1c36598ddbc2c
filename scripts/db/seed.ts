import { loadConfig } from '../../core/config';
import { AppError } from '../../shared/result';
import { print, runCli, UsageError } from '../cli/cli';
import { databaseLabel, openDatabase, seedDirectoryUsers } from '../admin/postgres';
import { databaseHost, guardAwsWrite } from '../cli/aws-target';
import { userCount, USERS_OPTION } from '../seed/flags';
import { DEFAULT_SEED_VALUE, seedUsers } from '../seed/users';

await runCli(
  {
    name: 'db:seed',
    summary:
      'Inserts the seeded people (the same users, with the same uuids, as ddb:seed for the same ' +
      '--users and --seed-value) into the users table. Rows already there are left alone, so running ' +
      'it again adds nothing; a handle or email held by another uuid is reported (exit 1), never overwritten.',
    options: {
      users: USERS_OPTION,
      'seed-value': {
        type: 'string',
        value: 'V',
        help: `the seed the uuids derive from (default ${DEFAULT_SEED_VALUE})`,
      },
      json: { type: 'boolean', help: 'print the counts as JSON' },
    },
  },
  async ({ values }) => {
    const count = userCount(values.users);
    const seedValue = values['seed-value'] ?? DEFAULT_SEED_VALUE;
    if (!seedValue) throw new UsageError('--seed-value must not be empty');
    const config = loadConfig();
    await guardAwsWrite(config, {
      script: 'db:seed',
      target: { databaseHost: databaseHost(config.databaseUrl) },
    });
    const pool = openDatabase(config);
    try {
      const result = await seedDirectoryUsers(pool, seedUsers({ count, seedValue }));
      print(
        values.json
          ? JSON.stringify(result)
          : `users in ${databaseLabel(pool)}: ${result.inserted} inserted, ${result.existing} already present`,
      );
      if (result.conflicting.length > 0) {
        const shown = result.conflicting.slice(0, 5).join(', ');
        const more = result.conflicting.length > 5 ? ` and ${result.conflicting.length - 5} more` : '';
        throw new AppError(
          'Conflict',
          `${result.conflicting.length} not inserted because another uuid holds the handle or email: ` +
            `${shown}${more} (seeded earlier with another --seed-value?)`,
        );
      }
    } finally {
      await pool.end();
    }
  },
);
