import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { NO_SECRETS, secretKeeping, type SecretStore } from '../../core/auth/session-store';
import { writeFileAtomic } from '../../core/files';
import { createLogger } from '../../core/log';

const log = createLogger('drafts');

/** More conversations than anyone writes in at once; beyond it the least recently written goes. */
export const MAX_DRAFTS = 500;

/** The folder of the drafts files in the user-data folder. */
export const DRAFTS_DIR_NAME = 'drafts';

const storedDrafts = z.object({
  version: z.literal(1),
  drafts: z.record(z.string(), z.string()),
});

/** One person's drafts as loaded: groupUuid → text, in the order they were last written. */
interface Loaded {
  personUuid: string;
  drafts: Map<string, string>;
}

/**
 * My unsent text per conversation, so a draft survives switching conversations and restarting the
 * app. Each person has one file in `<userData>/drafts/`, named by a hash of their uuid (the folder
 * does not list who has used this computer), holding the whole map encrypted with the SecretStore
 * (safeStorage): no message text is ever on disk in the clear, nor in the log.
 *
 * Every operation runs after the previous one has finished, so two saves never interleave and a
 * wipe is never overtaken by a write begun before it. Only one person's drafts are in memory:
 * asking for another person's loads theirs instead.
 */
export class DraftStore {
  private loaded: Loaded | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly canKeepSecrets: () => boolean;

  /** `dir` undefined: drafts in memory only (a main process built without a user-data folder). */
  constructor(
    private readonly dir: string | undefined,
    private readonly secrets: SecretStore,
  ) {
    this.canKeepSecrets = secretKeeping(
      secrets,
      (message) => log.warn(message),
      'drafts are kept until the app quits, not on disk',
    );
  }

  /** Drafts kept until the process ends, never on disk. */
  static inMemory(): DraftStore {
    return new DraftStore(undefined, NO_SECRETS);
  }

  /** The person's draft in a conversation, '' when there is none. */
  get(personUuid: string, groupUuid: string): Promise<string> {
    return this.run(async () => (await this.load(personUuid)).get(groupUuid) ?? '');
  }

  /** Keeps the draft, or with '' forgets it; resolves once the file holds the change. */
  save(personUuid: string, groupUuid: string, text: string): Promise<void> {
    return this.run(async () => {
      const drafts = await this.load(personUuid);
      if (text === '' && !drafts.has(groupUuid)) return;
      drafts.delete(groupUuid);
      if (text !== '') drafts.set(groupUuid, text);
      while (drafts.size > MAX_DRAFTS) drafts.delete(drafts.keys().next().value as string);
      await this.write(personUuid, drafts);
    });
  }

  /** Forgets every draft of the person and deletes their file (they chose to sign out). */
  wipe(personUuid: string): Promise<void> {
    return this.run(async () => {
      if (this.loaded?.personUuid === personUuid) this.loaded = undefined;
      const file = this.fileOf(personUuid);
      if (file) await rm(file, { force: true });
    });
  }

  private run<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work);
    this.queue = next.catch(() => {});
    return next;
  }

  private fileOf(personUuid: string): string | undefined {
    if (!this.dir) return undefined;
    return join(this.dir, `${createHash('sha256').update(personUuid).digest('hex')}.bin`);
  }

  private async load(personUuid: string): Promise<Map<string, string>> {
    if (this.loaded?.personUuid !== personUuid)
      this.loaded = { personUuid, drafts: await this.read(personUuid) };
    return this.loaded.drafts;
  }

  private async read(personUuid: string): Promise<Map<string, string>> {
    const file = this.fileOf(personUuid);
    if (!file) return new Map();
    let encrypted: Buffer;
    try {
      encrypted = await readFile(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
      throw error;
    }
    // Kept: it may be from a launch that had the keyring, and the next one may again.
    if (!this.canKeepSecrets()) return new Map();
    try {
      const { drafts } = storedDrafts.parse(JSON.parse(this.secrets.decryptString(encrypted)));
      return new Map(Object.entries(drafts));
    } catch {
      // Corrupt, or from another machine's keychain: what cannot be read is of no use to anyone.
      log.warn('the drafts file could not be read; it was deleted');
      await rm(file, { force: true });
      return new Map();
    }
  }

  private async write(personUuid: string, drafts: Map<string, string>): Promise<void> {
    const file = this.fileOf(personUuid);
    if (!file) return;
    if (drafts.size === 0) {
      await rm(file, { force: true });
      return;
    }
    // Without a real key the drafts stay in memory only: text is never written in the clear.
    if (!this.canKeepSecrets()) return;
    const plain = JSON.stringify({ version: 1, drafts: Object.fromEntries(drafts) });
    await writeFileAtomic(file, this.secrets.encryptString(plain));
  }
}
