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
  /**
   * The most the message cache (conversations and messages seen, encrypted in the user-data
   * folder) may take on disk, in MB; past it the least recently opened conversations go.
   */
  cacheLimitMb: number;
}

/** What updateSettings takes: any of the settings, nothing else. */
export type SettingsPatch = Partial<Settings>;

export const CACHE_LIMITS_MB = [10, 50, 200, 1000] as const;

export const DEFAULT_SETTINGS: Settings = {
  theme: 'system',
  notifications: true,
  notificationText: true,
  cacheLimitMb: 50,
};

/** Commands the application menu (and a notification) hands to the page. */
export const MENU_COMMANDS = [
  'newConversation',
  'switchConversation',
  'showShortcuts',
  'openSettings',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];
