/** A team's connection on AWS (direct mode), as Settings → Connection saves it: no password in it. */
export const AWS_CONNECTION = {
  target: 'aws',
  region: 'eu-west-1',
  tableName: 'team-messages',
  userPoolId: 'eu-west-1_AbC123',
  userPoolClientId: 'client42',
  databaseUrl: 'postgres://cruddur@db.internal.example:5432/cruddur',
} as const;
