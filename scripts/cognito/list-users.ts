import { loadConfig } from '../../core/config';
import { createCognitoClient } from '../../core/clients';
import { print, runCli } from '../cli/cli';
import { listCognitoUsers, requireUserPoolId, type CognitoUserSummary } from '../admin/cognito';

/** Fixed-width columns for a terminal; --json is the form for other programs. */
function table(users: CognitoUserSummary[]): string {
  const rows = users.map((user) => [
    user.username,
    user.preferredUsername ?? '-',
    user.name ?? '-',
    user.email ?? '-',
    user.status ?? '-',
    user.sub,
  ]);
  const header = ['username', 'preferred_username', 'name', 'email', 'status', 'sub'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}

await runCli(
  {
    name: 'cognito:list-users',
    summary: 'Lists every user of the Cognito user pool (following all pages).',
    usage: '[--json]',
    help: [
      '--json            a JSON array of users (username, sub, preferredUsername, name, email, status…)',
    ],
    options: { json: { type: 'boolean' } },
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
