import { loadConfig } from '../../core/config';
import { createCognitoClient } from '../../core/clients';
import { print, runCli } from '../cli/cli';
import { textTable } from '../output/columns';
import { listCognitoUsers, requireUserPoolId, type CognitoUserSummary } from '../admin/cognito';

const COLUMNS = ['username', 'preferred_username', 'name', 'email', 'status', 'sub'].map((title) => ({
  title,
}));

/** Aligned columns for a terminal; --json is the form for other programs. */
function table(users: CognitoUserSummary[]): string {
  const rows = users.map((user) => [
    user.username,
    user.preferredUsername ?? '-',
    user.name ?? '-',
    user.email ?? '-',
    user.status ?? '-',
    user.sub,
  ]);
  return textTable(COLUMNS, rows).join('\n');
}

await runCli(
  {
    name: 'cognito:list-users',
    summary: 'Lists every user of the Cognito user pool (following all pages).',
    options: {
      json: {
        type: 'boolean',
        help: 'a JSON array of users (username, sub, preferredUsername, name, email, status…)',
      },
    },
  },
  async ({ values }) => {
    const config = loadConfig();
    const userPoolId = requireUserPoolId(config);
    const cognito = createCognitoClient(config);
    try {
      const users = await listCognitoUsers(cognito, userPoolId);
      users.sort((a, b) => a.username.localeCompare(b.username));
      if (values.json) print(JSON.stringify(users, null, 2));
      else
        print(
          users.length > 0
            ? `${table(users)}\n${users.length} users in ${userPoolId}`
            : `no users in ${userPoolId}`,
        );
    } finally {
      cognito.destroy();
    }
  },
);
