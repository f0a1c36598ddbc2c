import { loadConfig } from '../../core/config';
import { print, runCli } from '../cli/cli';
import { databaseLabel, loadUsersSchema, openDatabase } from '../admin/postgres';
import { databaseHost, guardAwsWrite } from '../cli/aws-target';

await runCli(
  {
    name: 'db:schema-load',
    summary:
      'Creates the users table of the directory (uuid key, case-insensitively unique handle, unique email, ' +
      'nullable unique cognito_user_id, created_at) and its prefix-search indexes. An existing table is ' +
      'reported and its missing indexes added; nothing is dropped.',
    options: {},
  },
  async () => {
    const config = loadConfig();
    await guardAwsWrite(config, {
      script: 'db:schema-load',
      target: { databaseHost: databaseHost(config.databaseUrl) },
    });
    const pool = openDatabase(config);
    try {
      const { created } = await loadUsersSchema(pool);
      print(
        created
          ? `created table users and its indexes in ${databaseLabel(pool)}`
          : `table users already exists in ${databaseLabel(pool)}; its indexes are in place`,
      );
    } finally {
      await pool.end();
    }
  },
);
