import type { Api } from '../../shared/contract';

declare global {
  interface Window {
    /** Exposed by the preload (electron/preload); the renderer's only way to the main process. */
    api: Api;
  }
}
