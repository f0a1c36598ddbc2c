/**
 * Where the app and the scripts run: `local` (the local cloud) or `aws`. Its own module, with no
 * imports, so core/config.ts and the renderer's AppInfo name the targets without the contract.
 */
export const backendTargets = ['local', 'aws'] as const;
export type BackendTarget = (typeof backendTargets)[number];
