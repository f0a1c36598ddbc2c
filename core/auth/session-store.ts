import { readFile, rm } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../files';
import type { Logger } from '../log';

/**
 * What encrypts the stored session: Electron's safeStorage in the app (OS keychain backed),
 * a real reversible cipher in tests. Kept this small so the service never imports electron.
 */
export interface SecretStore {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /**
   * Where the key lives; safeStorage has this on Linux only. `basic_text` means no keyring was
   * found and the key is the one hard-coded in Electron: "encryption" is still available, but
   * anyone who can read the file can decrypt it.
   */
  getSelectedStorageBackend?(): string;
}

/**
 * A check of whether `secrets` can keep a secret on disk safely here (a real OS keyring), which
 * says why not in the log once, followed by `consequence` (what is done instead). Every store of
 * secrets in the app asks this one question.
 */
export function secretKeeping(
  secrets: SecretStore,
  warn: (message: string) => void,
  consequence: string,
  keyringDetail = '',
): () => boolean {
  let saidWhy = false;
  return () => {
    let why: string | undefined;
    if (!secrets.isEncryptionAvailable()) why = 'OS encryption is unavailable';
    else if (secrets.getSelectedStorageBackend?.() === 'basic_text')
      why = `no OS keyring was found${keyringDetail}`;
    if (why && !saidWhy) {
      saidWhy = true;
      warn(`${why}: ${consequence}`);
    }
    return why === undefined;
  };
}

/**
 * The SecretStore of a store that has no folder (tests, a process without a user-data folder):
 * it keeps nothing on disk, so nothing is ever encrypted; it says so if asked.
 */
export const NO_SECRETS: SecretStore = {
  isEncryptionAvailable: () => false,
  encryptString: () => {
    throw new Error('nothing is kept on disk here');
  },
  decryptString: () => {
    throw new Error('nothing is kept on disk here');
  },
};

const storedSession = z.object({
  version: z.literal(1),
  /** Cognito's Username (the lower-cased handle), needed to name the account on refresh. */
  username: z.string().min(1),
  refreshToken: z.string().min(1),
});

export type StoredSession = Omit<z.infer<typeof storedSession>, 'version'>;

/**
 * The remembered session: the refresh token, encrypted, in one file of the app's user-data
 * folder, so a relaunch signs the person in again without their password.
 */
export class SessionStore {
  /** Says why in the log once per launch (each sign-in and each launch would otherwise repeat it). */
  private readonly canKeepSecrets: () => boolean;

  constructor(
    private readonly file: string,
    private readonly secrets: SecretStore,
    private readonly log: Logger,
  ) {
    this.canKeepSecrets = secretKeeping(
      secrets,
      (message) => log.warn(message),
      'the session is not remembered after a restart',
      ' (safeStorage would encrypt with its hard-coded key)',
    );
  }

  /** Saves the session; returns false (and says why in the log) when it cannot be kept safely. */
  async save(session: StoredSession): Promise<boolean> {
    if (!this.canKeepSecrets()) return false;
    const encrypted = this.secrets.encryptString(JSON.stringify({ version: 1, ...session }));
    // A crash mid-write leaves either the old session or the new one, never half of one.
    await writeFileAtomic(this.file, encrypted);
    return true;
  }

  /** The stored session, or undefined; a file that cannot be read back is deleted. */
  async load(): Promise<StoredSession | undefined> {
    let encrypted: Buffer;
    try {
      encrypted = await readFile(this.file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    // Not deleted: it may be from a launch that had the keyring, and the next one may again.
    if (!this.canKeepSecrets()) return undefined;
    try {
      const { username, refreshToken } = storedSession.parse(
        JSON.parse(this.secrets.decryptString(encrypted)),
      );
      return { username, refreshToken };
    } catch {
      // Corrupt, from another machine's keychain, or from an older format: start signed out.
      this.log.warn('the stored session could not be read; it was deleted');
      await this.clear();
      return undefined;
    }
  }

  async clear(): Promise<void> {
    await rm(this.file, { force: true });
  }
}
