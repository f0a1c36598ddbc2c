import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { connectionFileSchema, type ConnectionFile } from '../shared/connection-schema';
import { secretKeeping, type SecretStore } from './auth/session-store';
import type { SavedConnection } from './config';
import { AppError } from '../shared/result';
import { writeFileAtomic } from './files';
import { createLogger } from './log';

const log = createLogger('connection');

/** The connection settings in the user-data folder (JSON, no secret in it). */
export const CONNECTION_FILE_NAME = 'connection.json';
/** The directory's password, encrypted with the SecretStore (safeStorage), apart from the JSON. */
export const CONNECTION_PASSWORD_FILE_NAME = 'connection-password.bin';

/** What is saved: the file's settings, and whether a password is kept beside them. */
export interface SavedConnectionState {
  saved: SavedConnection | undefined;
  passwordSaved: boolean;
}

/**
 * connection.json and its password file, so an installed app knows its target, region, table,
 * pool, directory and message API without environment variables. The JSON is validated on read:
 * a file that cannot be read or is not valid is ignored (one log line) and the app falls back to
 * the defaults; the password is decrypted only here, in the main process, and never written in the
 * clear (without OS encryption it is not kept at all).
 */
export class ConnectionFiles {
  private readonly canKeepSecrets: () => boolean;

  constructor(
    private readonly dir: string,
    private readonly secrets: SecretStore,
  ) {
    this.canKeepSecrets = secretKeeping(
      secrets,
      (message) => log.warn(message),
      'the directory password is not kept',
    );
  }

  get file(): string {
    return join(this.dir, CONNECTION_FILE_NAME);
  }

  get passwordFile(): string {
    return join(this.dir, CONNECTION_PASSWORD_FILE_NAME);
  }

  async read(): Promise<SavedConnectionState> {
    const file = await this.readJson();
    if (!file) return { saved: undefined, passwordSaved: false };
    const { version: _version, ...settings } = file;
    const databasePassword = await this.readPassword();
    return {
      saved: { ...settings, ...(databasePassword !== undefined && { databasePassword }) },
      passwordSaved: databasePassword !== undefined,
    };
  }

  /**
   * Writes the settings (atomically, 0600) and, as asked, the password: a string replaces it,
   * null forgets it, undefined keeps it. Answers whether a password is kept now.
   */
  async write(
    settings: Omit<ConnectionFile, 'version' | 'apiUrl'> & { apiUrl: string | null },
    password: string | null | undefined,
  ): Promise<boolean> {
    const { apiUrl, ...rest } = settings;
    // Direct mode writes the file as before API mode existed, which an older app still reads.
    const content = connectionFileSchema.parse({ version: 1, ...rest, ...(apiUrl !== null && { apiUrl }) });
    if (password === null) await rm(this.passwordFile, { force: true });
    else if (password !== undefined) {
      if (!this.canKeepSecrets()) {
        throw new AppError(
          'Unavailable',
          'The password cannot be kept safely on this computer (no OS keyring): set CRUDDUR_DATABASE_URL instead.',
        );
      }
      await writeFileAtomic(this.passwordFile, this.secrets.encryptString(password));
    }
    await writeFileAtomic(this.file, `${JSON.stringify(content, null, 2)}\n`);
    return (await this.readPassword()) !== undefined;
  }

  private async readJson(): Promise<ConnectionFile | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        log.warn('connection.json could not be read: it is ignored', { error });
      return undefined;
    }
    try {
      return connectionFileSchema.parse(JSON.parse(text));
    } catch {
      // Not the error itself: zod's issues would echo the file's values.
      log.warn('connection.json is not valid: it is ignored until the connection is saved again');
      return undefined;
    }
  }

  private async readPassword(): Promise<string | undefined> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(this.passwordFile);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        log.warn('the directory password could not be read: it is ignored', { error });
      return undefined;
    }
    if (!this.canKeepSecrets()) return undefined;
    try {
      return this.secrets.decryptString(encrypted);
    } catch {
      // Another machine's keychain, or corrupt: kept, a later launch with the keyring may read it.
      log.warn('the directory password could not be decrypted: it is ignored');
      return undefined;
    }
  }
}
