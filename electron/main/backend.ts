import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { EventMap, EventName } from '../../shared/contract';
import type { Profile } from '../../shared/auth';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { withLocalCloudIds, type Config } from '../../core/config';
import { createLogger } from '../../core/log';
import { ConversationPoller, type PollSession } from './poller';
import type { AuthService } from '../../core/auth/auth-service';
import { createAuthService, SESSION_FILE_NAME } from '../../core/auth/create-auth-service';
import type { SecretStore } from '../../core/auth/session-store';
import { createDynamoClient, PG_POOL_TIMEOUTS } from '../../core/clients';
import { loadOrCreateCursorSecret, MessageService } from '../../core/messages';
import { UserDirectory } from '../../core/users/directory';

const log = createLogger('backend');

/** Who a piece of work is for: the signed-in person and the sign-in (an opaque id, never a token). */
export interface Caller {
  person: Person;
  session: string;
}

/** The main process's services, built once from the config. */
export interface Backend {
  auth: AuthService;
  messages: MessageService;
  poller: ConversationPoller;
  /** The signed-in person and their sign-in, or Unauthenticated. */
  requireUser(): Promise<Caller>;
  /**
   * Unauthenticated unless `session` is still the current sign-in: a result of work begun for one
   * person is never handed to the next (checked after the work, before answering).
   */
  assertSession(session: string): void;
  /** Pushes session.changed for the current sign-in again: a reloaded page has not heard it. */
  announceSession(): void;
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
  const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 4, ...PG_POOL_TIMEOUTS });
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
  return assembleBackend({
    auth,
    messages,
    publish: options.publish,
    isFocused: options.isFocused,
    async close() {
      auth.dispose();
      db.destroy();
      await pool.end();
    },
  });
}

export interface BackendServices {
  auth: AuthService;
  messages: MessageService;
  publish<E extends EventName>(event: E, payload: EventMap[E]): void;
  isFocused(): boolean;
  /** Closes the services' clients (after the poller has stopped). */
  close(): Promise<void>;
}

/**
 * The backend over its services. Every change of who is signed in (A to B without a sign-out
 * between too) begins a new session with a new id: the poller starts over for it, and every push
 * names the session it belongs to, so the renderer can drop what belongs to another.
 */
export function assembleBackend(services: BackendServices): Backend {
  const { auth, messages, publish } = services;
  const poller = new ConversationPoller({ source: messages, publish, isFocused: services.isFocused });
  let current: { session: PollSession; profile: Profile } | undefined;
  const announce = () =>
    publish('session.changed', { profile: current?.profile ?? null, session: current?.session.id ?? null });
  auth.onChange((profile) => {
    current = profile && { session: { id: randomUUID(), person: toPerson(profile) }, profile };
    poller.reset(current?.session);
    announce();
  });
  const ended = () => new AppError('Unauthenticated', 'You were signed out before this finished.');
  poller.start();
  return {
    auth,
    messages,
    poller,
    async requireUser() {
      // Taken before the (possibly refreshing) wait, so a sign-in that changes meanwhile is caught.
      const signIn = current;
      const person = await auth.requireUser();
      if (!signIn || signIn !== current) throw ended();
      return { person, session: signIn.session.id };
    },
    assertSession(session) {
      if (current?.session.id !== session) throw ended();
    },
    announceSession: announce,
    async close() {
      poller.stop();
      await services.close();
    },
  };
}

const toPerson = ({ uuid, handle, display_name }: Profile): Person => ({ uuid, handle, display_name });

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
