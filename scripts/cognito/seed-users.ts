import { loadConfig } from '../../core/config';
import { createCognitoClient } from '../../core/clients';
import { print, runCli } from '../cli/cli';
import { guardAwsWrite } from '../cli/aws-target';
import { requireUserPoolId, seedCognitoUsers } from '../admin/cognito';
import { userCount, USERS_OPTION } from '../seed/flags';
import { DEFAULT_SEED_VALUE, DEV_PASSWORD, seedUsers } from '../seed/users';

await runCli(
  {
    name: 'cognito:seed-users',
    summary:
      'Creates the seeded people (the same handles as db:seed and ddb:seed) as confirmed accounts in the ' +
      'user pool: username = handle, name, verified email, and the permanent dev ' +
      'password. Accounts that exist are left alone. On target aws it needs --yes.',
    options: {
      users: USERS_OPTION,
      'seed-value': {
        type: 'string',
        value: 'V',
        help: `accepted for symmetry with db:seed (Cognito makes its own subs; default ${DEFAULT_SEED_VALUE})`,
      },
      yes: { type: 'boolean', help: 'required on target aws, where the accounts are real' },
      json: { type: 'boolean', help: 'print the counts as JSON' },
    },
  },
  async ({ values }) => {
    const count = userCount(values.users);
    const config = loadConfig();
    const userPoolId = requireUserPoolId(config);
    // On target aws these are real accounts with a published password: hence --yes.
    await guardAwsWrite(config, {
      script: 'cognito:seed-users',
      target: { userPool: userPoolId },
      confirm: { yes: values.yes },
    });
    const cognito = createCognitoClient(config);
    try {
      const users = seedUsers({ count, seedValue: values['seed-value'] });
      const result = await seedCognitoUsers(cognito, userPoolId, users, DEV_PASSWORD);
      print(
        values.json
          ? JSON.stringify({ userPoolId, ...result })
          : `user pool ${userPoolId}: ${result.created} created, ${result.existing} already there; ` +
              `new accounts sign in with their handle and password ${DEV_PASSWORD}`,
      );
    } finally {
      cognito.destroy();
    }
  },
);
