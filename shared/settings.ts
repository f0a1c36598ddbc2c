import { z } from 'zod';

/**
 * The app's settings, kept by the main process in the user-data folder (one file per machine, not
 * per person): the theme, and whether and how desktop notifications show.
 */
export const THEMES = ['system', 'light', 'dark'] as const;
export type Theme = (typeof THEMES)[number];

export const settingsSchema = z
  .object({
    /** 'system' follows the operating system's light or dark appearance. */
    theme: z.enum(THEMES),
    /** Desktop notifications for messages that arrive while their conversation is not on screen. */
    notifications: z.boolean(),
    /** Show the message text in a notification; off: "New message from Andrew Brown". */
    notificationText: z.boolean(),
  })
  .strict();
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = { theme: 'system', notifications: true, notificationText: true };

/** What updateSettings takes: any of the settings, nothing else. */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

/** Commands the application menu (and a notification) hands to the page. */
export const MENU_COMMANDS = [
  'newConversation',
  'switchConversation',
  'showShortcuts',
  'openSettings',
] as const;
export type MenuCommand = (typeof MENU_COMMANDS)[number];
