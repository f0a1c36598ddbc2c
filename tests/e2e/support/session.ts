import { afterAll, afterEach, beforeEach } from 'vitest';
import { closeBrowser, launchApp, type LaunchOptions, type RunningApp } from './app';
import { e2eMain, type E2eMain, type E2eMainOptions } from './backend';

/** What a test can do to the running app besides using its page. */
export interface AppSession {
  app(): RunningApp;
  main(): E2eMain;
  /**
   * Focuses or blurs the window as Electron would: the main process's isFocused (which paces the
   * poller) and the page's 'window.focus' event (which gates read marks) change together.
   */
  setFocused(focused: boolean): Promise<void>;
  /**
   * Quits and starts the app again on the same user-data folder (and the same safeStorage key,
   * as on the same machine): a new backend and a new page, optionally shown another way.
   */
  restart(options?: LaunchOptions, main?: { networkUp?: boolean }): Promise<RunningApp>;
}

/**
 * Registers the hooks every end-to-end file needs: a fresh main side and page per test (shown
 * with `options`), everything closed after it, the browser closed at the end.
 */
export function useAppSession(
  options: LaunchOptions = {},
  mainOptions: Pick<E2eMainOptions, 'mode'> = {},
): AppSession {
  let main: E2eMain;
  let app: RunningApp;
  beforeEach(async () => {
    main = await e2eMain(mainOptions);
    app = await launchApp(main.handlers, options);
  });
  afterEach(async () => {
    await app.close();
    await main.close();
  });
  afterAll(closeBrowser);
  return {
    app: () => app,
    main: () => main,
    async setFocused(focused) {
      main.focus.focused = focused;
      await app.emit('window.focus', { focused });
    },
    async restart(next = options, how = {}) {
      await app.close();
      await main.stop();
      main = await e2eMain({ ...mainOptions, userDataDir: main.userDataDir, cipher: main.cipher, ...how });
      app = await launchApp(main.handlers, next);
      return app;
    },
  };
}

/** The same hooks, for a file that only needs the page: returns a getter for the running app. */
export function useApp(mainOptions: Pick<E2eMainOptions, 'mode'> = {}): () => RunningApp {
  return useAppSession({}, mainOptions).app;
}
