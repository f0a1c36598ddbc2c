import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SETTINGS_FILE_NAME, SettingsStore } from '../../electron/main/settings-store';
import { DEFAULT_SETTINGS } from '../../shared/settings';
import { captureLog } from '../support/log-capture';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'cruddur-settings-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const file = () => join(dir, SETTINGS_FILE_NAME);

describe('settings', () => {
  it('are the defaults before anything is saved, with one log line', async () => {
    const log = captureLog();
    expect((await SettingsStore.open(dir)).get()).toEqual(DEFAULT_SETTINGS);
    expect(log.entries).toHaveLength(1);
  });

  it('merge a change into what is kept, and survive a restart', async () => {
    const settings = await SettingsStore.open(dir);
    expect(await settings.update({ theme: 'dark' })).toEqual({ ...DEFAULT_SETTINGS, theme: 'dark' });
    expect(await settings.update({ notificationText: false })).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      notificationText: false,
    });
    expect((await SettingsStore.open(dir)).get()).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      notificationText: false,
    });
    expect(JSON.parse(await readFile(file(), 'utf8'))).toMatchObject({ theme: 'dark' });
  });

  it('write changes made at once one after another, the last one kept', async () => {
    const settings = await SettingsStore.open(dir);
    await Promise.all([
      settings.update({ theme: 'dark' }),
      settings.update({ notifications: false }),
      settings.update({ theme: 'light' }),
    ]);
    expect((await SettingsStore.open(dir)).get()).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'light',
      notifications: false,
    });
  });

  it('keep what a file of an older version holds, the settings added since at their defaults', async () => {
    await writeFile(file(), '{"theme":"dark","notifications":false,"notificationText":true}');
    expect((await SettingsStore.open(dir)).get()).toEqual({
      ...DEFAULT_SETTINGS,
      theme: 'dark',
      notifications: false,
    });
  });

  it('fall back to the defaults for a corrupt or foreign file, with one log line', async () => {
    for (const content of [
      '{not json',
      '{"theme":"purple","notifications":true,"notificationText":true}',
      '[]',
    ]) {
      const log = captureLog();
      await writeFile(file(), content);
      expect((await SettingsStore.open(dir)).get(), content).toEqual(DEFAULT_SETTINGS);
      expect(
        log.entries.filter((entry) => entry.level === 'warn'),
        content,
      ).toHaveLength(1);
    }
  });

  it('answer a copy, which a caller cannot change', async () => {
    const settings = SettingsStore.inMemory();
    settings.get().theme = 'dark';
    expect(settings.get().theme).toBe('system');
  });
});
