import { useEffect, useId } from 'react';
import { CACHE_LIMITS_MB, THEMES, type Theme } from '../../../shared/settings';
import { useAppStore } from '../store/app';
import { useSettingsStore } from '../store/settings';
import { ConnectionSettings } from './ConnectionSettings';
import { Dialog } from './Dialog';

const THEME_NAMES: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

/** "50 MB", "1 GB" (the cache counts 1000 MB to a GB, as disks are sold). */
function cacheLimitLabel(megabytes: number): string {
  return megabytes >= 1000 && megabytes % 1000 === 0 ? `${megabytes / 1000} GB` : `${megabytes} MB`;
}

/** The choices, with the setting as it is among them (a settings file may hold a limit between two). */
const cacheLimitChoices = (current: number): number[] =>
  [...new Set([...CACHE_LIMITS_MB, current])].sort((a, b) => a - b);

/** The app's target and version, so a bug report can say which build and backend it was. */
function About() {
  const info = useAppStore((s) => s.info);
  if (!info) return null;
  return (
    <section className="settings__about" aria-label="About">
      <p>
        {info.name} {info.version}
      </p>
      <p>
        Backend <strong>{info.target}</strong> ({info.region})
      </p>
    </section>
  );
}

/**
 * Ctrl/Cmd+, (or the menu, or the header's Settings button): the theme, the notifications and the
 * message cache's size, loaded from and saved to the main process at once (no Save button), and
 * the connection (saved with its own Save button: it reconnects the app).
 */
export function SettingsView() {
  const closeDialog = useAppStore((s) => s.closeDialog);
  const { settings, status, error, load, update } = useSettingsStore();
  const themeName = useId();
  const cacheId = useId();

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <Dialog title="Settings" onClose={closeDialog} className="settings">
      {!settings && status !== 'error' && <p className="settings__loading">Loading settings…</p>}
      {settings && (
        <>
          <fieldset className="settings__group">
            <legend>Theme</legend>
            {THEMES.map((theme) => (
              <label key={theme} className="settings__choice">
                <input
                  type="radio"
                  name={themeName}
                  value={theme}
                  checked={settings.theme === theme}
                  onChange={() => void update({ theme })}
                />
                {THEME_NAMES[theme]}
              </label>
            ))}
          </fieldset>
          <fieldset className="settings__group">
            <legend>Notifications</legend>
            <label className="settings__choice">
              <input
                type="checkbox"
                checked={settings.notifications}
                onChange={(event) => void update({ notifications: event.target.checked })}
              />
              Show desktop notifications
            </label>
            <label className="settings__choice">
              <input
                type="checkbox"
                checked={settings.notificationText}
                disabled={!settings.notifications}
                onChange={(event) => void update({ notificationText: event.target.checked })}
              />
              Show message text in notifications
            </label>
          </fieldset>
          <div className="settings__group">
            <label className="settings__label" htmlFor={cacheId}>
              Message cache
            </label>
            <select
              id={cacheId}
              className="settings__select"
              value={settings.cacheLimitMb}
              aria-describedby={`${cacheId}-about`}
              onChange={(event) => void update({ cacheLimitMb: Number(event.target.value) })}
            >
              {cacheLimitChoices(settings.cacheLimitMb).map((megabytes) => (
                <option key={megabytes} value={megabytes}>
                  {cacheLimitLabel(megabytes)}
                </option>
              ))}
            </select>
            <p id={`${cacheId}-about`} className="settings__hint">
              Conversations you have opened are kept on this computer, encrypted, so they open at once and can
              be read offline.
            </p>
          </div>
        </>
      )}
      {error && (
        <p className="auth-card__error" role="alert">
          Could not {settings ? 'save' : 'load'} the settings: {error.message}
        </p>
      )}
      <ConnectionSettings />
      <About />
    </Dialog>
  );
}
