import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_SETTINGS, type Settings, type SettingsPatch } from '../../shared/settings';
import { settingsSchema } from '../../shared/settings-schema';
import { writeFileAtomic } from '../../core/files';
import { createLogger } from '../../core/log';

const log = createLogger('settings');

/** The settings file in the user-data folder: one per machine, not per person. */
export const SETTINGS_FILE_NAME = 'settings.json';

/**
 * The app's settings (theme, notifications), kept in settings.json of the user-data folder. They
 * are read once at start-up (a missing or unreadable file gives the defaults) and held in memory,
 * so the notifier and the handlers read them without touching the disk; each change is written
 * whole (atomically), one write after another, so the file always holds one complete version.
 */
export class SettingsStore {
  private writes: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: string | undefined,
    private current: Settings,
  ) {}

  /** Reads `<userDataDir>/settings.json`, falling back to the defaults with one log line. */
  static async open(userDataDir: string): Promise<SettingsStore> {
    const file = join(userDataDir, SETTINGS_FILE_NAME);
    return new SettingsStore(file, await readSettings(file));
  }

  /** Settings that live in memory only (tests, and a main process built without a folder). */
  static inMemory(settings: Settings = DEFAULT_SETTINGS): SettingsStore {
    return new SettingsStore(undefined, { ...settings });
  }

  get(): Settings {
    return { ...this.current };
  }

  /** Merges `patch` into the settings and writes them; answers all of them as they now are. */
  async update(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse({ ...this.current, ...withoutUndefined(patch) });
    this.current = next;
    const file = this.file;
    if (file) {
      const write = this.writes.then(() => writeFileAtomic(file, `${JSON.stringify(next, null, 2)}\n`));
      this.writes = write.catch(() => {});
      await write;
    }
    return this.get();
  }
}

async function readSettings(file: string): Promise<Settings> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      log.info('no settings saved yet: using the defaults');
    } else {
      log.warn('the settings could not be read: using the defaults', { error });
    }
    return { ...DEFAULT_SETTINGS };
  }
  try {
    const saved: unknown = JSON.parse(text);
    if (typeof saved !== 'object' || saved === null || Array.isArray(saved)) throw new Error('not settings');
    // A file from an older version lacks the settings added since: they take their defaults.
    return settingsSchema.parse({ ...DEFAULT_SETTINGS, ...saved });
  } catch {
    log.warn('the settings file is not valid: using the defaults until they are changed');
    return { ...DEFAULT_SETTINGS };
  }
}

/** `{ theme: undefined }` changes nothing (a partial's optional keys may be present but unset). */
const withoutUndefined = (patch: SettingsPatch): Partial<Settings> =>
  Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
