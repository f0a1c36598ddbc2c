import { create } from 'zustand';
import type { ConnectionInput, ConnectionView, ServiceCheck } from '../../../shared/connection';
import type { AppErrorShape } from '../../../shared/result';

/**
 * Where the app connects, as the main process says (never a secret): the Settings view's
 * Connection section edits it, and App opens Settings at start when it is not configured.
 */
interface ConnectionState {
  connection: ConnectionView | undefined;
  /** The last failure to load or to save. */
  error: AppErrorShape | undefined;
  saving: boolean;
  /** Counts successful saves, so the view can say "Saved" once per save. */
  saves: number;
  checking: boolean;
  checks: ServiceCheck[] | undefined;
  checkError: AppErrorShape | undefined;
  load(): Promise<ConnectionView | undefined>;
  save(input: ConnectionInput): Promise<boolean>;
  check(): Promise<void>;
}

export const useConnectionStore = create<ConnectionState>()((set, get) => ({
  connection: undefined,
  error: undefined,
  saving: false,
  saves: 0,
  checking: false,
  checks: undefined,
  checkError: undefined,
  async load() {
    const result = await window.api.getConnection();
    set(result.ok ? { connection: result.value, error: undefined } : { error: result.error });
    return result.ok ? result.value : undefined;
  },
  async save(input) {
    set({ saving: true, error: undefined });
    const result = await window.api.updateConnection(input);
    // What was checked was the old connection.
    set(
      result.ok
        ? { connection: result.value, saving: false, saves: get().saves + 1, checks: undefined }
        : { saving: false, error: result.error },
    );
    return result.ok;
  },
  async check() {
    set({ checking: true, checkError: undefined });
    const result = await window.api.checkServices();
    set(
      result.ok
        ? { checking: false, checks: result.value }
        : { checking: false, checks: undefined, checkError: result.error },
    );
  },
}));
