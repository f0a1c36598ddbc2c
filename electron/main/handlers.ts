import type { Config } from './config';
import type { Handlers } from './ipc/register';

export interface HandlerDeps {
  config: Config;
  appVersion: string;
}

/** The main-process side of every contract operation. */
export function createHandlers({ config, appVersion }: HandlerDeps): Handlers {
  return {
    getAppInfo: async () => ({
      name: 'Cruddur',
      version: appVersion,
      target: config.target,
      region: config.region,
    }),
  };
}
