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
  setWindowOpenHandler = vi.fn((handler: (details: { url: string }) => { action: string }) => {
    this.windowOpenHandler = handler;
  });
}

export function createFakeElectron() {
  let ready: () => void = () => {};
  const readyPromise = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const windows: FakeBrowserWindow[] = [];

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
    getPath: vi.fn(() => '/tmp/cruddur-test-user-data'),
    getVersion: vi.fn(() => '9.8.7'),
  });

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
    BrowserWindow: FakeBrowserWindow,
    ipcMain: { handle: vi.fn() },
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    screen: {
      getAllDisplays: vi.fn(() => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }]),
    },
    shell: { openExternal: vi.fn(async () => {}) },
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

  return { electron, windows, permissionHandlers, ready: () => ready() };
}

export type FakeElectron = ReturnType<typeof createFakeElectron>;
