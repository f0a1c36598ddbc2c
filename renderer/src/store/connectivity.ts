import { create } from 'zustand';
import type { Connectivity } from '../../../shared/messages';

/**
 * Whether the main process can reach DynamoDB (the offline banner): read once when someone signs
 * in, then followed through 'connectivity.changed'. Not one person's data, so a sign-out keeps it.
 */
interface ConnectivityState {
  /** undefined until the first answer or push. */
  connectivity: Connectivity | undefined;
  /** "Try now" is on its way. */
  retrying: boolean;
  load(): Promise<void>;
  /** A 'connectivity.changed' push. */
  changed(connectivity: Connectivity): void;
  retryNow(): Promise<void>;
}

export const useConnectivityStore = create<ConnectivityState>()((set, get) => {
  /**
   * Bumped by every push: an answer to a request made before the last push is older than it
   * (the push may say the connection came back while getConnectivity was being answered).
   */
  let pushes = 0;

  /** Applies an answer unless a push came after the request was made. */
  const answered = (asked: number, connectivity: Connectivity) => {
    if (asked === pushes) set({ connectivity });
  };

  return {
    connectivity: undefined,
    retrying: false,
    async load() {
      const asked = pushes;
      const result = await window.api.getConnectivity();
      // Unknown stays unknown: no banner is better than a wrong one.
      if (result.ok) answered(asked, result.value);
    },
    changed(connectivity) {
      pushes += 1;
      set({ connectivity });
    },
    async retryNow() {
      if (get().retrying) return;
      const asked = pushes;
      set({ retrying: true });
      const result = await window.api.retryNow();
      set({ retrying: false });
      if (result.ok) answered(asked, result.value);
    },
  };
});
