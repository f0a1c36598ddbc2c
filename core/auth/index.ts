/**
 * Sign-in for the main process. Wire `createAuthService` once at startup (with Electron's
 * safeStorage as the SecretStore and a file in app.getPath('userData')), call `restore()` after
 * the window is up, and give the IPC handlers the service's methods. See auth-service.ts.
 */
export { AuthService, type AuthListener } from './auth-service';
export { createAuthService, SESSION_FILE_NAME, type AuthServiceOptions } from './create-auth-service';
export type { SecretStore } from './session-store';
export type { Clock } from './clock';
