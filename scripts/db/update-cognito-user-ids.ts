import { loadConfig } from '../../core/config';
import { createCognitoClient } from '../../core/clients';
import { print, runCli } from '../cli/cli';
import { requireUserPoolId } from '../admin/cognito';
import { openDatabase, updateCognitoUserIds } from '../admin/postgres';
import { databaseHost, guardAwsWrite } from '../cli/aws-target';

await runCli(
  {
    name: 'db:update-cognito-user-ids',
    summary:
      'Lists every user of the Cognito user pool (all pages) and sets users.cognito_user_id to its sub ' +
      'where users.handle equals its username (case-insensitively) and users.email its verified email. ' +
      'A row already linked is never moved to another sub: it is reported, as is every row left alone. ' +
      'Rows already right are not touched, so running it again changes nothing.',
    options: { json: { type: 'boolean', help: 'print the counts as JSON' } },
  },
  async ({ values }) => {
    const config = loadConfig();
    const userPoolId = requireUserPoolId(config);
    await guardAwsWrite(config, {
      script: 'db:update-cognito-user-ids',
      target: { userPool: userPoolId, databaseHost: databaseHost(config.databaseUrl) },
    });
    const pool = openDatabase(config);
    const cognito = createCognitoClient(config);
    try {
      const result = await updateCognitoUserIds(pool, cognito, userPoolId);
      if (values.json) {
        print(JSON.stringify(result));
        return;
      }
      print(
        [
          `updated ${result.updated}, already right ${result.alreadyRight}`,
          `unmatched users rows ${result.unmatchedRows}, unmatched Cognito users ${result.unmatchedCognitoUsers}`,
          ...result.skipped.map(({ handle, reason }) => `skipped ${handle}: ${reason}`),
        ].join('\n'),
      );
    } finally {
      cognito.destroy();
      await pool.end();
    }
  },
);
