import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import type { Profile } from '../../shared/auth';
import type { Person } from '../../shared/model';
import { AppError } from '../../shared/result';
import { withLocalCloudIds, type Config } from '../../core/config';
import { createLogger } from '../../core/log';
import { ConversationPoller, type PollSession } from './poller';
import { DraftStore, DRAFTS_DIR_NAME } from './drafts';
import { Notifier, type DesktopNotifications } from './notifier';
import { UnreadTally } from './unread-tally';
import { tapPublish, type Publish } from './push-tap';
import type { Settings } from '../../shared/settings';
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
  /** My unsent text per conversation, encrypted on disk. */
  drafts: DraftStore;
  /** Unread messages per conversation of the current sign-in, and the badge. */
  unread: UnreadTally;
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

/** What the desktop lends the backend for notifications. */
export interface NotificationDeps {
  desktop: DesktopNotifications;
  settings(): Pick<Settings, 'notifications' | 'notificationText'>;
  /** Shows, restores and focuses the main window (a notification was clicked). */
  showWindow(): void;
}

/** The desktop's part of the backend; each absent one is simply not done (tests, the e2e suite). */
export interface DesktopDeps {
  /** app.setBadgeCount: the unread total on the dock or taskbar icon. */
  setBadgeCount?(count: number): void;
  notifications?: NotificationDeps;
}

export interface BackendOptions extends DesktopDeps {
  /** The app's one config (loaded at start-up); the local cloud's ids are looked up again here. */
  config: Config;
  secretStore: SecretStore;
  userDataDir: string;
  publish: Publish;
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
    drafts: new DraftStore(join(options.userDataDir, DRAFTS_DIR_NAME), options.secretStore),
    ...(options.setBadgeCount && { setBadgeCount: options.setBadgeCount }),
    ...(options.notifications && { notifications: options.notifications }),
    async close() {
      auth.dispose();
      db.destroy();
      await pool.end();
    },
  });
}

export interface BackendServices extends DesktopDeps {
  auth: AuthService;
  messages: MessageService;
  publish: Publish;
  isFocused(): boolean;
  /** Absent: drafts are kept in memory only. */
  drafts?: DraftStore;
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
  const unread = new UnreadTally(services.setBadgeCount ?? (() => {}));
  const notifications = services.notifications;
  const notifier: Notifier | undefined =
    notifications &&
    new Notifier({
      notifications: notifications.desktop,
      settings: notifications.settings,
      isWatched: (groupUuid): boolean => poller.watched() === groupUuid,
      isFocused: services.isFocused,
      unreadBefore: (session, groupUuid) => unread.unreadOf(session, groupUuid),
      showWindow: notifications.showWindow,
      publish,
    });
  const poller: ConversationPoller = new ConversationPoller({
    source: messages,
    publish: tapPublish(publish, { unread, notifier }),
    isFocused: services.isFocused,
  });
  let current: { session: PollSession; profile: Profile } | undefined;
  const announce = () =>
    publish('session.changed', { profile: current?.profile ?? null, session: current?.session.id ?? null });
  auth.onChange((profile) => {
    current = profile && { session: { id: randomUUID(), person: toPerson(profile) }, profile };
    poller.reset(current?.session);
    unread.reset(current?.session.id);
    notifier?.reset(current && { id: current.session.id, personUuid: current.profile.uuid });
    announce();
  });
  const ended = () => new AppError('Unauthenticated', 'You were signed out before this finished.');
  poller.start();
  return {
    auth,
    messages,
    poller,
    drafts: services.drafts ?? DraftStore.inMemory(),
    unread,
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
