/**
 * The app's settings, kept by the main process in the user-data folder (one file per machine, not
 * per person): the theme, and whether and how desktop notifications show. No zod here, so the
 * renderer's settings view can use these without carrying it; the schemas are in
 * settings-schema.ts.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export interface Settings {
  /** 'system' follows the operating system's light or dark appearance. */
  theme: Theme;
  /** Desktop notifications for messages that arrive while their conversation is not on screen. */
  notifications: boolean;
  /** Show the message text in a notification; off: "New message from Andrew Brown". */
  notificationText: boolean;
}

/** What updateSettings takes: any of the settings, nothing else. */
export type SettingsPatch = Partial<Settings>;

export const DEFAULT_SETTINGS: Settings = { theme: 'system', notifications: true, notificationText: true };

/** Commands the application menu (and a notification) hands to the page. */
export const MENU_COMMANDS = [
  'newConversation',
  'switchConversation',
  'showShortcuts',
  'openSettings',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];
