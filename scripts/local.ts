/**
 * `npm run local`: the whole local cloud in the foreground; Ctrl+C (or SIGTERM) stops every part
 * of it together.
 */
import { DEV_PASSWORD } from './seed/users';
import { print, runCli } from './cli/cli';
import { parseSeedSizes, seedSizeOptions } from './seed/flags';
import { startLocalCloud } from './local/cloud';
import { LOCAL_CONFIRMATION_CODE } from './local/cognito';
import type { SetupReport } from './admin/setup';

function startKind(setup: SetupReport): string {
  if (setup.firstStart) return 'first start: bootstrapped and seeded';
  if (setup.messages === 'resumed') return 'finished the seed an earlier start left unfinished';
  return 'reused existing data';
}

await runCli(
  {
    name: 'local',
    summary:
      'Starts DynamoDB Local, cognito-local, PostgreSQL (embedded unless CRUDDUR_DATABASE_URL is set), the message API and the stream worker; bootstraps and seeds them on first start; stops them all on Ctrl+C.',
    options: seedSizeOptions('first start only'),
  },
  async (args) => {
    const started = performance.now();
    const cloud = await startLocalCloud({
      setup: { seed: parseSeedSizes(args.values) },
      streamWorker: 'auto',
      log: (line) => process.stderr.write(`local cloud: ${line}\n`),
    });
    const { config, setup } = cloud;
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    print(
      [
        `local cloud ready in ${seconds} s (${startKind(setup)})`,
        `  DynamoDB    ${config.dynamodbEndpoint}  table ${config.tableName}`,
        `  Cognito     ${config.cognitoEndpoint}  pool ${config.userPoolId}  client ${config.userPoolClientId}`,
        `  PostgreSQL  ${config.databaseUrl}`,
        `  API         ${cloud.apiUrl}  (the app uses it with CRUDDUR_API_URL=${cloud.apiUrl})`,
        `  data in     ${config.localDir}`,
        `  accounts    ${setup.accounts.join(', ')}  (password ${DEV_PASSWORD}; sign-up confirmation code ${LOCAL_CONFIRMATION_CODE})`,
        'Press Ctrl+C to stop.',
      ].join('\n'),
    );
    const signal = await new Promise<NodeJS.Signals>((resolve) => {
      for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(name, () => resolve(name));
    });
    process.stderr.write(`local cloud: ${signal}, stopping…\n`);
    // A second Ctrl+C (or the terminal closing) must not cut the stop short and orphan a child.
    for (const name of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
      process.on(name, () => process.stderr.write('local cloud: still stopping…\n'));
    }
    await cloud.stop();
    process.stderr.write('local cloud: stopped\n');
  },
);
