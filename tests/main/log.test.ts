import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger, formatLine, setLogSink, type LogEntry } from '../../core/log';
import { createJsonSink } from '../../core/log-json';

const JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJl';

let entries: LogEntry[] = [];
let restore: (() => void) | undefined;

/** The root sink, swapped for an array for one test. */
function capture(): LogEntry[] {
  entries = [];
  const previous = setLogSink((entry) => entries.push(entry));
  restore = () => setLogSink(previous);
  return entries;
}

afterEach(() => restore?.());

describe('the root logger', () => {
  it('names children after their parents', () => {
    const logged = capture();
    const auth = createLogger('auth');
    auth.child('session').info('refreshed');
    auth.info('signed in');
    expect(auth.child('session').child('timer').scope).toBe('auth:session:timer');
    expect(logged.map(({ scope, message }) => [scope, message])).toEqual([
      ['auth:session', 'refreshed'],
      ['auth', 'signed in'],
    ]);
  });

  it('masks secret fields at any depth before a sink sees them', () => {
    const logged = capture();
    createLogger('t').warn('signed in', {
      handle: 'bayko',
      password: 'hunter2-password',
      tokens: { accessToken: 'a-1', idToken: 'i-1', refreshToken: 'r-1' },
      headers: [{ Authorization: 'Basic abc' }],
      clientSecret: 's-1',
      input: { groupUuid: 'g-1', text: 'the message text' },
      item: { message: 'stored message text', sk: 'MSG#1' },
    });
    expect(logged[0]!.fields).toEqual({
      handle: 'bayko',
      password: '***',
      tokens: '***',
      headers: [{ Authorization: '***' }],
      clientSecret: '***',
      input: { groupUuid: 'g-1', text: '***' },
      item: { message: '***', sk: 'MSG#1' },
    });
  });

  it('masks passwords in connection strings, password= pairs, bearer tokens and JWTs inside any text', () => {
    const logged = capture();
    createLogger('t').error(
      `could not reach postgres://admin:S3cr%40t@db.example:5432/app as Bearer ${JWT}`,
      {
        url: 'postgresql://u:pw-in-url@host/db?sslmode=require',
        libpq: 'host=db user=app password=pw-in-keywords dbname=app',
        echoed: `token ${JWT} was refused`,
      },
    );
    expect(logged[0]!.message).toBe('could not reach postgres://admin:***@db.example:5432/app as Bearer ***');
    expect(logged[0]!.fields).toEqual({
      url: 'postgresql://u:***@host/db?sslmode=require',
      libpq: 'host=db user=app password=*** dbname=app',
      echoed: 'token *** was refused',
    });
  });

  it('keeps calls that pass an Error or a line of text, without the stack', () => {
    const logged = capture();
    const log = createLogger('t');
    log.error('handler failed', new TypeError(`bad value from postgres://u:pw@h/db`));
    log.warn('refresh failed', 'offline');
    log.info('poll failed', { error: new RangeError('too far') });
    expect(logged.map((entry) => entry.fields)).toEqual([
      { error: 'TypeError: bad value from postgres://u:***@h/db' },
      { detail: 'offline' },
      { error: 'RangeError: too far' },
    ]);
  });

  it('keeps the work going when a sink throws', () => {
    const previous = setLogSink(() => {
      throw new Error('EPIPE');
    });
    restore = () => setLogSink(previous);
    expect(() => createLogger('t').info('still fine')).not.toThrow();
  });
});

describe('the default sink', () => {
  it('formats one line per entry: [scope] message key=value', () => {
    const logged = capture();
    createLogger('stream-worker').warn('two\nlines', { records: 3, shard: 'shard-1', why: 'a b', ok: false });
    expect(formatLine(logged[0]!)).toBe(
      '[stream-worker] two\\nlines records=3 shard=shard-1 why="a b" ok=false',
    );
  });

  it('writes to stderr and leaves stdout to a script', async () => {
    const script = `import { createLogger } from './core/log'; createLogger('cli').info('hello', { n: 1 });`;
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((done, fail) =>
      execFile(resolve('node_modules/.bin/tsx'), ['--eval', script], (error, stdout, stderr) =>
        error ? fail(error) : done({ stdout, stderr }),
      ),
    );
    expect(stdout).toBe('');
    expect(stderr).toBe('[cli] hello n=1\n');
  });
});

describe('the JSON sink', () => {
  it('writes one JSON object per line with the stable keys first', () => {
    const lines: string[] = [];
    const previous = setLogSink(createJsonSink('pattern-e', (line) => lines.push(line)));
    restore = () => setLogSink(previous);
    const log = createLogger('pattern-e');
    log.info('batch done', { records: 3, failures: 0, duration_ms: 12 });
    log.warn('conversation not updated\nsecond line', {
      conversation: 'g-1',
      level: 'not mine',
      error: `refused ${JWT}`,
    });

    expect(lines).toHaveLength(2);
    expect(lines.every((line) => !line.includes('\n'))).toBe(true);
    const [done, failed] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(Object.keys(done!)).toEqual([
      'level',
      'timestamp',
      'service',
      'scope',
      'message',
      'records',
      'failures',
      'duration_ms',
    ]);
    expect(done).toMatchObject({ level: 'INFO', service: 'pattern-e', message: 'batch done', records: 3 });
    expect(new Date(done!['timestamp'] as string).toISOString()).toBe(done!['timestamp']);
    expect(failed).toMatchObject({
      level: 'WARN',
      message: 'conversation not updated\\nsecond line',
      conversation: 'g-1',
      error: 'refused ***',
    });
  });
});
