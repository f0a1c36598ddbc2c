/**
 * One root logger for the whole process. Every module takes a named child of it
 * (`createLogger('poller')`, then `.child('tick')` for `poller:tick`), so a line says where it
 * came from; where lines go is decided once at start-up (`setLogSink`): a file in the app, JSON
 * on stdout in a Lambda, one line on stderr everywhere else. Redaction happens here, before any
 * sink sees an entry, so no destination can forget it.
 */
export type LogLevel = 'info' | 'warn' | 'error';

/** What a call may attach. Values are made JSON-safe and redacted on the way to the sink. */
export type LogFields = Readonly<Record<string, unknown>>;

/** Older calls pass an Error or a line of text where fields now go; both still work. */
export type LogDetails = LogFields | Error | string;

export type LogValue = string | number | boolean | null | LogValue[] | { [key: string]: LogValue };

/** One entry as a sink receives it: already redacted, every field JSON-safe. */
export interface LogEntry {
  level: LogLevel;
  scope: string;
  message: string;
  fields: Record<string, LogValue>;
  time: Date;
}

export type LogSink = (entry: LogEntry) => void;

/** What code that only writes to a log depends on. */
export interface Logger {
  info(message: string, details?: LogDetails): void;
  warn(message: string, details?: LogDetails): void;
  error(message: string, details?: LogDetails): void;
}

export interface ScopedLogger extends Logger {
  readonly scope: string;
  child(scope: string): ScopedLogger;
}

/** `[scope] message key=value …`: one line, as a person reads it on a terminal or in a file. */
export function formatLine({ scope, message, fields }: LogEntry): string {
  const pairs = Object.entries(fields).map(([key, value]) => `${key}=${formatValue(value)}`);
  return [`[${scope}]`, message, ...pairs].join(' ');
}

const formatValue = (value: LogValue): string =>
  typeof value === 'string' && /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);

/** Scripts, tests and the local cloud: stdout stays free for a script's output. */
export const stderrSink: LogSink = (entry) => {
  process.stderr.write(`${formatLine(entry)}\n`);
};

let sink: LogSink = stderrSink;

/** Sends every logger's entries to `next` from now on; returns the sink it replaced. */
export function setLogSink(next: LogSink): LogSink {
  const previous = sink;
  sink = next;
  return previous;
}

export function createLogger(name: string): ScopedLogger {
  return root.child(name);
}

function scoped(scope: string): ScopedLogger {
  const at =
    (level: LogLevel) =>
    (message: string, details?: LogDetails): void =>
      emit(level, scope, message, details);
  return {
    scope,
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (name) => scoped(scope ? `${scope}:${name}` : name),
  };
}

const root = scoped('');

function emit(level: LogLevel, scope: string, message: string, details: LogDetails | undefined): void {
  const entry: LogEntry = {
    level,
    scope,
    message: oneLine(redactText(message)),
    fields: redactFields(toFields(details), 0),
    time: new Date(),
  };
  try {
    sink(entry);
  } catch {
    // A log that cannot be written (a closed pipe, a full disk) must not break the work it describes.
  }
}

function toFields(details: LogDetails | undefined): LogFields {
  if (details === undefined) return {};
  if (details instanceof Error) return { error: details };
  if (typeof details === 'string') return { detail: details };
  return details;
}

/**
 * Field names whose values are never written, at any depth: credentials, and message text
 * (`text` in what the renderer sends, `message` on stored items and views).
 */
const SECRET_KEY =
  /pass(word|wd|phrase)|token|secret|authori[sz]ation|cookie|credential|api_?key|^text$|^message$/i;
const MASK = '***';
const MAX_DEPTH = 4;

function redactFields(fields: LogFields, depth: number): Record<string, LogValue> {
  const out: Record<string, LogValue> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    out[key] = SECRET_KEY.test(key) ? MASK : toLogValue(value, depth);
  }
  return out;
}

function toLogValue(value: unknown, depth: number): LogValue {
  if (value === null || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'string') return redactText(value);
  if (value instanceof Error) return redactText(`${value.name}: ${value.message}`);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'bigint') return String(value);
  if (typeof value !== 'object') return `[${typeof value}]`;
  if (depth >= MAX_DEPTH) return '[…]';
  if (Array.isArray(value)) return value.map((item: unknown) => toLogValue(item ?? null, depth + 1));
  return redactFields(value as LogFields, depth + 1);
}

/** Secrets that can hide inside any text: an error message, a URL, a config value. */
const SECRET_TEXT: [RegExp, string][] = [
  // postgres://user:PASSWORD@host (and any other scheme with a password in its userinfo)
  [/(\b[a-z][a-z\d+.-]*:\/\/[^\s:/?#@]*:)[^\s@]*@/gi, `$1${MASK}@`],
  // libpq keyword strings and query strings: password=…
  [/\b(password|passwd|pwd)=[^\s&;]*/gi, `$1=${MASK}`],
  [/\bBearer\s+[\w.~+/=-]+/gi, `Bearer ${MASK}`],
  // Cognito's tokens are JWTs (the refresh token a five-part JWE): eyJ… segments joined by dots.
  [/\beyJ[\w-]*(\.[\w-]*){2,4}/g, MASK],
];

export function redactText(text: string): string {
  return SECRET_TEXT.reduce((out, [pattern, replacement]) => out.replace(pattern, replacement), text);
}

const oneLine = (text: string): string => text.replace(/\r?\n/g, '\\n');
