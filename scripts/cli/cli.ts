import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError, type ErrorCode } from '../../shared/result';
import { toAppError } from '../../core/errors';
import { fit, textWidth } from '../output/columns';

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

/**
 * One option of a script: how to parse it and what --help says of it, declared together so the
 * help and the usage line (both generated from it) can never miss or misname a flag. A string
 * option names its value as they show it (`N`, `<handle>`); a required one is checked before the
 * script runs, with its help as the reason.
 */
export type CliOption =
  | { type: 'boolean'; help: string }
  | { type: 'string'; value: string; help: string; multiple?: boolean; required?: boolean };

export type CliOptions = Record<string, CliOption>;

export interface CliSpec<O extends CliOptions> {
  /** e.g. `ddb:scan` */
  name: string;
  /** One paragraph: what it does. */
  summary: string;
  /** The positional arguments as the usage line shows them, e.g. `<message_group_uuid>`; none if unset. */
  positionals?: string;
  options: O;
}

type OptionValue<T extends CliOption> = T extends { type: 'boolean' }
  ? boolean
  : T extends { multiple: true }
    ? string[]
    : string;

export type CliValues<O extends CliOptions> = {
  -readonly [K in keyof O as O[K] extends { required: true } ? never : K]?: OptionValue<O[K]>;
} & {
  -readonly [K in keyof O as O[K] extends { required: true } ? K : never]: OptionValue<O[K]>;
};

export interface Parsed<O extends CliOptions> {
  values: CliValues<O>;
  positionals: string[];
}

/** `--limit N`, `--json`: the flag as help and usage show it. */
const flagLabel = (name: string, option: CliOption): string =>
  option.type === 'string' ? `--${name} ${option.value}` : `--${name}`;

function usageText(spec: CliSpec<CliOptions>): string {
  const flags = Object.entries(spec.options).map(([name, option]) => {
    if (option.type === 'boolean') return `[${flagLabel(name, option)}]`;
    const flag = `${flagLabel(name, option)}${option.multiple ? ' ...' : ''}`;
    return option.required ? flag : `[${flag}]`;
  });
  return ['usage: npm run', spec.name, '--', spec.positionals, ...flags].filter(Boolean).join(' ');
}

/** One aligned line per option (a help text's own line breaks continue under its first line). */
function optionLines(options: CliOptions): string[] {
  const rows = [
    ...Object.entries(options).map(([name, option]) => [flagLabel(name, option), option.help] as const),
    ['--help', 'show this help'] as const,
  ];
  const width = Math.max(...rows.map(([label]) => textWidth(label))) + 2;
  const continued = `\n${' '.repeat(2 + width)}`;
  return rows.map(([label, help]) => `  ${fit(label, width)}${help.split('\n').join(continued)}`);
}

function helpText(spec: CliSpec<CliOptions>): string {
  return [
    usageText(spec),
    '',
    spec.summary,
    '',
    'options:',
    ...optionLines(spec.options),
    '',
    'exit codes: 0 ok, 2 usage or invalid input, 3 not found, 4 forbidden, 5 a service cannot be reached, 1 other',
  ].join('\n');
}

/** What node:util parseArgs takes: each option without the help and usage fields it does not know. */
function parserOptions(options: CliOptions): NonNullable<ParseArgsConfig['options']> {
  return Object.fromEntries(
    Object.entries(options).map(([name, option]) => [
      name,
      option.type === 'string' ? { type: 'string', multiple: option.multiple ?? false } : { type: 'boolean' },
    ]),
  );
}

function parse<O extends CliOptions>(spec: CliSpec<O>, argv: string[]): Parsed<O> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: parserOptions(spec.options),
    allowPositionals: true,
    strict: true,
  });
  if (!spec.positionals && positionals.length > 0) {
    throw new Error(`unexpected argument '${positionals[0]}'`);
  }
  for (const [name, option] of Object.entries(spec.options)) {
    if (option.type === 'string' && option.required && values[name] === undefined)
      throw new Error(`${flagLabel(name, option)} is required: ${option.help}`);
  }
  // The parser was configured from these very options and the required ones are present.
  return { values: values as CliValues<O>, positionals };
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
export async function runCli<const O extends CliOptions>(
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
    args = parse(spec, argv);
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

/** `… | head` closes stdout early: that is the reader being done, not an error. */
export function endQuietlyOnClosedStdout(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}
