import { afterAll, afterEach, beforeEach } from 'vitest';
import { closeBrowser, launchApp, type RunningApp } from './app';
import { e2eMain, type E2eMain } from './backend';

/**
 * Registers the hooks every end-to-end file needs: a fresh main side and page per test, the
 * browser closed at the end. Returns a getter for the running app.
 */
export function useApp(): () => RunningApp {
  let main: E2eMain;
  let app: RunningApp;
  beforeEach(async () => {
    main = await e2eMain();
    app = await launchApp(main.handlers);
  });
  afterEach(async () => {
    await app.close();
    await main.close();
  });
  afterAll(closeBrowser);
  return () => app;
}
