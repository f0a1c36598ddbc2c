import { z } from 'zod';
import { CACHE_LIMITS_MB, THEMES, type Settings } from './settings';

/** The settings file and updateSettings are parsed with these (the types live in settings.ts). */
export const settingsSchema = z
  .object({
    theme: z.enum(THEMES),
    notifications: z.boolean(),
    notificationText: z.boolean(),
    cacheLimitMb: z
      .number()
      .int()
      .min(CACHE_LIMITS_MB[0], { error: `the cache limit is ${CACHE_LIMITS_MB[0]} MB or more` })
      .max(CACHE_LIMITS_MB.at(-1)!, { error: `the cache limit is ${CACHE_LIMITS_MB.at(-1)} MB or less` }),
  })
  .strict() satisfies z.ZodType<Settings>;

export const settingsPatchSchema = settingsSchema.partial().strict();
