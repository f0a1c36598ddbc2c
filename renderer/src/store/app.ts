import { create } from 'zustand';
import type { AppInfo } from '../../../shared/contract';
import type { AppErrorShape } from '../../../shared/result';

interface AppState {
  info: AppInfo | undefined;
  infoError: AppErrorShape | undefined;
  focused: boolean;
  loadInfo(): Promise<void>;
  setFocused(focused: boolean): void;
}

export const useAppStore = create<AppState>()((set) => ({
  info: undefined,
  infoError: undefined,
  focused: true,
  async loadInfo() {
    const result = await window.api.getAppInfo();
    set(result.ok ? { info: result.value, infoError: undefined } : { infoError: result.error });
  },
  setFocused(focused) {
    set({ focused });
  },
}));
