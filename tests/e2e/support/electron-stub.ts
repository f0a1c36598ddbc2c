/**
 * Stands in for the `electron` module when the real preload is bundled for Chromium: ipcRenderer
 * calls go to the Node-side handlers through a Playwright binding, and the Node side pushes
 * events with window.__cruddurEmit. contextBridge simply defines the frozen API on window.
 */
type Listener = (event: unknown, payload: unknown) => void;

declare global {
  interface Window {
    __cruddurInvoke(channel: string, payload: unknown): Promise<unknown>;
    __cruddurEmit(channel: string, payload: unknown): void;
  }
}

const listeners = new Map<string, Set<Listener>>();

window.__cruddurEmit = (channel, payload) => {
  for (const listener of listeners.get(channel) ?? []) listener({}, payload);
};

export const ipcRenderer = {
  invoke: (channel: string, payload: unknown) => window.__cruddurInvoke(channel, payload),
  on(channel: string, listener: Listener) {
    const set = listeners.get(channel) ?? new Set<Listener>();
    set.add(listener);
    listeners.set(channel, set);
  },
  removeListener(channel: string, listener: Listener) {
    listeners.get(channel)?.delete(listener);
  },
};

export const contextBridge = {
  exposeInMainWorld(key: string, api: unknown) {
    Object.defineProperty(window, key, { value: Object.freeze(api), enumerable: true });
  },
};
