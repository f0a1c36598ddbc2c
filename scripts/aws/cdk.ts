/**
 * `npm run aws:synth|diff|deploy|destroy`: the project's pinned CDK CLI (node_modules/.bin/cdk)
 * on the app in cdk.json, with the notices banner off and the CLI's telemetry off (it sends
 * usage data by default since 2.1100). Arguments after `--` go to the CLI unchanged, e.g.
 * `npm run aws:deploy -- -c stackName=cruddur-test -c tableName=test-messages`.
 * The CLI prints its own progress; a failure ends in one line, never a stack trace.
 */
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { AppError } from '../../shared/result';
import { runCli, UsageError } from '../cli/cli';

const COMMANDS = ['synth', 'diff', 'deploy', 'destroy'] as const;
type CdkCommand = (typeof COMMANDS)[number];

const isCommand = (value: string | undefined): value is CdkCommand =>
  COMMANDS.some((command) => command === value);

const [command, ...cdkArgs] = process.argv.slice(2);

/** Runs the CLI with the terminal attached; resolves with its exit code. */
function runCdk(args: string[]): Promise<number> {
  const cli = spawn(resolve('node_modules/.bin/cdk'), args, {
    stdio: 'inherit',
    env: { ...process.env, CDK_DISABLE_CLI_TELEMETRY: 'true' },
  });
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => cli.kill(signal));
  return new Promise((done, fail) => {
    cli.on('error', fail);
    cli.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

await runCli(
  {
    name: `aws:${command ?? 'synth'}`,
    summary:
      'Runs the pinned AWS CDK CLI on aws/infra (cdk.json) with notices and telemetry off. Give CDK options after --, e.g. -c stackName=NAME -c tableName=NAME; diff, deploy and destroy need AWS credentials (a profile, SSO or the environment).',
    positionals: '[cdk options ...]',
    options: {},
  },
  async () => {
    if (!isCommand(command)) throw new UsageError(`the command must be one of ${COMMANDS.join(', ')}`);
    const code = await runCdk([command, '--no-notices', ...cdkArgs]).catch((error: unknown) => {
      throw new AppError('Unavailable', `the CDK CLI could not start (${String(error)}); run npm ci first`);
    });
    if (code !== 0)
      throw new AppError('Internal', `cdk ${command} failed (exit ${code}); its output above says why`);
  },
  // The CLI parses its own options; runCli only answers --help.
  process.argv.slice(2).filter((arg) => arg === '--help' || arg === '-h'),
);
