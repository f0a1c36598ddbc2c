import electronLog from 'electron-log/node';
import { join } from 'node:path';
import { formatLine, setLogSink } from '../../core/log';

/** At this size main.log becomes main.old.log (replacing the previous one) and a new one starts. */
export const LOG_FILE_MAX_BYTES = 5 * 1024 * 1024;

export interface AppLogOptions {
  /** app.getPath('userData'): ~/.config/Cruddur on Linux. */
  userDataDir: string;
  /** Not packaged: the lines go to the terminal too. */
  dev: boolean;
}

/**
 * Sends every logger of the main process to `<userData>/logs/main.log`, rotated by size, and
 * returns that path. electron-log/node rather than electron-log/main: the latter registers
 * `__ELECTRON_LOG__` IPC handlers on import (for renderer logging) that check no sender, and only
 * the contract's operations may be reachable over IPC. The file is private to the user: it names
 * the people and conversations of this account.
 */
export function installAppLog({ userDataDir, dev }: AppLogOptions): string {
  const path = join(userDataDir, 'logs', 'main.log');
  const { file, console: terminal } = electronLog.transports;
  file.resolvePathFn = () => path;
  file.maxSize = LOG_FILE_MAX_BYTES;
  file.level = 'info';
  // UTC: a laptop changes time zones, and a support report mixes lines from several machines.
  file.format = '[{iso}] [{level}] {text}';
  file.writeOptions = { flag: 'a', mode: 0o600, encoding: 'utf8' };
  terminal.level = dev ? 'info' : false;
  setLogSink((entry) =>
    electronLog.processMessage({ data: [formatLine(entry)], level: entry.level, date: entry.time }),
  );
  return path;
}
