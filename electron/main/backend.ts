import { join } from 'node:path';
import pg from 'pg';
import type { EventMap, EventName } from '../../shared/contract';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { withLocalCloudIds, type Config } from '../../core/config';
import { createLogger } from '../../core/log';
import { ConversationPoller } from './poller';
import type { AuthService } from '../../core/auth/auth-service';
import { createAuthService, SESSION_FILE_NAME } from '../../core/auth/create-auth-service';
import type { SecretStore } from '../../core/auth/session-store';
import { createDynamoClient } from '../../core/clients';
import { loadOrCreateCursorSecret, MessageService } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';

const log = createLogger('backend');

/** The main process's services, built once from the config. */
export interface Backend {
  auth: AuthService;
  messages: MessageService;
  poller: ConversationPoller;
  /** The signed-in person, or Unauthenticated. */
  requireUser(): Promise<Person>;
  close(): Promise<void>;
}

export interface BackendOptions {
  /** The app's one config (loaded at start-up); the local cloud's ids are looked up again here. */
  config: Config;
  secretStore: SecretStore;
  userDataDir: string;
  publish<E extends EventName>(event: E, payload: EventMap[E]): void;
  isFocused(): boolean;
}

export function createBackend(options: BackendOptions): Backend {
  const config = withLocalCloudIds(options.config);
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, connectionTimeoutMillis: 5_000 });
  pool.on('error', (error) => log.warn('PostgreSQL connection lost', { error }));
  const directory = new UserDirectory(pool);
  const db = createDynamoClient(config);
  const auth = createAuthService({
    config,
    pool,
    directory,
    secretStore: options.secretStore,
    sessionFile: join(options.userDataDir, SESSION_FILE_NAME),
  });
  const messages = new MessageService({
    db,
    tableName: config.tableName,
    directory,
    cursorSecret: loadOrCreateCursorSecret(join(options.userDataDir, 'cursor.key')),
  });
  const poller = new ConversationPoller({
    source: messages,
    caller: () => auth.currentUser(),
    publish: options.publish,
    isFocused: options.isFocused,
  });
  auth.onChange((profile) => {
    poller.reset();
    options.publish('session.changed', { profile: profile ?? null });
  });
  poller.start();
  return {
    auth,
    messages,
    poller,
    requireUser: () => auth.requireUser(),
    async close() {
      poller.stop();
      auth.dispose();
      db.destroy();
      await pool.end();
    },
  };
}

/**
 * Builds the backend on first use and retries on the next call when it could not be built yet
 * (e.g. the app started before the local cloud wrote its user pool ids), so no restart is needed.
 */
export function lazyBackend(build: () => Backend): { get(): Backend; close(): Promise<void> } {
  let backend: Backend | undefined;
  return {
    get() {
      if (!backend) {
        try {
          backend = build();
        } catch (error) {
          if (error instanceof AppError) throw error;
          throw new AppError(
            'Unavailable',
            'The app could not connect to its services. Is the local cloud running?',
            {
              cause: error,
            },
          );
        }
      }
      return backend;
    },
    async close() {
      await backend?.close();
    },
  };
}
