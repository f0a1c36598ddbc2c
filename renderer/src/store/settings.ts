import { create } from 'zustand';
import type { AppErrorShape } from '../../../shared/result';
import type { Settings, SettingsPatch } from '../../../shared/settings';

/**
 * The app's settings as the main process keeps them (theme, notifications). The renderer never
 * applies the theme itself: the main process sets Electron's theme source from it, and the page's
 * `prefers-color-scheme` (followed by public/theme.js) changes with it.
 */
interface SettingsState {
  settings: Settings | undefined;
  status: 'idle' | 'loading' | 'ready' | 'error';
  /** The last failure to load or to save, shown in the settings view. */
  error: AppErrorShape | undefined;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<void>;
}

export const useSettingsStore = create<SettingsState>()((set, get) => ({
  settings: undefined,
  status: 'idle',
  error: undefined,
  async load() {
    set({ status: 'loading', error: undefined });
    const result = await window.api.getSettings();
    set(result.ok ? { settings: result.value, status: 'ready' } : { status: 'error', error: result.error });
  },
  async update(patch) {
    // Shown at once; the main process's answer (every setting as it now is) then wins, and a
    // failure puts back what was there.
    const before = get().settings;
    set({ settings: before && { ...before, ...patch }, error: undefined });
    const result = await window.api.updateSettings(patch);
    set(result.ok ? { settings: result.value, status: 'ready' } : { settings: before, error: result.error });
  },
}));
