import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, type ErrorCode } from '../../shared/result';
import { toAppError } from '../../core/errors';

// The SDK warns on every run that its 2027 releases will need Node 22; the scripts know.
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';

/**
 * The conventions every admin script shares: --help, exit codes (0 ok, 2 usage or invalid input,
 * 3 not found, 4 forbidden, 5 a service cannot be reached, 1 other) and errors as ONE line on
 * stderr beginning `error:`, never a stack trace.
 */
export const EXIT_CODES: Record<ErrorCode, number> = {
  Invalid: 2,
  NotFound: 3,
  Forbidden: 4,
  Unauthenticated: 4,
  Unavailable: 5,
  Conflict: 1,
  Internal: 1,
};

type Options = NonNullable<ParseArgsConfig['options']>;

export interface CliSpec<O extends Options> {
  /** e.g. `ddb:scan` */
  name: string;
  /** One paragraph: what it does. */
  summary: string;
  /** The usage line after `npm run <name> --`, e.g. `[--limit N] [--json]`. */
  usage: string;
  /** One line per option for --help. */
  help: string[];
  options: O;
  allowPositionals?: boolean;
}

export type Parsed<O extends Options> = ReturnType<
  typeof parseArgs<{ options: O; allowPositionals: true; strict: true }>
>;

export function usageText(spec: { name: string; usage: string }): string {
  return `usage: npm run ${spec.name} -- ${spec.usage}`.trimEnd();
}

function helpText<O extends Options>(spec: CliSpec<O>): string {
  return [
    usageText(spec),
    '',
    spec.summary,
    '',
    'options:',
    ...spec.help.map((line) => `  ${line}`),
    '  --help            show this help',
    '',
    'exit codes: 0 ok, 2 usage or invalid input, 3 not found, 4 forbidden, 5 a service cannot be reached, 1 other',
  ].join('\n');
}

/** Writes the one-line error and sets the exit code that goes with its code. */
export function reportError(error: unknown): number {
  const appError = toAppError(error);
  const message = appError.message.replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`error: ${message}\n`);
  if (process.env['CRUDDUR_DEBUG'] && error instanceof Error && error.stack)
    process.stderr.write(`${error.stack}\n`);
  return EXIT_CODES[appError.code];
}

/** A usage error: the bad flag in one line, then the usage line, exit 2. */
export class UsageError extends AppError {
  constructor(message: string) {
    super('Invalid', message);
  }
}

/**
 * Runs a script's main function under the conventions above. `run` gets the parsed flags and
 * returns normally on success; anything it throws becomes the one-line error and exit code.
 */
export async function runCli<O extends Options>(
  spec: CliSpec<O>,
  run: (args: Parsed<O>) => Promise<void>,
  argv: string[] = process.argv.slice(2),
): Promise<void> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${helpText(spec)}\n`);
    return;
  }
  let args: Parsed<O>;
  try {
    args = parseArgs({
      args: argv,
      options: spec.options,
      allowPositionals: true,
      strict: true,
    }) as Parsed<O>;
    if (!spec.allowPositionals && args.positionals.length > 0) {
      throw new Error(`unexpected argument '${args.positionals[0]}'`);
    }
  } catch (error) {
    const message = error instanceof Error ? error.message.split('\n')[0] : String(error);
    process.stderr.write(`error: ${message}\n${usageText(spec)}\n`);
    process.exitCode = 2;
    return;
  }
  try {
    await run(args);
  } catch (error) {
    process.exitCode = reportError(error);
    if (error instanceof UsageError) process.stderr.write(`${usageText(spec)}\n`);
  }
}

/** Parses a whole number flag, or throws a usage error naming the flag. */
export function intFlag(
  value: string | undefined,
  flag: string,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!/^\d+$/.test(value) || number < range.min || number > range.max) {
    throw new UsageError(`${flag} must be a whole number from ${range.min} to ${range.max}, not '${value}'`);
  }
  return number;
}

/** Prints data: JSON when asked for, else the human form. */
export function print(text: string): void {
  process.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
}
