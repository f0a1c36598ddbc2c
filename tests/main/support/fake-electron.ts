import { mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { vi } from 'vitest';

/**
 * A stand-in for the parts of the `electron` module the shell uses. Electron's binary cannot run
 * here, so tests of electron/main/index.ts mock the module with this and drive it by hand.
 */
type Listener = (...args: unknown[]) => unknown;

class Emitter {
  readonly listeners = new Map<string, Listener[]>();
  on = vi.fn((event: string, listener: Listener) => {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  });
  once = this.on;
  emit(event: string, ...args: unknown[]): unknown[] {
    return (this.listeners.get(event) ?? []).map((listener) => listener(...args));
  }
}

export class FakeWebContents extends Emitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  send = vi.fn();
  replaceMisspelling = vi.fn();
  session = { addWordToSpellCheckerDictionary: vi.fn(() => true) };
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });
}

/** Electron's nativeTheme: the theme setting resolved against the system's appearance. */
export class FakeNativeTheme extends Emitter {
  themeSource: 'system' | 'light' | 'dark' = 'system';
  /** What the system's appearance is when themeSource is 'system'. */
  systemDark = false;
  removeListener = vi.fn();
  get shouldUseDarkColors(): boolean {
    return this.themeSource === 'dark' || (this.themeSource === 'system' && this.systemDark);
  }
}

/** Electron's Notification: records what was made, shown and closed; `emit('click')` clicks it. */
export class FakeNotification extends Emitter {
  static supported = true;
  static made: FakeNotification[] = [];
  static isSupported = () => FakeNotification.supported;
  shown = false;
  closed = false;
  show = vi.fn(() => {
    this.shown = true;
  });
  close = vi.fn(() => {
    this.closed = true;
    this.emit('close');
  });
  constructor(readonly options: { title: string; body: string }) {
    super();
    FakeNotification.made.push(this);
  }
  /** The notifications on screen now: shown and not closed. */
  static onScreen(): FakeNotification[] {
    return FakeNotification.made.filter((n) => n.shown && !n.closed);
  }
}

/** Electron's Menu: buildFromTemplate keeps the template, so a test can read and click it. */
export class FakeMenu {
  static applicationMenu: FakeMenu | null = null;
  static built: FakeMenu[] = [];
  static buildFromTemplate = vi.fn((template: unknown[]) => new FakeMenu(template));
  static setApplicationMenu = vi.fn((menu: FakeMenu | null) => {
    FakeMenu.applicationMenu = menu;
  });
  popup = vi.fn();
  constructor(readonly template: unknown[]) {
    FakeMenu.built.push(this);
  }
}

export function createFakeElectron() {
  FakeNotification.made = [];
  FakeNotification.supported = true;
  FakeMenu.applicationMenu = null;
  FakeMenu.built = [];
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const windows: FakeBrowserWindow[] = [];
  let userData: string | undefined;
  // A folder of its own per fake, made on first use: settings one test writes never reach the next.
  const userDataDir = () => (userData ??= mkdtempSync(join(tmpdir(), 'cruddur-test-user-data-')));
  const removeUserData = async () => {
    if (userData) await rm(userData, { recursive: true, force: true });
  };

  class FakeBrowserWindow extends Emitter {
    static getAllWindows = () => windows;
    readonly webContents = new FakeWebContents();
    minimized = false;
    loadURL = vi.fn(async () => {});
    maximize = vi.fn();
    show = vi.fn();
    focus = vi.fn();
    restore = vi.fn(() => {
      this.minimized = false;
    });
    focused = true;
    setBackgroundColor = vi.fn();
    isFocused = () => this.focused;
    isMinimized = () => this.minimized;
    isMaximized = () => false;
    isDestroyed = () => false;
    getNormalBounds = () => ({ x: 10, y: 20, width: 900, height: 700 });
    constructor(readonly options: Record<string, unknown>) {
      super();
      windows.push(this);
    }
  }

  const app = Object.assign(new Emitter(), {
    isPackaged: true,
    singleInstanceLock: true,
    requestSingleInstanceLock: vi.fn(() => app.singleInstanceLock),
    quit: vi.fn(),
    exit: vi.fn(),
    whenReady: vi.fn(() => readyPromise),
    getPath: vi.fn((_name: string) => userDataDir()),
    getVersion: vi.fn(() => '9.8.7'),
    setBadgeCount: vi.fn((_count: number) => true),
  });

  const nativeTheme = new FakeNativeTheme();

  const permissionHandlers: {
    request?: (contents: unknown, permission: string, callback: (granted: boolean) => void) => void;
    check?: () => boolean;
    headers?: (
      details: { responseHeaders: Record<string, string[]> },
      callback: (response: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
  } = {};

  const electron = {
    app,
    nativeTheme,
    Menu: FakeMenu,
    Notification: FakeNotification,
    BrowserWindow: FakeBrowserWindow,
    ipcMain: { handle: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    screen: {
      getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]),
    },
    shell: { openExternal: vi.fn(async () => {}) },
    net: { isOnline: vi.fn(() => true) },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn((handler: typeof permissionHandlers.request) => {
          permissionHandlers.request = handler;
        }),
        setPermissionCheckHandler: vi.fn((handler: typeof permissionHandlers.check) => {
          permissionHandlers.check = handler;
        }),
        webRequest: {
          onHeadersReceived: vi.fn((handler: typeof permissionHandlers.headers) => {
            permissionHandlers.headers = handler;
          }),
        },
      },
    },
  };

  return { electron, windows, permissionHandlers, removeUserData, ready: () => ready() };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
