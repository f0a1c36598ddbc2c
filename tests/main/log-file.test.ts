import electronLog from 'electron-log/node';
import { mkdtemp, readFile, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFakeElectron, type FakeElectron } from './support/fake-electron';

let userData: string;
let fake: FakeElectron;

/** Starts electron/main/index.ts afresh on a fake electron whose userData is a temp folder. */
async function startShell(options: { packaged: boolean }) {
  vi.resetModules();
  fake = createFakeElectron();
  fake.electron.app.isPackaged = options.packaged;
  fake.electron.app.getPath.mockImplementation(() => userData);
  const electron = fake.electron;
  vi.doMock('electron', () => electron);
  await import('../../electron/main/index');
  // The same module instance the shell installed its sink on.
  return import('../../core/log');
}

beforeEach(async () => {
  userData = await mkdtemp(join(tmpdir(), 'cruddur-log-'));
});

afterEach(async () => {
  vi.doUnmock('electron');
  await rm(userData, { recursive: true, force: true });
  await fake?.removeUserData();
});

describe("the app's log file", () => {
  it('receives every logger of the main process, in logs/main.log of the user-data folder', async () => {
    const { createLogger } = await startShell({ packaged: true });
    createLogger('x').info('signed in', { handle: 'bayko', refreshToken: 'r-secret' });
    createLogger('db').warn('PostgreSQL connection lost via postgres://app:pg-secret@db.internal/app');

    const file = join(userData, 'logs', 'main.log');
    const lines = (await readFile(file, 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      /^\[\d{4}-\d\d-\d\dT[\d:.]+Z\] \[info\] +\[x\] signed in handle=bayko refreshToken=\*\*\*$/,
    );
    expect(lines[1]).toMatch(
      /\[warn\] +\[db\] PostgreSQL connection lost via postgres:\/\/app:\*\*\*@db\.internal\/app$/,
    );
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('writes to the terminal as well only when not packaged', async () => {
    await startShell({ packaged: true });
    expect(electronLog.transports.console.level).toBe(false);
    await startShell({ packaged: false });
    expect(electronLog.transports.console.level).toBe('info');
  });

  it('archives a log over 5 MB to main.old.log and goes on in a new main.log', async () => {
    const { createLogger } = await startShell({ packaged: true });
    const { LOG_FILE_MAX_BYTES } = await import('../../electron/main/log');
    expect(LOG_FILE_MAX_BYTES).toBe(5 * 1024 * 1024);
    expect(electronLog.transports.file.maxSize).toBe(LOG_FILE_MAX_BYTES);
    const logs = join(userData, 'logs');
    await mkdir(logs, { recursive: true });
    await writeFile(join(logs, 'main.log'), 'x'.repeat(LOG_FILE_MAX_BYTES + 1));

    createLogger('x').info('after the rotation');

    expect((await stat(join(logs, 'main.old.log'))).size).toBe(LOG_FILE_MAX_BYTES + 1);
    expect(await readFile(join(logs, 'main.log'), 'utf8')).toMatch(/\[x\] after the rotation\n$/);
    expect((await stat(join(logs, 'main.log'))).size).toBeLessThan(200);
  });
});
