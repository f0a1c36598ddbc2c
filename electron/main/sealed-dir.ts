import { createCipheriv, createDecipheriv, createHash, createHmac, randomBytes } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzip, gzip } from 'node:zlib';
import { z } from 'zod';
import { secretKeeping, type SecretStore } from '../../core/auth/session-store';
import { writeFileAtomic } from '../../core/files';
import { createLogger } from '../../core/log';

const log = createLogger('sealed');
const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** Files begin with this: the format and its version. A file of another version is not read. */
const MAGIC = Buffer.from('CRS1');
const IV_BYTES = 12;
const TAG_BYTES = 16;
const KEY_FILE = 'key.bin';

const storedKey = z.object({ version: z.literal(1), person: z.string(), key: z.base64() });

/** What a file's content is, for the log (never what it holds). */
export class UnreadableFile extends Error {}

/**
 * One person's private folder of sealed files (the message cache and the outbox): each file is
 * gzip-compressed JSON encrypted with AES-256-GCM under the person's own random data key, which is
 * kept in the folder wrapped by the SecretStore (safeStorage: the OS keychain). So:
 *
 * - no message text, handle or name is on disk in the clear, and file names are keyed hashes (the
 *   folder does not list conversation ids; the folder's own name is a hash of the person's uuid);
 * - GCM authenticates every byte, and each file's name and person are its associated data: a
 *   truncated or bit-flipped file, one written under another person's key, or one moved from
 *   another slot fails to open, and is discarded with one log line;
 * - the big work (compression) runs on libuv's thread pool and the write is atomic (a temporary
 *   file renamed into place): a crash mid-write leaves the previous file;
 * - deleting the key file makes whatever is left unreadable, so a wipe cannot leave text behind.
 *
 * Where the SecretStore cannot keep secrets (no keyring: safeStorage's `basic_text`), `open`
 * answers undefined and the caller keeps its data in memory only.
 */
export class SealedDir {
  private constructor(
    readonly dir: string,
    private readonly personUuid: string,
    private readonly key: Buffer,
  ) {}

  /** The folder of a person in `root`, without opening it (for a wipe that needs no key). */
  static dirOf(root: string, personUuid: string): string {
    return join(root, createHash('sha256').update(personUuid).digest('hex').slice(0, 32));
  }

  /** Deletes a person's folder in `root`, key first, without opening it (they signed out). */
  static async wipeAt(root: string, personUuid: string): Promise<void> {
    const dir = SealedDir.dirOf(root, personUuid);
    await rm(join(dir, KEY_FILE), { force: true });
    await rm(dir, { recursive: true, force: true });
  }

  /** Opens (creating when needed) the person's folder in `root`, or undefined without safe storage. */
  static async open(root: string, personUuid: string, secrets: SecretStore): Promise<SealedDir | undefined> {
    if (!canKeepSecrets(secrets)) return undefined;
    const dir = SealedDir.dirOf(root, personUuid);
    const keyFile = join(dir, KEY_FILE);
    const existing = await readKey(keyFile, personUuid, secrets);
    if (existing) return new SealedDir(dir, personUuid, existing);
    // No key, or one that cannot be read: whatever the folder holds can never be opened again.
    await rm(dir, { recursive: true, force: true });
    const key = randomBytes(32);
    const wrapped = secrets.encryptString(
      JSON.stringify({ version: 1, person: personUuid, key: key.toString('base64') }),
    );
    await writeFileAtomic(keyFile, wrapped);
    return new SealedDir(dir, personUuid, key);
  }

  /** The on-disk name of a logical file: a keyed hash, so names tell nothing. */
  fileName(name: string): string {
    return `${createHmac('sha256', this.key).update(name).digest('hex').slice(0, 32)}.bin`;
  }

  pathOf(name: string): string {
    return join(this.dir, this.fileName(name));
  }

  /** Seals `value` and writes it as `name`; resolves with the file's size in bytes. */
  async write(name: string, value: unknown): Promise<number> {
    const sealed = await this.seal(name, value);
    await writeFileAtomic(this.pathOf(name), sealed);
    return sealed.length;
  }

  /** The value written as `name`, or undefined when there is none or it cannot be opened (then deleted). */
  async read(name: string, what: string): Promise<unknown> {
    let sealed: Buffer;
    try {
      sealed = await readFile(this.pathOf(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return await this.unseal(name, sealed);
    } catch (error) {
      if (!(error instanceof UnreadableFile)) throw error;
      log.warn(`${what} could not be read (${error.message}); it was discarded`);
      await this.remove(name);
      return undefined;
    }
  }

  async remove(name: string): Promise<void> {
    await rm(this.pathOf(name), { force: true });
  }

  /** Deletes the folder, key first. */
  async wipe(): Promise<void> {
    await rm(join(this.dir, KEY_FILE), { force: true });
    await rm(this.dir, { recursive: true, force: true });
  }

  async seal(name: string, value: unknown): Promise<Buffer> {
    const packed = await gzipAsync(Buffer.from(JSON.stringify(value)), { level: 6 });
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(this.aad(name));
    const body = Buffer.concat([cipher.update(packed), cipher.final()]);
    return Buffer.concat([MAGIC, iv, cipher.getAuthTag(), body]);
  }

  async unseal(name: string, sealed: Buffer): Promise<unknown> {
    if (sealed.length < MAGIC.length + IV_BYTES + TAG_BYTES) throw new UnreadableFile('truncated');
    if (!sealed.subarray(0, MAGIC.length).equals(MAGIC))
      throw new UnreadableFile('another format or version');
    const iv = sealed.subarray(MAGIC.length, MAGIC.length + IV_BYTES);
    const tag = sealed.subarray(MAGIC.length + IV_BYTES, MAGIC.length + IV_BYTES + TAG_BYTES);
    const decipher = createDecipheriv('aes-256-gcm', this.key, iv);
    decipher.setAAD(this.aad(name));
    decipher.setAuthTag(tag);
    let packed: Buffer;
    try {
      packed = Buffer.concat([
        decipher.update(sealed.subarray(MAGIC.length + IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]);
    } catch {
      throw new UnreadableFile('damaged, or sealed with another key');
    }
    try {
      return JSON.parse((await gunzipAsync(packed)).toString('utf8')) as unknown;
    } catch {
      throw new UnreadableFile('not what was written');
    }
  }

  private aad(name: string): Buffer {
    return Buffer.from(`cruddur/sealed/v1/${this.personUuid}/${name}`);
  }
}

async function readKey(file: string, personUuid: string, secrets: SecretStore): Promise<Buffer | undefined> {
  let wrapped: Buffer;
  try {
    wrapped = await readFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stored = storedKey.parse(JSON.parse(secrets.decryptString(wrapped)));
    if (stored.person !== personUuid) throw new Error('another person');
    const key = Buffer.from(stored.key, 'base64');
    if (key.length !== 32) throw new Error('not a key');
    return key;
  } catch {
    log.warn('a local data key could not be read (another keychain or damaged); its files were discarded');
    return undefined;
  }
}

/** Whether data can be kept safely on disk here; when not, says why in the log once. */
const keepingOf = new WeakMap<SecretStore, () => boolean>();
function canKeepSecrets(secrets: SecretStore): boolean {
  let check = keepingOf.get(secrets);
  if (!check) {
    check = secretKeeping(
      secrets,
      (message) => log.warn(message),
      'the message cache and the outbox are kept until the app quits, not on disk',
    );
    keepingOf.set(secrets, check);
  }
  return check();
}
