import { z } from 'zod';
import { THEMES, type Settings } from './settings';

/** The settings file and updateSettings are parsed with these (the types live in settings.ts). */
export const settingsSchema = z
  .object({ theme: z.enum(THEMES), notifications: z.boolean(), notificationText: z.boolean() })
  .strict() satisfies z.ZodType<Settings>;

export const settingsPatchSchema = settingsSchema.partial().strict();
