import { useEffect, useId } from 'react';
import { THEMES, type Theme } from '../../../shared/settings';
import { useAppStore } from '../store/app';
import { useSettingsStore } from '../store/settings';
import { Dialog } from './Dialog';

const THEME_NAMES: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };

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
 * Ctrl/Cmd+, (or the menu, or the header's Settings button): the theme and the notifications,
 * loaded from and saved to the main process at once (no Save button).
 */
export function SettingsView() {
  const closeDialog = useAppStore((s) => s.closeDialog);
  const { settings, status, error, load, update } = useSettingsStore();
  const themeName = useId();

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
        </>
      )}
      {error && (
        <p className="auth-card__error" role="alert">
          Could not {settings ? 'save' : 'load'} the settings: {error.message}
        </p>
      )}
      <About />
    </Dialog>
  );
}
